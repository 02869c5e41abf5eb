package io.imagegate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/** The root command: {@code imagegate check|demo|rules|policy|init}. */
@Command(
    name = "imagegate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A policy-as-code gate for container images: reads an image without a daemon, "
        + "checks it against a YAML policy and exits with a code the pipeline acts on.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the policy holds",
        "1:the policy is violated at or above --fail-on",
        "2:bad usage or invalid policy",
        "3:an image could not be read or verified (fail closed)"})
final class ImagegateCommand implements Runnable {
  /**
   * The subcommands by name, in the order help lists them. Added by {@link Main} rather than
   * declared in the annotation, so a run builds the model (by reflection, a good part of start-up)
   * of the one subcommand it runs.
   */
  static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("check", CheckCommand::new);
    m.put("demo", DemoCommand::new);
    m.put("rules", RulesCommand::new);
    m.put("policy", PolicyCommand::new);
    m.put("init", InitCommand::new);
    return m;
  }

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
