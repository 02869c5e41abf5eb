package io.imagegate.facts;

import io.imagegate.image.Digest;
import io.imagegate.image.HistoryEntry;
import java.util.Optional;

/**
 * What is known of one layer: digests, sizes, and the history entry (build step) that made it.
 *
 * @param compressedSize the blob's size as stored
 * @param uncompressedSize the uncompressed tar's size
 * @param contentSize the sum of its regular files' sizes
 * @param files entries in the layer's tar (whiteouts excluded)
 * @param history the build step, when the config's history lines up with the layers
 */
public record LayerFacts(
    int index,
    Digest diffId,
    Optional<Digest> blobDigest,
    long compressedSize,
    long uncompressedSize,
    long contentSize,
    int files,
    long wastedBytes,
    Optional<HistoryEntry> history) {

  /** The build step's text, or empty. */
  public String createdBy() {
    return history.map(HistoryEntry::createdBy).orElse("");
  }
}
