package io.imagegate.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The rule types by YAML {@code type} name. Registering a name twice fails at start-up. */
public final class RuleTypes {
  private final Map<String, RuleType> byName = new TreeMap<>();

  /** A registry of {@code types}; throws {@link IllegalStateException} on a duplicate name. */
  public static RuleTypes of(RuleType... types) {
    RuleTypes r = new RuleTypes();
    for (RuleType t : types) {
      if (r.byName.putIfAbsent(t.name(), t) != null) {
        throw new IllegalStateException("two rule types named '" + t.name() + "'");
      }
    }
    return r;
  }

  public Optional<RuleType> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** All types, by name. */
  public Collection<RuleType> all() {
    return Collections.unmodifiableCollection(byName.values());
  }
}
