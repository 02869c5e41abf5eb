package io.imagegate.scan;

import io.imagegate.policy.Glob;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What rules want from the single pass over each layer beyond headers. Everything else is skipped
 * unread by rules. Every interest applies to every layer, not only to the merged top, so a rule
 * can see a file that a later layer deleted or overwrote.
 *
 * @param paths absolute paths whose content (up to {@link ScanLimits#maxCapturedBytes()}) is kept
 * @param markers marker name → bytes searched for in executable regular files
 * @param captures files matched by glob whose content is kept (e.g. {@code /var/lib/dpkg/status.d/*})
 * @param searches byte patterns searched for in the content of files matched by glob and size
 */
public record ScanInterest(
    Set<String> paths, Map<String, byte[]> markers, Set<Capture> captures, Set<ContentSearch> searches) {
  /** Nothing beyond headers. */
  public static final ScanInterest NONE = new ScanInterest(Set.of(), Map.of(), Set.of(), Set.of());

  public ScanInterest {
    paths = Set.copyOf(paths);
    markers = Map.copyOf(markers);
    captures = Set.copyOf(captures);
    searches = Set.copyOf(searches);
  }

  public ScanInterest(Set<String> paths, Map<String, byte[]> markers) {
    this(paths, markers, Set.of(), Set.of());
  }

  /**
   * Keep the content of regular files whose path matches {@code glob}, up to {@code maxBytes}
   * each (package databases can be larger than {@link ScanLimits#maxCapturedBytes()}). A file cut
   * short, by this bound or by {@link ScanLimits#maxCapturedBytesPerLayer()}, is listed in
   * {@link LayerIndex#truncated()}.
   */
  public record Capture(Glob glob, int maxBytes) {
    public Capture {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive");
      }
    }
  }

  /**
   * Search the content of regular files of at most {@code maxFileSize} bytes whose path matches
   * one of {@code include} (every path when empty) and none of {@code exclude}, for each of
   * {@code needles}. A file with a hit is recorded in {@link LayerIndex#matches()} under
   * {@code name}, with bounded excerpts around the hits for the rule to examine.
   *
   * @param name identifies this search's results; make it unique for its configuration
   */
  public record ContentSearch(String name, List<Glob> include, List<Glob> exclude, int maxFileSize, List<String> needles) {
    public ContentSearch {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
      needles = List.copyOf(needles);
      if (needles.isEmpty() || needles.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("a content search needs non-empty needles");
      }
      if (maxFileSize <= 0) {
        throw new IllegalArgumentException("maxFileSize must be positive");
      }
    }

    /** Whether a regular file at {@code path} of {@code size} bytes is searched. */
    public boolean applies(String path, long size) {
      if (size > maxFileSize || size == 0) {
        return false;
      }
      if (!include.isEmpty() && include.stream().noneMatch(g -> g.matches(path))) {
        return false;
      }
      return exclude.stream().noneMatch(g -> g.matches(path));
    }
  }

  /** Interest in the content of these paths. */
  public static ScanInterest paths(String... paths) {
    return new ScanInterest(Set.of(paths), Map.of());
  }

  /** Interest in one marker, searched for in executables. */
  public static ScanInterest marker(String name, String bytes) {
    return new ScanInterest(Set.of(), Map.of(name, bytes.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** Interest in the content of every file matching {@code glob}, up to {@code maxBytes} each. */
  public static ScanInterest capture(Glob glob, int maxBytes) {
    return new ScanInterest(Set.of(), Map.of(), Set.of(new Capture(glob, maxBytes)), Set.of());
  }

  /** Interest in one content search. */
  public static ScanInterest search(ContentSearch search) {
    return new ScanInterest(Set.of(), Map.of(), Set.of(), Set.of(search));
  }

  /** Both interests together. */
  public ScanInterest and(ScanInterest other) {
    Set<String> p = new HashSet<>(paths);
    p.addAll(other.paths);
    Map<String, byte[]> m = new HashMap<>(markers);
    m.putAll(other.markers);
    Set<Capture> c = new HashSet<>(captures);
    c.addAll(other.captures);
    Set<ContentSearch> s = new HashSet<>(searches);
    s.addAll(other.searches);
    return new ScanInterest(p, m, c, s);
  }

  /** The most content to keep of a regular file at {@code path}, or -1 when none is wanted. */
  int captureLimit(String path, int defaultLimit) {
    int limit = paths.contains(path) ? defaultLimit : -1;
    for (Capture c : captures) {
      if (c.maxBytes() > limit && c.glob().matches(path)) {
        limit = c.maxBytes();
      }
    }
    return limit;
  }
}
