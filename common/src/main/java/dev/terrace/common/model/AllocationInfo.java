package dev.terrace.common.model;

/** The role a resource was allocated to (Mesos `Resource.AllocationInfo`). */
public record AllocationInfo(String role) {}
