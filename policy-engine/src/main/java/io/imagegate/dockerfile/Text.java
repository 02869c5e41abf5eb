package io.imagegate.dockerfile;

/** Small text helpers shared by the parser and the history matcher. */
final class Text {
  private Text() {}

  /** Every run of whitespace (line breaks included) as one space, trimmed. */
  static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }
}
