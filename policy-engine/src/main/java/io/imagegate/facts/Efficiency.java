package io.imagegate.facts;

import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.LayerIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * dive's measures of how well an image uses its layers, computed as dive computes them
 * ({@code filetree.Efficiency} and {@code image.Analyze}), so its CI thresholds mean the same here.
 *
 * <p>Every layer contributes a <em>node</em> for each leaf of its own tree (an entry with no
 * entries below it in the same layer) and for each whiteout. A node's size is the file's size;
 * a whiteout's size is the size of everything below the deleted path in the layers beneath it
 * when that path was a directory there, else 0. Per path: the cumulative size is the sum over its
 * nodes, the minimum the smallest. Then:
 *
 * <ul>
 *   <li>{@code score} = Σ minimum / Σ cumulative over all paths (1 when nothing has a size);
 *   <li>{@code wastedBytes} = Σ cumulative over the paths with two or more nodes. Note that this
 *       counts the surviving copy of an overwritten file too: a 5 kB file overwritten by a 7 kB
 *       one wastes 12 kB by this measure, as dive reports it;
 *   <li>{@code userWastedShare} = wastedBytes / the size of every layer but the first.
 * </ul>
 *
 * <p>Like dive, opaque-directory markers are ignored, and a deleted directory that no layer listed
 * as a leaf adds its size to both sums (so it does not lower the score). Unlike dive, a directory
 * whose layer left out its parent entries still counts as a directory.
 *
 * @param score dive's "efficiency", from 0 to 1
 * @param wastedBytes dive's "wastedBytes"
 * @param sizeBytes the sum of every layer's file sizes
 * @param userSizeBytes the sum of the file sizes of every layer but the first (dive's "user" layers)
 * @param inefficiencies paths with two or more nodes, largest cumulative size first
 */
public record Efficiency(
    double score, long wastedBytes, long sizeBytes, long userSizeBytes, List<Inefficiency> inefficiencies) {

  public Efficiency {
    inefficiencies = List.copyOf(inefficiencies);
  }

  /**
   * A path that more than one layer wrote or deleted.
   *
   * @param cumulativeSize its size summed over every layer that wrote (or deleted) it
   * @param layers those layers, lowest first
   */
  public record Inefficiency(String path, long cumulativeSize, List<Integer> layers) {
    public Inefficiency {
      layers = List.copyOf(layers);
    }
  }

  /**
   * dive's "userWastedPercent" (a ratio despite its name): wasted bytes over the user layers'
   * size. Infinite when something is wasted but the image has a single layer, as in dive.
   */
  public double userWastedShare() {
    if (userSizeBytes == 0) {
      return wastedBytes == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return (double) wastedBytes / userSizeBytes;
  }

  /** Computes the measures over scanned layers, base first. */
  public static Efficiency of(List<LayerIndex> layers) {
    Map<String, PathData> byPath = new HashMap<>();
    NavigableMap<String, FileEntry> stacked = new TreeMap<>();
    long size = 0;
    long userSize = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerIndex layer = layers.get(i);
      size += layer.contentSize();
      if (i > 0) {
        userSize += layer.contentSize();
      }
      // a whiteout file is a node of the layer's tree too: its directory is not a leaf
      TreeSet<String> paths = new TreeSet<>(layer.whiteouts());
      layer.entries().forEach(e -> paths.add(e.path()));
      for (String w : layer.whiteouts()) {
        FileEntry before = stacked.get(w);
        long deleted = before != null && before.type() == FileType.DIRECTORY ? sizeBelow(stacked, w) : 0;
        byPath.computeIfAbsent(w, PathData::new).add(deleted, i);
      }
      for (FileEntry e : layer.entries()) {
        if (isLeaf(paths, e.path())) {
          byPath.computeIfAbsent(e.path(), PathData::new).add(e.type() == FileType.FILE ? e.size() : 0, i);
        }
      }
      for (String w : layer.whiteouts()) {
        stacked.remove(w);
        below(stacked, w).clear();
      }
      for (FileEntry e : layer.entries()) {
        stacked.put(e.path(), e);
      }
    }
    long minimum = 0;
    long cumulative = 0;
    long wasted = 0;
    List<Inefficiency> inefficient = new ArrayList<>();
    for (PathData d : byPath.values()) {
      minimum += d.minimum;
      cumulative += d.cumulative;
      if (d.layers.size() >= 2) {
        wasted += d.cumulative;
        inefficient.add(new Inefficiency(d.path, d.cumulative, d.layers));
      }
    }
    inefficient.sort(Comparator.comparingLong(Inefficiency::cumulativeSize).reversed()
        .thenComparing(Inefficiency::path));
    double score = cumulative == 0 ? 1.0 : (double) minimum / cumulative;
    return new Efficiency(score, wasted, size, userSize, inefficient);
  }

  private static boolean isLeaf(TreeSet<String> paths, String path) {
    String prefix = path.equals("/") ? "/" : path + "/";
    String next = paths.ceiling(prefix);
    return next == null || !next.startsWith(prefix);
  }

  private static NavigableMap<String, FileEntry> below(NavigableMap<String, FileEntry> map, String dir) {
    String prefix = dir.equals("/") ? "/" : dir + "/";
    String end = prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
    return map.subMap(prefix, true, end, false);
  }

  private static long sizeBelow(NavigableMap<String, FileEntry> map, String dir) {
    long sum = 0;
    for (FileEntry e : below(map, dir).values()) {
      if (e.type() == FileType.FILE) {
        sum += e.size();
      }
    }
    return sum;
  }

  private static final class PathData {
    final String path;
    long cumulative;
    long minimum = -1;
    final List<Integer> layers = new ArrayList<>();

    PathData(String path) {
      this.path = path;
    }

    void add(long size, int layer) {
      cumulative += size;
      if (minimum < 0 || size < minimum) {
        minimum = size;
      }
      layers.add(layer);
    }
  }
}
