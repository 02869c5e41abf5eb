package io.imagegate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code imagegate policy schema}: prints the policy format's JSON Schema, e.g. to save it for an editor. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Print the JSON Schema (draft 2020-12) of the policy format, the one the loader checks against.",
        "Save it and point your editor at it, e.g. with a first line "
            + "'# yaml-language-server: $schema=policy-v1.json' (see docs/policy.md)."})
final class PolicySchemaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(PolicyOptions.loader().schema().text());
    out.flush();
    return ExitCodes.PASS;
  }
}
