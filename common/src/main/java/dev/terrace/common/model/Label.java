package dev.terrace.common.model;

public record Label(String key, String value) {}
