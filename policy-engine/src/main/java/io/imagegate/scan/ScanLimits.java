package io.imagegate.scan;

/**
 * Guards against archive bombs and hostile tars, and bounds memory. Exceeding one of the first
 * three is a read error: the gate fails closed rather than pass an image it could not see whole.
 * The capture bounds only cut content short; the cut is recorded ({@link LayerIndex#truncated()},
 * {@link ContentMatch#truncated()}) so a rule can say it could not decide.
 *
 * @param maxEntriesPerLayer tar entries in one layer
 * @param maxPathLength bytes in one path
 * @param maxLayerBytes uncompressed bytes of one layer
 * @param maxCapturedBytes content kept for one exact path a rule asked for
 * @param maxMarkerFileBytes executables larger than this are not searched for markers
 * @param maxCapturedBytesPerLayer content kept for one layer in all (captures and search excerpts)
 */
public record ScanLimits(
    long maxEntriesPerLayer, int maxPathLength, long maxLayerBytes, int maxCapturedBytes, long maxMarkerFileBytes,
    long maxCapturedBytesPerLayer) {

  /**
   * Generous defaults: 5 million entries, 4096-byte paths, 64 GiB per layer, 1 MiB captured per
   * path, 16 MiB searched for markers, 64 MiB captured per layer.
   */
  public static final ScanLimits DEFAULT = new ScanLimits(5_000_000, 4096, 64L << 30, 1 << 20, 16L << 20, 64L << 20);

  /** Limits with the default per-layer capture budget. */
  public ScanLimits(long maxEntriesPerLayer, int maxPathLength, long maxLayerBytes, int maxCapturedBytes,
      long maxMarkerFileBytes) {
    this(maxEntriesPerLayer, maxPathLength, maxLayerBytes, maxCapturedBytes, maxMarkerFileBytes, 64L << 20);
  }
}
