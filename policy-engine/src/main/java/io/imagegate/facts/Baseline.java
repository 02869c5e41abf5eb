package io.imagegate.facts;

/**
 * The image a candidate is compared against (e.g. the one currently deployed, or the main
 * branch's build): its name for messages and its sizes, counted as {@link ImageFacts} counts them.
 */
public record Baseline(String name, long uncompressedSize, long compressedSize) {
  public Baseline {
    if (uncompressedSize < 0 || compressedSize < 0) {
      throw new IllegalArgumentException("sizes cannot be negative");
    }
  }
}
