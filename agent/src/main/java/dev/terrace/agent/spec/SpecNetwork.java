package dev.terrace.agent.spec;

import java.nio.file.Path;

/**
 * A container's own network, for {@link OciSpecGenerator}: the namespace it joins and the
 * directory holding its generated {@code hosts}, {@code hostname} and {@code resolv.conf}.
 */
public record SpecNetwork(String netnsPath, Path etcDir) {}
