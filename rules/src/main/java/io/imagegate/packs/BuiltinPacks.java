package io.imagegate.packs;

import io.imagegate.policy.PackResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in policy packs, YAML resources under {@code io/imagegate/packs/}, listed in
 * {@code io/imagegate/packs/index}.
 */
public final class BuiltinPacks implements PackResolver {
  /** The pack a check uses when no policy is given. */
  public static final String DEFAULT = "minimal";

  private static final String DIR = "io/imagegate/packs/";

  private final Set<String> names;

  public BuiltinPacks() {
    String index = read("index").orElseThrow(() -> new IllegalStateException("packs index missing from the classpath"));
    Set<String> n = new LinkedHashSet<>();
    for (String line : index.split("\n")) {
      if (!line.isBlank()) {
        n.add(line.trim());
      }
    }
    this.names = Set.copyOf(n);
  }

  @Override
  public Optional<String> text(String name) {
    return names.contains(name) ? read(name + ".yaml") : Optional.empty();
  }

  @Override
  public Set<String> names() {
    return names;
  }

  private static Optional<String> read(String resource) {
    try (InputStream in = BuiltinPacks.class.getClassLoader().getResourceAsStream(DIR + resource)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
