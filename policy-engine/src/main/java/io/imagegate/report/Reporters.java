package io.imagegate.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The output formats by name, as {@code --format} and {@code --report} spell them. A standard
 * reporter is made when its format is first asked for: a run writes one or two formats, and a
 * reporter can be costly to make (a JSON mapper).
 */
public final class Reporters {
  private final Map<String, Supplier<Reporter>> byFormat;
  private final Map<String, Reporter> made = new ConcurrentHashMap<>();

  private Reporters(Map<String, Supplier<Reporter>> byFormat) {
    this.byFormat = byFormat;
  }

  /** The built-in formats ({@code sarif}, {@code json}, {@code junit}, {@code markdown}, {@code text}), text without colour. */
  public static Reporters standard() {
    return standard(false, java.nio.file.Path.of("").toAbsolutePath());
  }

  /**
   * The built-in formats, the text format with ANSI colour when {@code colour}, SARIF naming
   * policy files relative to {@code repositoryRoot}.
   */
  public static Reporters standard(boolean colour, java.nio.file.Path repositoryRoot) {
    Map<String, Supplier<Reporter>> m = new LinkedHashMap<>();
    m.put("sarif", () -> new SarifReporter(repositoryRoot));
    m.put("json", JsonReporter::new);
    m.put("junit", JUnitReporter::new);
    m.put("markdown", MarkdownReporter::new);
    m.put("text", () -> new TextReporter(colour));
    return new Reporters(m);
  }

  /** These reporters; throws {@link IllegalArgumentException} when two share a format name. */
  public static Reporters of(Reporter... reporters) {
    Map<String, Supplier<Reporter>> byFormat = new LinkedHashMap<>();
    Map<String, Reporter> seen = new LinkedHashMap<>();
    for (Reporter r : reporters) {
      String name = r.format().toLowerCase(Locale.ROOT);
      Reporter previous = seen.putIfAbsent(name, r);
      if (previous != null) {
        throw new IllegalArgumentException("two reporters for format '" + r.format() + "': "
            + previous.getClass().getName() + " and " + r.getClass().getName());
      }
      byFormat.put(name, () -> r);
    }
    return new Reporters(byFormat);
  }

  /** The reporter for {@code format} (case-insensitive), if there is one. */
  public Optional<Reporter> get(String format) {
    String name = format.toLowerCase(Locale.ROOT);
    Supplier<Reporter> make = byFormat.get(name);
    return make == null ? Optional.empty() : Optional.of(made.computeIfAbsent(name, k -> make.get()));
  }

  /** The format names (lower case) in registration order, e.g. for {@code --help} and error messages. */
  public List<String> names() {
    return List.copyOf(byFormat.keySet());
  }
}
