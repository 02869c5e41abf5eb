package io.imagegate.policy;

import java.util.Optional;
import java.util.Set;

/** Finds built-in policy packs by name (the {@code rules} module provides them). */
public interface PackResolver {
  /** The YAML text of pack {@code name}. */
  Optional<String> text(String name);

  /** Every pack's name, for error messages. */
  Set<String> names();

  /** No packs. */
  PackResolver NONE = new PackResolver() {
    @Override
    public Optional<String> text(String name) {
      return Optional.empty();
    }

    @Override
    public Set<String> names() {
      return Set.of();
    }
  };
}
