package io.imagegate.scan;

import io.imagegate.image.Digest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over a layer's tar found: its entries in archive order, its whiteouts and opaque
 * directories, the content captured for the paths rules asked for, and the files in which a
 * content search found something. Kept per layer, so rules can look at files that a later layer
 * deleted or overwrote (they are still in the image).
 *
 * @param whiteouts paths a {@code .wh.NAME} entry deletes from lower layers
 * @param opaqueDirs directories whose lower-layer children a {@code .wh..wh..opq} entry hides
 * @param content captured content by path (exact paths and capture globs of the {@link ScanInterest})
 * @param truncated captured paths whose content was cut short by a bound
 * @param matches files where a content search found a needle, in archive order
 * @param uncompressedSize bytes of the uncompressed tar stream
 * @param contentSize sum of regular files' sizes (hard links counted once), as {@code docker images} counts
 */
public record LayerIndex(
    Digest diffId,
    List<FileEntry> entries,
    List<String> whiteouts,
    List<String> opaqueDirs,
    Map<String, byte[]> content,
    Set<String> truncated,
    List<ContentMatch> matches,
    long uncompressedSize,
    long contentSize) {

  public LayerIndex {
    entries = List.copyOf(entries);
    whiteouts = List.copyOf(whiteouts);
    opaqueDirs = List.copyOf(opaqueDirs);
    content = Map.copyOf(content);
    truncated = Set.copyOf(truncated);
    matches = List.copyOf(matches);
  }

  /**
   * Whether this layer deletes {@code path} from the layers below: a whiteout of it or of a
   * parent, or an opaque marker on a parent directory.
   */
  public boolean deletes(String path) {
    for (String w : whiteouts) {
      if (path.equals(w) || path.startsWith(w.equals("/") ? "/" : w + "/")) {
        return true;
      }
    }
    for (String d : opaqueDirs) {
      if (path.startsWith(d.equals("/") ? "/" : d + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * This index with every entry attributed to layer {@code layer}: for a layer scanned before its
   * position in the image was known (a {@code save} stream names the order only at its end).
   */
  public LayerIndex atLayer(int layer) {
    return new LayerIndex(diffId, entries.stream().map(e -> e.withLayer(layer)).toList(), whiteouts, opaqueDirs,
        content, truncated, matches, uncompressedSize, contentSize);
  }
}
