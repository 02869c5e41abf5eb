package io.imagegate.rule;

import io.imagegate.facts.LayerFacts;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * {@code max-layer-size}: a budget on each layer's uncompressed size (its files) and/or compressed
 * size (its blob); each layer over budget is a finding that names the build step that made it.
 */
public final class MaxLayerSizeRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Each layer within its size budget",
      "No single layer may be larger than the budget, uncompressed (the sum of its files) and/or compressed (its "
          + "blob). One oversized layer usually holds a build cache, a package index or a toolchain that the "
          + "final image does not need; each finding names the layer and the build step (history created_by) "
          + "that made it.",
      "Look at the named step: remove caches in the same RUN that creates them (apt-get clean, rm -rf "
          + "/var/lib/apt/lists/*, pip --no-cache-dir), or move the step to a builder stage and COPY --from only "
          + "its output.",
      SizeBudget.parameters("Budget for each layer's files, e.g. 50MB.", "Budget for each layer's blob as pushed."),
      List.of("size", "efficiency"));

  @Override
  public String name() {
    return "max-layer-size";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    SizeBudget budgets = SizeBudget.of(p, "max-layer-size", "50MB");
    Optional<Long> uncompressed = budgets.uncompressed();
    Optional<Long> compressed = budgets.compressed();
    return facts -> {
      List<Violation> out = new ArrayList<>();
      for (LayerFacts l : facts.layers()) {
        uncompressed.ifPresent(b -> check(l, "uncompressed", LayerFacts::contentSize, b, out));
        compressed.ifPresent(b -> check(l, "compressed", LayerFacts::compressedSize, b, out));
      }
      return out;
    };
  }

  private static void check(LayerFacts l, String kind, ToLongFunction<LayerFacts> size, long budget, List<Violation> out) {
    long actual = size.applyAsLong(l);
    if (actual <= budget) {
      return;
    }
    String step = l.createdBy().isEmpty() ? "" : " (" + MaxSizeRule.abbreviate(l.createdBy()) + ")";
    out.add(new Violation("layer " + l.index() + " is " + ByteSize.format(actual) + " " + kind
        + ", over the per-layer budget of " + ByteSize.format(budget) + step, Location.layer(l.index()),
        Map.of("actual", ByteSize.format(actual), "budget", ByteSize.format(budget), "kind", kind,
            "layer", String.valueOf(l.index()))));
  }
}
