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
}
