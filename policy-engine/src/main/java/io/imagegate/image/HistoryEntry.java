package io.imagegate.image;

/**
 * One entry of the config's {@code history}: the build step that made a layer (or, when
 * {@code emptyLayer}, changed only metadata).
 */
public record HistoryEntry(String created, String createdBy, String comment, boolean emptyLayer) {
  /** The Dockerfile instruction {@code created_by} records, as far as it tells. */
  public HistoryInstruction instruction() {
    return HistoryInstruction.of(createdBy);
  }
}
