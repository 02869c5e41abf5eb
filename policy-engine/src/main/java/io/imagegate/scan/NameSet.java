package io.imagegate.scan;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;

/**
 * A set of file names that says whether a path's last element is one of them without cutting it
 * out: rules test every path of an image (100,000 and more) against a few dozen names, and a
 * substring per path per rule was most of their time.
 */
public final class NameSet {
  private final int[] hashes;
  private final String[] names;
  /** Bit n set: some name has length n (names of 64 characters or more set bit 63). */
  private final long lengths;
  /** First characters of the names (ASCII); a name starting otherwise sets {@link #otherFirst}. */
  private final boolean[] firsts = new boolean[128];
  private final boolean otherFirst;

  private NameSet(int[] hashes, String[] names) {
    this.hashes = hashes;
    this.names = names;
    long l = 0;
    boolean other = false;
    for (String n : names) {
      l |= 1L << Math.min(n.length(), 63);
      if (n.isEmpty() || n.charAt(0) >= 128) {
        other = true;
      } else {
        firsts[n.charAt(0)] = true;
      }
    }
    this.lengths = l;
    this.otherFirst = other;
  }

  /** The set of {@code names}. */
  public static NameSet of(Collection<String> names) {
    String[] sorted = names.stream().distinct().sorted(Comparator.comparingInt(String::hashCode)).toArray(String[]::new);
    int[] hashes = Arrays.stream(sorted).mapToInt(String::hashCode).toArray();
    return new NameSet(hashes, sorted);
  }

  /** The name of this set that {@code path}'s last element ({@code /} separated) is, or null. */
  public String match(String path) {
    int start = path.lastIndexOf('/') + 1;
    int length = path.length() - start;
    // most paths fail on length or first character, before any hashing
    if ((lengths & (1L << Math.min(length, 63))) == 0) {
      return null;
    }
    if (length > 0) {
      char first = path.charAt(start);
      if (first < 128 ? !firsts[first] : !otherFirst) {
        return null;
      }
    }
    int h = 0;
    for (int i = start; i < path.length(); i++) {
      h = 31 * h + path.charAt(i); // String.hashCode of the last element
    }
    int at = Arrays.binarySearch(hashes, h);
    if (at < 0) {
      return null;
    }
    while (at > 0 && hashes[at - 1] == h) {
      at--;
    }
    for (; at < hashes.length && hashes[at] == h; at++) {
      String n = names[at];
      if (n.length() == length && path.regionMatches(start, n, 0, length)) {
        return n;
      }
    }
    return null;
  }
}
