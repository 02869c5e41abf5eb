package io.imagegate.image;

/**
 * One entry of the config's {@code history}: the build step that made a layer (or, when
 * {@code emptyLayer}, changed only metadata).
 */
public record HistoryEntry(String created, String createdBy, String comment, boolean emptyLayer) {}
