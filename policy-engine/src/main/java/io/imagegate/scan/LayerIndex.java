package io.imagegate.scan;

import io.imagegate.image.Digest;
import java.util.List;
import java.util.Map;

/**
 * What one pass over a layer's tar found: its entries in archive order, its whiteouts and opaque
 * directories, and the content captured for the paths rules asked for.
 *
 * @param whiteouts paths a {@code .wh.NAME} entry deletes from lower layers
 * @param opaqueDirs directories whose lower-layer children a {@code .wh..wh..opq} entry hides
 * @param uncompressedSize bytes of the uncompressed tar stream
 * @param contentSize sum of regular files' sizes (hard links counted once), as {@code docker images} counts
 */
public record LayerIndex(
    Digest diffId,
    List<FileEntry> entries,
    List<String> whiteouts,
    List<String> opaqueDirs,
    Map<String, byte[]> content,
    long uncompressedSize,
    long contentSize) {

  public LayerIndex {
    entries = List.copyOf(entries);
    whiteouts = List.copyOf(whiteouts);
    opaqueDirs = List.copyOf(opaqueDirs);
    content = Map.copyOf(content);
  }

  /**
   * This index with every entry attributed to layer {@code layer}: for a layer scanned before its
   * position in the image was known (a {@code save} stream names the order only at its end).
   */
  public LayerIndex atLayer(int layer) {
    return new LayerIndex(diffId, entries.stream().map(e -> e.withLayer(layer)).toList(), whiteouts, opaqueDirs,
        content, uncompressedSize, contentSize);
  }
}
