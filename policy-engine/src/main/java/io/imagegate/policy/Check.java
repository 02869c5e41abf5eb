package io.imagegate.policy;

import io.imagegate.facts.ImageFacts;
import io.imagegate.scan.ScanInterest;
import java.util.List;

/** A configured rule, ready to evaluate images. */
public interface Check {
  /** The file content this check needs captured during the layer scan. */
  default ScanInterest interest() {
    return ScanInterest.NONE;
  }

  /** The violations in this image; empty when the rule holds. */
  List<Violation> evaluate(ImageFacts facts);

  /**
   * The violations in this image given what the caller supplied beyond the image (a baseline).
   * The gate calls this one; checks that need the context override it, the rest need not.
   */
  default List<Violation> evaluate(ImageFacts facts, EvaluationContext context) {
    return evaluate(facts);
  }
}
