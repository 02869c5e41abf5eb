package io.imagegate.policy;

import java.util.regex.Pattern;

/**
 * A glob over plain names rather than paths: package names ({@code *-dev}, {@code gcc*}),
 * environment variable keys ({@code *_PASSWORD}, {@code AWS_*}), image references. {@code *}
 * matches any run of characters (slashes included), {@code ?} one character, {@code [abc]} /
 * {@code [!abc]} a class; everything else stands for itself.
 */
public final class NameGlob {
  private final String text;
  private final Pattern pattern;

  private NameGlob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /** Compiles a case-sensitive glob; throws {@link IllegalArgumentException} for an unclosed class or an empty glob. */
  public static NameGlob compile(String glob) {
    return compile(glob, false);
  }

  /** Compiles a glob, ignoring case when {@code ignoreCase}. */
  public static NameGlob compile(String glob, boolean ignoreCase) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("empty glob");
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int close = glob.indexOf(']', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'" + glob + "' has an unclosed [");
        }
        String body = glob.substring(i + 1, close);
        if (body.startsWith("!")) {
          body = "^" + body.substring(1);
        }
        re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    return new NameGlob(glob, Pattern.compile(re.toString(), flags));
  }

  /** Whether the whole of {@code name} matches. */
  public boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NameGlob g && g.text.equals(text) && g.pattern.flags() == pattern.flags();
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
