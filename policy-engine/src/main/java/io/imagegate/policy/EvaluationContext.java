package io.imagegate.policy;

import io.imagegate.facts.Baseline;
import java.util.Optional;

/**
 * What a check may need beyond the image's own facts, supplied by whoever runs the gate (the CLI
 * fills it from its options, e.g. {@code --baseline IMAGE}).
 *
 * @param baseline the image this one is compared against ({@code size-regression}), if given
 */
public record EvaluationContext(Optional<Baseline> baseline) {
  /** No baseline, nothing extra. */
  public static final EvaluationContext NONE = new EvaluationContext(Optional.empty());

  /** A context with {@code baseline}. */
  public static EvaluationContext withBaseline(Baseline baseline) {
    return new EvaluationContext(Optional.of(baseline));
  }
}
