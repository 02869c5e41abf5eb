package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.List;
import java.util.Map;

/** {@code healthcheck}: the image declares a HEALTHCHECK that is not {@code NONE} (CIS Docker 4.6). */
public final class HealthcheckRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "HEALTHCHECK declared",
      "The image config must declare a HEALTHCHECK whose test is not NONE (CIS Docker Benchmark 4.6). Without one, "
          + "Docker and Swarm cannot tell a hung container from a working one. With exec-form: true, the test must "
          + "also be in exec form (CMD, not CMD-SHELL), which needs no shell in the image. Kubernetes ignores "
          + "HEALTHCHECK and uses its probes instead.",
      "Add a HEALTHCHECK to the final stage, e.g. HEALTHCHECK --interval=30s CMD [\"/app\", \"health\"], using the "
          + "application's own health command in a shell-less image.",
      List.of(new RuleDocumentation.Parameter("exec-form", "boolean", "Require the exec form (CMD [...]) rather than CMD-SHELL.", "false")),
      List.of("reliability", "cis-docker-4.6"));

  @Override
  public String name() {
    return "healthcheck";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    boolean execForm = p.bool("exec-form").orElse(false);
    return facts -> {
      List<String> test = facts.config().healthcheck();
      Location where = Location.config("Healthcheck");
      if (test.isEmpty()) {
        return List.of(new Violation("no HEALTHCHECK is declared", where, Map.of()));
      }
      String kind = test.get(0);
      if (kind.equals("NONE")) {
        return List.of(new Violation("HEALTHCHECK NONE disables the health check", where, Map.of()));
      }
      if (execForm && !kind.equals("CMD")) {
        return List.of(new Violation("HEALTHCHECK is in " + kind + " form, which needs a shell; use CMD [\"...\"]",
            where, Map.of()));
      }
      return List.of();
    };
  }
}
