package io.imagegate.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The output formats by name, as {@code --format} and {@code --report} spell them. */
public final class Reporters {
  private final Map<String, Reporter> byFormat;

  private Reporters(Map<String, Reporter> byFormat) {
    this.byFormat = byFormat;
  }

  /** The built-in formats ({@code sarif}, {@code json}, {@code junit}, {@code markdown}, {@code text}), text without colour. */
  public static Reporters standard() {
    return standard(false);
  }

  /** The built-in formats, the text format with ANSI colour when {@code colour}. */
  public static Reporters standard(boolean colour) {
    return of(new SarifReporter(), new JsonReporter(), new JUnitReporter(), new MarkdownReporter(),
        new TextReporter(colour));
  }

  /**
   * The built-in formats, the text format with ANSI colour when {@code colour}, SARIF naming
   * policy files relative to {@code repositoryRoot}.
   */
  public static Reporters standard(boolean colour, java.nio.file.Path repositoryRoot) {
    return of(new SarifReporter(repositoryRoot), new JsonReporter(), new JUnitReporter(), new MarkdownReporter(),
        new TextReporter(colour));
  }

  /** These reporters; throws {@link IllegalArgumentException} when two share a format name. */
  public static Reporters of(Reporter... reporters) {
    Map<String, Reporter> byFormat = new LinkedHashMap<>();
    for (Reporter r : reporters) {
      Reporter previous = byFormat.putIfAbsent(r.format().toLowerCase(Locale.ROOT), r);
      if (previous != null) {
        throw new IllegalArgumentException("two reporters for format '" + r.format() + "': "
            + previous.getClass().getName() + " and " + r.getClass().getName());
      }
    }
    return new Reporters(byFormat);
  }

  /** The reporter for {@code format} (case-insensitive), if there is one. */
  public Optional<Reporter> get(String format) {
    return Optional.ofNullable(byFormat.get(format.toLowerCase(Locale.ROOT)));
  }

  /** The format names (lower case) in registration order, e.g. for {@code --help} and error messages. */
  public List<String> names() {
    return List.copyOf(byFormat.keySet());
  }
}
