package io.imagegate.rule;

import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import java.util.List;
import java.util.Optional;

/**
 * A size budget as {@code max-size} and {@code max-layer-size} take it: {@code uncompressed} (the
 * files) and/or {@code compressed} (the blobs), at least one of them.
 */
record SizeBudget(Optional<Long> uncompressed, Optional<Long> compressed) {
  /** Reads the budget; neither set is a policy error naming {@code rule} and an example. */
  static SizeBudget of(RuleParameters p, String rule, String example) {
    Optional<Long> uncompressed = p.size("uncompressed");
    Optional<Long> compressed = p.size("compressed");
    if (uncompressed.isEmpty() && compressed.isEmpty()) {
      throw p.error(rule + " needs a budget: set uncompressed, compressed, or both (e.g. uncompressed: " + example + ")");
    }
    return new SizeBudget(uncompressed, compressed);
  }

  /** The two parameters' documentation. */
  static List<RuleDocumentation.Parameter> parameters(String uncompressed, String compressed) {
    return List.of(new RuleDocumentation.Parameter("uncompressed", "size", uncompressed, ""),
        new RuleDocumentation.Parameter("compressed", "size", compressed, ""));
  }
}
