package io.imagegate.policy;

import java.util.Locale;

/** How serious a finding is. {@code --fail-on} compares against this order. */
public enum Severity {
  NOTE,
  WARNING,
  ERROR;

  /** Whether this severity is at least {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) >= 0;
  }

  /** The YAML / CLI spelling: {@code error}, {@code warning}, {@code note}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the YAML / CLI spelling; throws {@link IllegalArgumentException} listing the choices. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.label().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a severity (expected error, warning or note)");
  }
}
