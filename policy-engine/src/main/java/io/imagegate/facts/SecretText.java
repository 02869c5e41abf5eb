package io.imagegate.facts;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises and redacts secret-looking text in what an image declares about itself: environment
 * variables, build {@code ARG}s that history {@code created_by} lines carry ({@code |2 NPM_TOKEN=…
 * /bin/sh -c …}), credentials in URLs, AWS access key ids. Findings and reports print only the
 * redacted form: a secret's first characters and an ellipsis.
 */
public final class SecretText {
  /** Key names that say their value is a secret, matched against the upper-cased key. */
  private static final Pattern SECRET_KEY = Pattern.compile(
      ".*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKENS?($|_)|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|(^|_)AUTH($|_)|_PWD$).*");
  /** Keys whose value names where a secret is, not the secret. */
  private static final Pattern REFERENCE_KEY = Pattern.compile(".*_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|ID|USER|USERNAME|NAME|TYPE|LENGTH|TTL)$");
  /** {@code KEY=value} in text: the value runs to whitespace, unless quoted. */
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|[^\\s\"']+)");
  /** An AWS access key id (AKIA long-term, ASIA temporary). */
  public static final Pattern AWS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])");
  /** {@code scheme://user:password@host}. */
  private static final Pattern URL_CREDENTIALS = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]+:)([^@/\\s]+)(@)");

  private SecretText() {}

  /** Whether an environment variable or build argument named {@code key} holds a secret by its name. */
  public static boolean isSecretKey(String key) {
    String k = key.toUpperCase(Locale.ROOT);
    return SECRET_KEY.matcher(k).matches() && !REFERENCE_KEY.matcher(k).matches();
  }

  /**
   * Whether {@code value} is an actual value rather than nothing, a variable reference
   * ({@code $X}, {@code ${X}}) or an absolute path (where a mounted secret is, e.g.
   * {@code GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json}).
   */
  public static boolean isConcreteValue(String value) {
    String v = unquote(value).trim();
    return !v.isEmpty() && !v.startsWith("$") && !ABSOLUTE_PATH.matcher(v).matches();
  }

  private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[A-Za-z0-9._/-]*");

  /** {@code hunt…} for {@code hunter2}: at most 4 characters, fewer for short values, never all of it. */
  public static String redact(String value) {
    String v = unquote(value);
    int show = v.length() >= 12 ? 4 : v.length() / 3;
    return v.substring(0, show) + "…";
  }

  /**
   * {@code text} with the values of secret-looking assignments, URL passwords and AWS key ids
   * redacted, for printing history lines and commands.
   */
  public static String redactAll(String text) {
    StringBuilder out = new StringBuilder();
    Matcher m = ASSIGNMENT.matcher(text);
    int last = 0;
    while (m.find()) {
      if (isSecretKey(m.group(1)) && isConcreteValue(m.group(2))) {
        out.append(text, last, m.start(2)).append(redact(m.group(2)));
        last = m.end(2);
      }
    }
    out.append(text.substring(last));
    String s = URL_CREDENTIALS.matcher(out.toString()).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + redact(r.group(2)) + r.group(3)));
    return AWS_KEY_ID.matcher(s).replaceAll(r -> Matcher.quoteReplacement(redact(r.group())));
  }

  /** Whether {@code text} holds a password in a URL ({@code https://user:pw@host}). */
  public static boolean hasUrlCredentials(String text) {
    return URL_CREDENTIALS.matcher(text).find();
  }

  /** The assignments ({@code KEY=value}) in {@code text}, keys and raw values, in order. */
  public static java.util.List<java.util.Map.Entry<String, String>> assignments(String text) {
    java.util.List<java.util.Map.Entry<String, String>> out = new java.util.ArrayList<>();
    Matcher m = ASSIGNMENT.matcher(text);
    while (m.find()) {
      out.add(java.util.Map.entry(m.group(1), m.group(2)));
    }
    return out;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
