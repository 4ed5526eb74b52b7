package dev.terrace.common.model;

public record Address(String hostname, String ip, Integer port) {}
