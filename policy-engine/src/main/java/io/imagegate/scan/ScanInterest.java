package io.imagegate.scan;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What rules want from the single pass over each layer beyond headers: the full content of a few
 * paths (e.g. {@code /etc/passwd}), and byte markers to look for inside executables (e.g.
 * {@code BusyBox v} to recognise a renamed busybox). Everything else is skipped unread by rules.
 *
 * @param paths absolute paths whose content (up to {@link ScanLimits#maxCapturedBytes()}) is kept
 * @param markers marker name → bytes searched for in executable regular files
 */
public record ScanInterest(Set<String> paths, Map<String, byte[]> markers) {
  /** Nothing beyond headers. */
  public static final ScanInterest NONE = new ScanInterest(Set.of(), Map.of());

  public ScanInterest {
    paths = Set.copyOf(paths);
    markers = Map.copyOf(markers);
  }

  /** Interest in the content of these paths. */
  public static ScanInterest paths(String... paths) {
    return new ScanInterest(Set.of(paths), Map.of());
  }

  /** Interest in one marker, searched for in executables. */
  public static ScanInterest marker(String name, String bytes) {
    return new ScanInterest(Set.of(), Map.of(name, bytes.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** Both interests together. */
  public ScanInterest and(ScanInterest other) {
    Set<String> p = new HashSet<>(paths);
    p.addAll(other.paths);
    Map<String, byte[]> m = new HashMap<>(markers);
    m.putAll(other.markers);
    return new ScanInterest(p, m);
  }
}
