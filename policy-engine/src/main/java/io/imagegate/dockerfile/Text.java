package io.imagegate.dockerfile;

/** Small text helpers shared by the parser and the history matcher. */
final class Text {
  private Text() {}

  /** Every run of whitespace (line breaks included) as one space, trimmed. */
  static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  /** {@code s} cut to {@code max} characters, ending in an ellipsis when cut. */
  static String abbreviate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end).stripTrailing() + "…";
  }
}
