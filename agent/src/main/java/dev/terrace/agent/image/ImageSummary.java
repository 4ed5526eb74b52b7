package dev.terrace.agent.image;

/**
 * One cached image as {@code terrace image ls} shows it.
 *
 * @param sizeBytes its blobs plus its unpacked layers (layers shared with other images count in
 *     each)
 * @param inUse whether a container (running, exited but not yet destroyed, or being launched)
 *     uses it
 */
public record ImageSummary(
    String reference, String manifest, String source, long sizeBytes, long lastUsed,
    boolean inUse) {}
