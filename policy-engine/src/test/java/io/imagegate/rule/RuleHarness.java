package io.imagegate.rule;

import io.imagegate.build.BuiltImage;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.scan.ScanLimits;
import java.util.List;

/** Evaluates a policy snippet against a built image through the real gate (scanner, merge, facts). */
final class RuleHarness {
  private RuleHarness() {}

  /** The policy made of {@code rulesYaml} (the items under {@code rules:}, indented by two). */
  static Policy policy(String rulesYaml) {
    String text = "apiVersion: imagegate/v1\nkind: Policy\nrules:\n" + rulesYaml;
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("test.yaml", text, null);
  }

  static ImageReport evaluate(BuiltImage image, String rulesYaml) {
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test")) {
      return gate.evaluate(image.toImage("test/image"), policy(rulesYaml), Severity.ERROR);
    }
  }

  static List<Finding> findings(BuiltImage image, String rulesYaml) {
    ImageReport r = evaluate(image, rulesYaml);
    if (r.error().isPresent()) {
      throw new AssertionError("image could not be read: " + r.error().get());
    }
    return r.findings();
  }
}
