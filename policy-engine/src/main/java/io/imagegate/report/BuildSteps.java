package io.imagegate.report;

/** Shortens a history entry's {@code created_by} to what a Dockerfile author wrote. */
public final class BuildSteps {
  private BuildSteps() {}

  /**
   * The build step as a Dockerfile instruction where it can be recognised: the classic builder
   * records {@code RUN x} as {@code /bin/sh -c x} and metadata steps as {@code /bin/sh -c #(nop) CMD …};
   * BuildKit records {@code RUN /bin/sh -c x # buildkit}. Whitespace runs (multi-line steps) become one space.
   */
  static String readable(String createdBy) {
    String s = createdBy.strip().replaceAll("\\s+", " ");
    if (s.endsWith(" # buildkit")) {
      s = s.substring(0, s.length() - " # buildkit".length());
    }
    if (s.startsWith("/bin/sh -c #(nop) ")) {
      return s.substring("/bin/sh -c #(nop) ".length()).strip();
    }
    if (s.startsWith("/bin/sh -c ")) {
      return "RUN " + s.substring("/bin/sh -c ".length()).strip();
    }
    if (s.startsWith("RUN /bin/sh -c ")) {
      return "RUN " + s.substring("RUN /bin/sh -c ".length()).strip();
    }
    return s;
  }

  /** {@link #readable} cut to {@code max} characters, ending in an ellipsis when cut. */
  static String readable(String createdBy, int max) {
    return abbreviate(readable(createdBy), max);
  }

  /** {@code s} cut to {@code max} characters, ending in an ellipsis when cut. */
  public static String abbreviate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // don't split a surrogate pair
    }
    return s.substring(0, end).stripTrailing() + "…";
  }
}
