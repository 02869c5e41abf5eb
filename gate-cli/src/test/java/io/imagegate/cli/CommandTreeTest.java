package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command tree {@link Main} builds: only the subcommand a run names (building the others costs
 * start-up for nothing), everything when the run names none, so help and errors know them all.
 */
class CommandTreeTest {
  private static CommandLine tree(String... args) {
    PrintWriter w = new PrintWriter(new StringWriter());
    return Main.commandLine(Cli.cleanEnvironment(), w, w, args);
  }

  @Test
  void aRunNamingASubcommand_buildsThatOneOnly() {
    assertThat(tree("check", "x").getSubcommands()).containsOnlyKeys("check");
    assertThat(tree("policy", "show", "p.yaml").getSubcommands()).containsOnlyKeys("policy");
    assertThat(tree("policy").getSubcommands().get("policy").getSubcommands())
        .containsOnlyKeys("validate", "show", "schema");
  }

  @Test
  void otherwise_everySubcommandInHelpOrder() {
    assertThat(tree().getSubcommands().keySet()).containsExactly("check", "demo", "rules", "policy", "init");
    assertThat(tree("--help").getSubcommands().keySet()).containsExactly("check", "demo", "rules", "policy", "init");
    assertThat(tree("chek").getSubcommands()).hasSize(5);
  }

  @Test
  void rootHelp_listsEveryCommand_andAMistypedOneIsBadUsage() {
    Cli help = Cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("check ", "demo ", "rules ", "policy ", "init ");
    Cli typo = Cli.run("chek");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("'chek'");
  }

  @Test
  void aSubcommandBuiltAlone_stillReachesItsParent() {
    // @ParentCommand carries the environment: a check built alone must still see it
    Cli cli = Cli.run("rules");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Cli check = Cli.run("check", "--help");
    assertThat(check.exitCode()).isZero();
    assertThat(check.out()).startsWith("Usage: imagegate check");
  }
}
