package io.imagegate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code imagegate policy validate|show|schema}: work with policy files without checking an image. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Validate policy files, show the effective policy after extends, or print the policy schema.",
    subcommands = {PolicyValidateCommand.class, PolicyShowCommand.class, PolicySchemaCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the policies are valid", "2:bad usage or an invalid policy"})
final class PolicyCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required: validate, show or schema");
  }
}
