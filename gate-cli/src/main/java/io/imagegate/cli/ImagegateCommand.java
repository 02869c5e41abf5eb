package io.imagegate.cli;

import picocli.CommandLine.Command;

/** The root command: {@code imagegate check|demo|rules|policy|init}. */
@Command(
    name = "imagegate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A policy-as-code gate for container images: reads an image without a daemon, "
        + "checks it against a YAML policy and exits with a code the pipeline acts on.",
    subcommands = {CheckCommand.class, DemoCommand.class, RulesCommand.class, PolicyCommand.class, InitCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the policy holds",
        "1:the policy is violated at or above --fail-on",
        "2:bad usage or invalid policy",
        "3:an image could not be read or verified (fail closed)"})
final class ImagegateCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private final CliEnvironment environment;

  ImagegateCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  /** Where the command runs; subcommands reach it through {@code @ParentCommand}. */
  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required: check, demo, rules, policy or init");
  }
}
