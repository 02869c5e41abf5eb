package io.imagegate.cli;

import io.imagegate.policy.PolicyWriter;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imagegate policy show FILE}: the effective policy after {@code extends}, as YAML, every
 * rule and exception under a comment naming the file and line that defined it.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Print the effective policy after extends as YAML: every inherited rule and exception written out, "
            + "in order, each under a '# from FILE:LINE' comment. The output is itself a valid policy."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the policy is valid and was printed", "2:the policy is invalid, or bad usage"})
final class PolicyShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1", paramLabel = "FILE", description = "A policy file, or a built-in pack name.")
  String file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(PolicyWriter.toYaml(PolicyOptions.load(PolicyOptions.loader(), file)));
    out.flush();
    return ExitCodes.PASS;
  }
}
