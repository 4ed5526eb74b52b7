package dev.terrace.common.model;

public record TimeInfo(long nanoseconds) {}
