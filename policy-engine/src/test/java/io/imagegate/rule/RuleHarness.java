package io.imagegate.rule;

import io.imagegate.build.BuiltImage;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.PolicyException;
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
    return evaluate(image, rulesYaml, EvaluationContext.NONE);
  }

  static ImageReport evaluate(BuiltImage image, String rulesYaml, EvaluationContext context) {
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test")) {
      return gate.evaluate(image.toImage("test/image"), policy(rulesYaml), Severity.ERROR, context);
    }
  }

  static List<Finding> findings(BuiltImage image, String rulesYaml) {
    return findings(image, rulesYaml, EvaluationContext.NONE);
  }

  /** The findings' messages. */
  static List<String> messages(BuiltImage image, String rulesYaml) {
    return findings(image, rulesYaml).stream().map(Finding::message).toList();
  }

  /** The message of the policy error that loading {@code rulesYaml} gives. */
  static String loadError(String rulesYaml) {
    try {
      policy(rulesYaml);
    } catch (PolicyException e) {
      return e.getMessage();
    }
    throw new AssertionError("the policy loaded without error");
  }

  static List<Finding> findings(BuiltImage image, String rulesYaml, EvaluationContext context) {
    ImageReport r = evaluate(image, rulesYaml, context);
    if (r.error().isPresent()) {
      throw new AssertionError("image could not be read: " + r.error().get());
    }
    return r.findings();
  }
}
