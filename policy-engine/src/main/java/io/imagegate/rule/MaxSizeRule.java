package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.facts.LayerFacts;
import io.imagegate.facts.SecretText;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code max-size}: a budget on the image's uncompressed size (the sum of its layers' files, as
 * {@code docker images} and dive count it) and/or its compressed size (the layer blobs a registry
 * stores and a node pulls).
 */
public final class MaxSizeRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Image size within budget",
      "The image's uncompressed size (the sum of the files in its layers, as docker images and dive report it) "
          + "and/or compressed size (the layer blobs a registry stores and every node pulls) must not exceed the "
          + "budget. Large images pull slowly, cost storage, and usually carry build tools and caches that "
          + "production does not need.",
      "Use a multi-stage build: build in a full image, then COPY --from the builder only the artifacts into a "
          + "slim, distroless or scratch base. Remove package manager caches in the same RUN that creates them, "
          + "and check the largest layers listed in the finding.",
      SizeBudget.parameters("Budget for the uncompressed size, e.g. 100MB, 60MiB.", "Budget for the compressed (pushed) size."),
      List.of("size", "efficiency"));

  @Override
  public String name() {
    return "max-size";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    SizeBudget budgets = SizeBudget.of(p, "max-size", "100MB");
    Optional<Long> uncompressed = budgets.uncompressed();
    Optional<Long> compressed = budgets.compressed();
    return facts -> {
      List<Violation> out = new ArrayList<>();
      uncompressed.ifPresent(budget -> check(facts, "uncompressed", facts.uncompressedSize(), budget,
          LayerFacts::contentSize, out));
      compressed.ifPresent(budget -> check(facts, "compressed", facts.compressedSize(), budget,
          LayerFacts::compressedSize, out));
      return out;
    };
  }

  private static void check(ImageFacts facts, String kind, long actual, long budget,
      java.util.function.ToLongFunction<LayerFacts> size, List<Violation> out) {
    if (actual <= budget) {
      return;
    }
    String largest = facts.layers().stream()
        .sorted(Comparator.comparingLong(size).reversed())
        .limit(3)
        .filter(l -> size.applyAsLong(l) > 0)
        .map(l -> "layer " + l.index() + " " + ByteSize.format(size.applyAsLong(l))
            + (l.createdBy().isEmpty() ? "" : " (" + abbreviate(l.createdBy()) + ")"))
        .collect(Collectors.joining(", "));
    out.add(new Violation(
        kind + " size " + ByteSize.format(actual) + " exceeds the budget of " + ByteSize.format(budget)
            + (largest.isEmpty() ? "" : "; largest layers: " + largest),
        Location.image(),
        Map.of("actual", ByteSize.format(actual), "budget", ByteSize.format(budget), "kind", kind)));
  }

  /**
   * A build step for a finding's text: short, and with secret-looking values redacted (a build
   * argument such as {@code |1 NPM_TOKEN=… /bin/sh -c …} is recorded in {@code created_by}).
   */
  static String abbreviate(String createdBy) {
    String s = SecretText.redactAll(createdBy).replaceFirst("^/bin/sh -c #\\(nop\\) *", "").replaceFirst("^/bin/sh -c ", "RUN ").trim();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
