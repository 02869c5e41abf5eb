package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code entrypoint}: the image says what it runs (ENTRYPOINT set) and runs it in exec form, so
 * the application is PID 1 and receives signals.
 */
public final class EntrypointRule implements RuleType {
  private static final Set<String> SHELLS = new LinkedHashSet<>(NoShellRule.DEFAULT_SHELLS);

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "ENTRYPOINT set, in exec form",
      "The image config must set ENTRYPOINT (with require-entrypoint: false, ENTRYPOINT or CMD), and what runs must "
          + "be in exec form. A shell-form ENTRYPOINT or CMD (/bin/sh -c ...) makes the shell PID 1: SIGTERM from "
          + "docker stop or Kubernetes reaches the shell, not the application, which is killed after the grace "
          + "period instead of shutting down cleanly; it also needs a shell in the image.",
      "Write ENTRYPOINT [\"/app\", \"--flag\"] (JSON array) instead of ENTRYPOINT /app --flag, and pass defaults "
          + "through CMD [\"...\"].",
      List.of(
          new RuleDocumentation.Parameter("require-entrypoint", "boolean", "Require ENTRYPOINT; when false, CMD alone is enough.", "true"),
          new RuleDocumentation.Parameter("exec-form", "boolean", "Require exec form for what runs.", "true")),
      List.of("reliability"));

  @Override
  public String name() {
    return "entrypoint";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    boolean requireEntrypoint = p.bool("require-entrypoint").orElse(true);
    boolean execForm = p.bool("exec-form").orElse(true);
    return facts -> {
      List<String> entrypoint = facts.config().entrypoint();
      List<String> cmd = facts.config().cmd();
      List<Violation> out = new ArrayList<>();
      if (entrypoint.isEmpty() && cmd.isEmpty()) {
        out.add(new Violation("neither ENTRYPOINT nor CMD is set: the image does not say what it runs",
            Location.config("Entrypoint"), Map.of()));
        return out;
      }
      if (entrypoint.isEmpty() && requireEntrypoint) {
        out.add(new Violation("ENTRYPOINT is not set (only CMD, which any argument to docker run replaces)",
            Location.config("Entrypoint"), Map.of()));
      }
      if (execForm) {
        if (NoShellRule.isShellForm(entrypoint, SHELLS)) {
          out.add(shellForm("ENTRYPOINT", "Entrypoint", entrypoint));
        } else if (entrypoint.isEmpty() && NoShellRule.isShellForm(cmd, SHELLS)) {
          out.add(shellForm("CMD", "Cmd", cmd));
        }
      }
      return out;
    };
  }

  private static Violation shellForm(String instruction, String field, List<String> argv) {
    return new Violation(instruction + " is in shell form (" + String.join(" ", argv.subList(0, 2))
        + " ...): the shell, not the application, is PID 1 and gets the signals; use the exec form",
        Location.config(field), Map.of("field", field));
  }
}
