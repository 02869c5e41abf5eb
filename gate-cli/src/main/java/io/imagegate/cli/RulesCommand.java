package io.imagegate.cli;

import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.RuleTypes;
import io.imagegate.rule.StandardRuleTypes;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagegate rules [TYPE]}: the rule catalog with documentation and parameters. */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "List the rule types a policy can use, or document one.")
final class RulesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "TYPE", description = "A rule type to document in full.")
  String type;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RuleTypes types = StandardRuleTypes.all();
    Collection<RuleType> shown;
    if (type == null) {
      shown = types.all();
    } else {
      shown = List.of(types.get(type).orElseThrow(() -> new Main.UsageException("unknown rule type '" + type
          + "' (known: " + String.join(", ", types.all().stream().map(RuleType::name).toList()) + ")")));
    }
    for (RuleType t : shown) {
      RuleDocumentation d = t.documentation();
      out.println(t.name() + " — " + d.title());
      out.println();
      out.println(indent(d.description()));
      out.println();
      out.println("  How to fix: " + d.help());
      if (!d.parameters().isEmpty()) {
        out.println();
        out.println("  Parameters:");
        for (RuleDocumentation.Parameter p : d.parameters()) {
          out.println("    " + p.name() + " (" + p.type() + ")" + (p.defaultValue().isEmpty() ? "" : ", default " + p.defaultValue())
              + ": " + p.description());
        }
      }
      out.println();
    }
    out.flush();
    return ExitCodes.PASS;
  }

  private static String indent(String text) {
    return "  " + text;
  }
}
