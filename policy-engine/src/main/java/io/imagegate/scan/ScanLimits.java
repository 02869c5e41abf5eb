package io.imagegate.scan;

/**
 * Guards against archive bombs and hostile tars. Exceeding one is a read error: the gate fails
 * closed rather than pass an image it could not see whole.
 *
 * @param maxEntriesPerLayer tar entries in one layer
 * @param maxPathLength bytes in one path
 * @param maxLayerBytes uncompressed bytes of one layer
 * @param maxCapturedBytes content kept for one path a rule asked for
 * @param maxMarkerFileBytes executables larger than this are not searched for markers
 */
public record ScanLimits(
    long maxEntriesPerLayer, int maxPathLength, long maxLayerBytes, int maxCapturedBytes, long maxMarkerFileBytes) {

  /** Generous defaults: 5 million entries, 4096-byte paths, 64 GiB per layer, 1 MiB captured, 16 MiB searched. */
  public static final ScanLimits DEFAULT = new ScanLimits(5_000_000, 4096, 64L << 30, 1 << 20, 16L << 20);
}
