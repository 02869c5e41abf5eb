package io.imagegate.scan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A file of one layer in which a {@link ScanInterest.ContentSearch} found at least one needle.
 *
 * @param search the search's name
 * @param needles the needles found
 * @param excerpts the bytes around the hits, in file order, non-overlapping
 * @param truncated the layer's capture budget ran out: some or all excerpts were not kept
 */
public record ContentMatch(String search, String path, Set<String> needles, List<Excerpt> excerpts, boolean truncated) {
  public ContentMatch {
    needles = Set.copyOf(needles);
    excerpts = List.copyOf(excerpts);
  }

  /**
   * A window of a file's bytes.
   *
   * @param offset where {@code bytes} start in the file
   */
  public record Excerpt(long offset, byte[] bytes) {
    /** The bytes as ISO-8859-1 text: one char per byte, so indexes are byte offsets. */
    public String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** All excerpts as text, separated by a newline. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Excerpt e : excerpts) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(e.text());
    }
    return sb.toString();
  }
}
