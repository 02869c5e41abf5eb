package io.imagegate.cli;

import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyException;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Waiver;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imagegate policy validate FILE...}: loads each policy (with its {@code extends}) as
 * {@code check} would, and says what is wrong with {@code file:line:column}. Exceptions that can
 * never apply (their rule names no rule of the policy) or have expired are warnings.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Validate policy files (and what they extend) against the policy format.",
        "Errors name file:line:column, the key, and what was expected; exceptions that can never apply "
            + "or have expired are warnings."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every policy is valid (warnings aside)", "2:a policy is invalid, or bad usage"})
final class PolicyValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files (or built-in pack names) to validate.")
  List<String> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PolicyLoader loader = PolicyOptions.loader();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    int invalid = 0;
    for (String file : files) {
      Policy policy;
      try {
        policy = PolicyOptions.load(loader, file);
      } catch (PolicyException e) {
        err.println("imagegate: invalid policy: " + e.getMessage());
        invalid++;
        continue;
      }
      for (Waiver w : policy.exceptions()) {
        Optional<String> problem = policy.unmatchedRule(w);
        problem.ifPresent(p -> err.println("imagegate: warning: " + w.origin() + ": exception for " + w.rule() + " " + p
            + "; it can never apply"));
        if (w.expired(today)) {
          err.println("imagegate: warning: " + w.origin() + ": exception for " + w.rule() + " expired after "
              + w.until().orElseThrow() + "; its findings count again");
        }
      }
      out.println(file + ": valid (" + count(policy.rules().size(), "rule") + ", "
          + count(policy.exceptions().size(), "exception") + ")");
    }
    out.flush();
    err.flush();
    return invalid == 0 ? ExitCodes.PASS : ExitCodes.USAGE;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
