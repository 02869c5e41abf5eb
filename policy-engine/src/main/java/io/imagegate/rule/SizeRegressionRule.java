package io.imagegate.rule;

import io.imagegate.facts.Baseline;
import io.imagegate.facts.ImageFacts;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Check;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code size-regression}: compared with a baseline image, the image must not have grown by more
 * than a number of bytes and/or a percentage. Without a baseline the rule says it could not
 * decide; it never passes silently.
 */
public final class SizeRegressionRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Image size did not regress",
      "Compared with a baseline image (given on the command line with --baseline IMAGE, e.g. the image built from "
          + "the main branch or the one in production), the image must not have grown by more than max-growth bytes "
          + "and/or max-growth-percent percent, measured uncompressed (default) or compressed. A size budget catches "
          + "fat images; this catches the gradual creep that stays under the budget. Without a baseline the rule "
          + "reports that it could not decide.",
      "Compare the layers of the two images (imagegate's JSON report lists each layer's size and build step) and "
          + "find the step that grew; or, if the growth is intended, update the baseline.",
      List.of(
          new RuleDocumentation.Parameter("max-growth", "size", "Most bytes the image may grow by, e.g. 5MB.", ""),
          new RuleDocumentation.Parameter("max-growth-percent", "percentage", "Most it may grow by relative to the baseline, e.g. 10%.", ""),
          new RuleDocumentation.Parameter("measure", "uncompressed or compressed", "Which size to compare.", "uncompressed")),
      List.of("size"));

  @Override
  public String name() {
    return "size-regression";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Optional<Long> maxGrowth = p.size("max-growth");
    Optional<Double> maxPercent = p.percentage("max-growth-percent");
    if (maxGrowth.isEmpty() && maxPercent.isEmpty()) {
      throw p.error("size-regression needs max-growth, max-growth-percent, or both (e.g. max-growth-percent: 10%)");
    }
    String measure = p.string("measure").orElse("uncompressed");
    if (!measure.equals("uncompressed") && !measure.equals("compressed")) {
      throw p.error("measure", "expected uncompressed or compressed, found '" + measure + "'");
    }
    boolean compressed = measure.equals("compressed");
    return new Check() {
      @Override
      public List<Violation> evaluate(ImageFacts facts) {
        return evaluate(facts, EvaluationContext.NONE);
      }

      @Override
      public List<Violation> evaluate(ImageFacts facts, EvaluationContext context) {
        if (context.baseline().isEmpty()) {
          return List.of(new Violation("cannot decide: no baseline image was given to compare the size with "
              + "(pass --baseline IMAGE)", Location.image(), Map.of("measure", measure)));
        }
        Baseline base = context.baseline().get();
        long before = compressed ? base.compressedSize() : base.uncompressedSize();
        long after = compressed ? facts.compressedSize() : facts.uncompressedSize();
        long growth = after - before;
        double percent = before == 0 ? (growth > 0 ? Double.POSITIVE_INFINITY : 0) : growth * 100.0 / before;
        List<String> over = new ArrayList<>();
        maxGrowth.filter(m -> growth > m).ifPresent(m -> over.add(ByteSize.format(m)));
        maxPercent.filter(m -> percent > m).ifPresent(m -> over.add(format(m) + "%"));
        if (over.isEmpty()) {
          return List.of();
        }
        String pct = Double.isInfinite(percent) ? "from nothing" : "+" + format(percent) + "%";
        return List.of(new Violation(measure + " size grew by " + ByteSize.format(growth) + " (" + pct + "), from "
            + ByteSize.format(before) + " in " + base.name() + " to " + ByteSize.format(after) + ", more than the "
            + String.join(" / ", over) + " allowed", Location.image(),
            Map.of("growth", ByteSize.format(growth), "baseline", base.name(), "measure", measure)));
      }
    };
  }

  private static String format(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }
}
