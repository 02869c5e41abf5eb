package io.imagegate.policy;

import java.util.regex.Pattern;

/**
 * Path globs over absolute paths inside an image: {@code *} matches within one path segment,
 * {@code **} any number of segments, {@code ?} one character, {@code [abc]} / {@code [!abc]} a
 * class. {@code **}{@code /x} also matches {@code /x}. A glob without a leading {@code /} matches at
 * any depth ({@code *.pem} is {@code **}{@code /*.pem}).
 */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /** Compiles a glob; throws {@link IllegalArgumentException} for an unclosed class or an empty glob. */
  public static Glob compile(String glob) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("empty glob");
    }
    String g = glob.startsWith("/") || glob.startsWith("**") ? glob : "**/" + glob;
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
          if (slashAfter) {
            re.append("(?:.*/)?");
            i += 3;
          } else {
            re.append(".*");
            i += 2;
          }
          continue;
        }
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = g.indexOf(']', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'" + glob + "' has an unclosed [");
        }
        String body = g.substring(i + 1, close);
        if (body.startsWith("!")) {
          body = "^" + body.substring(1);
        }
        re.append('[').append(body.replace("\\", "\\\\")).append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    String regex = re.toString();
    if (regex.startsWith("(?:.*/)?")) {
      // "**/x" at the start: the path is absolute, so any depth means "/(…/)?x"
      regex = "/" + regex;
    }
    return new Glob(glob, Pattern.compile(regex));
  }

  /** Whether the absolute {@code path} matches. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Globs are equal when written the same (so identical scan interests merge). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
