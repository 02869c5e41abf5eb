package io.imagegate.scan;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The merged view of an image's layers: each layer's whiteouts and opaque directories delete from
 * the layers below it (never from its own entries, OCI image spec, "Whiteouts"), then its entries
 * are laid over. Keeps, for each surviving path, the entry of the layer that wrote it last, and
 * counts the bytes that later layers overwrote or deleted ("wasted", as dive counts them).
 * Symlinks are resolved inside the image root only.
 */
public final class Filesystem {
  /** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); more is ELOOP. */
  public static final int MAX_SYMLINK_HOPS = 40;

  private final NavigableMap<String, FileEntry> entries;
  private final Map<String, byte[]> content;
  private final long[] wastedByLayer;
  /** {@link #entries} as a list, made on first use. */
  private volatile List<FileEntry> list;

  private Filesystem(NavigableMap<String, FileEntry> entries, Map<String, byte[]> content, long[] wastedByLayer) {
    this.entries = Collections.unmodifiableNavigableMap(entries);
    this.content = content;
    this.wastedByLayer = wastedByLayer;
  }

  /** Merges layer indexes, base first. */
  public static Filesystem merge(List<LayerIndex> layers) {
    TreeMap<String, FileEntry> map = new TreeMap<>();
    Map<String, byte[]> content = new HashMap<>();
    long[] wasted = new long[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      LayerIndex layer = layers.get(i);
      for (String dir : layer.opaqueDirs()) {
        removeChildren(map, content, wasted, dir);
      }
      for (String path : layer.whiteouts()) {
        removeTree(map, content, wasted, path);
      }
      for (FileEntry e : layer.entries()) {
        FileEntry placed = e.withLayer(i);
        if (placed.type() == FileType.HARDLINK) {
          FileEntry target = map.get(placed.linkTarget());
          if (target != null && !target.markers().isEmpty()) {
            placed = placed.withMarkers(target.markers());
          }
        }
        FileEntry previous = map.put(placed.path(), placed);
        if (previous != null) {
          account(wasted, previous);
          content.remove(previous.path());
          if (previous.type() == FileType.DIRECTORY && placed.type() != FileType.DIRECTORY) {
            removeChildren(map, content, wasted, placed.path());
          }
        }
      }
      content.putAll(layer.content());
    }
    return new Filesystem(map, content, wasted);
  }

  private static void account(long[] wasted, FileEntry removed) {
    if (removed.type() == FileType.FILE) {
      wasted[removed.layer()] += removed.size();
    }
  }

  private static void removeTree(TreeMap<String, FileEntry> map, Map<String, byte[]> content, long[] wasted, String path) {
    FileEntry removed = map.remove(path);
    if (removed != null) {
      account(wasted, removed);
      content.remove(path);
    }
    removeChildren(map, content, wasted, path);
  }

  private static void removeChildren(TreeMap<String, FileEntry> map, Map<String, byte[]> content, long[] wasted, String dir) {
    String prefix = dir.equals("/") ? "/" : dir + "/";
    // every key that starts with prefix sorts in [prefix, prefix with its last char + 1)
    String end = prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
    NavigableMap<String, FileEntry> children = map.subMap(prefix, true, end, false);
    for (FileEntry child : children.values()) {
      account(wasted, child);
      content.remove(child.path());
    }
    children.clear();
  }

  /** Every path, sorted. */
  public List<FileEntry> entries() {
    List<FileEntry> l = list;
    if (l == null) {
      // rules walk every entry, several times: an array walks much faster than the tree
      l = List.copyOf(entries.values());
      list = l;
    }
    return l;
  }

  /** The number of paths. */
  public int size() {
    return entries.size();
  }

  /** The entry at exactly {@code path}, not following a final symlink (intermediate ones neither). */
  public Optional<FileEntry> get(String path) {
    return Optional.ofNullable(entries.get(Paths.normalize(path)));
  }

  /** Bytes that files written by layer {@code layer} occupy but a later layer overwrote or deleted. */
  public long wastedBytes(int layer) {
    return wastedByLayer[layer];
  }

  /** Wasted bytes over all layers. */
  public long wastedBytes() {
    long sum = 0;
    for (long w : wastedByLayer) {
      sum += w;
    }
    return sum;
  }

  /**
   * The captured content of the file at {@code path} (following symlinks), if a rule asked for it
   * during the scan and the file exists.
   */
  public Optional<byte[]> content(String path) {
    Resolution r = resolve(path);
    return r.entry().flatMap(e -> Optional.ofNullable(content.get(e.path())));
  }

  /**
   * Resolves {@code path} the way the kernel would inside the image root: every symlink in it,
   * the final one included, relative targets against their directory and absolute targets
   * against the image root, {@code ..} clamped at the root. A hard link is returned as the link
   * entry (it <em>is</em> the file). The root and directories a layer implied without listing them
   * (it listed {@code usr/bin/x} but not {@code usr/}) resolve to a synthesised directory entry.
   */
  public Resolution resolve(String path) {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    String current = "/";
    int hops = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.equals("..")) {
        current = Paths.parent(current);
        continue;
      }
      String next = Paths.child(current, part);
      FileEntry e = entries.get(next);
      if (e != null && e.type() == FileType.SYMLINK) {
        if (++hops > MAX_SYMLINK_HOPS) {
          return new Resolution(path, next, Optional.empty(), Resolution.Status.LOOP);
        }
        String target = e.linkTarget();
        if (target.startsWith("/")) {
          current = "/";
        }
        push(todo, target);
        continue;
      }
      if (e != null && e.type() != FileType.DIRECTORY && !todo.isEmpty()) {
        // a file used as a directory: nothing below it exists
        return new Resolution(path, next, Optional.empty(), Resolution.Status.MISSING);
      }
      // parents need no entry of their own in a layer tar, but something must lie below them
      if (e == null && !todo.isEmpty() && implicitDirectory(next).isEmpty()) {
        return new Resolution(path, next, Optional.empty(), Resolution.Status.MISSING);
      }
      current = next;
    }
    String end = current;
    Optional<FileEntry> found = Optional.ofNullable(entries.get(end)).or(() -> implicitDirectory(end));
    return found.isEmpty()
        ? new Resolution(path, end, Optional.empty(), Resolution.Status.MISSING)
        : new Resolution(path, end, found, Resolution.Status.FOUND);
  }

  /**
   * A directory no layer lists but that exists all the same: the root, or the parent of entries a
   * tar named without their directories (extraction creates those, as root with mode 0755).
   */
  private Optional<FileEntry> implicitDirectory(String path) {
    String prefix = path.equals("/") ? "/" : path + "/";
    Map.Entry<String, FileEntry> child = entries.ceilingEntry(prefix);
    if (!path.equals("/") && (child == null || !child.getKey().startsWith(prefix))) {
      return Optional.empty();
    }
    int layer = child == null ? 0 : child.getValue().layer();
    return Optional.of(new FileEntry(path, FileType.DIRECTORY, 0755, 0, 0, 0, "", layer, java.util.Set.of()));
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty() && !parts[i].equals(".")) {
        todo.push(parts[i]);
      }
    }
  }

  /**
   * The outcome of resolving a path.
   *
   * @param requested the path asked for
   * @param resolved where resolution ended (the final path, or where it failed)
   */
  public record Resolution(String requested, String resolved, Optional<FileEntry> entry, Status status) {
    /** How resolution ended. */
    public enum Status {
      FOUND,
      MISSING,
      /** A symlink loop, or a chain longer than {@link #MAX_SYMLINK_HOPS}. */
      LOOP
    }
  }
}
