package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tests for the config rule types: {@link RequiredLabelsRule}, {@link HealthcheckRule},
 * {@link ExposedPortsRule}, {@link EntrypointRule}, {@link ForbiddenEnvRule}.
 */
class MetadataRulesTest {
  private static BuiltImage image(UnaryOperator<ImageBuilder> config) {
    return config.apply(ImageBuilder.image().layer(l -> l.file("/app", "x", 0755))).build();
  }

  /** Tests for {@link RequiredLabelsRule}. */
  @Nested
  class RequiredLabels {
    private static final String SOURCE = "org.opencontainers.image.source";

    @Test
    void evaluate_presentLabels_pass() {
      BuiltImage img = image(b -> b.label(SOURCE, "https://github.com/acme/app").label("team", "core"));
      assertThat(RuleHarness.messages(img, "  - id: l\n    type: required-labels\n    labels: [" + SOURCE + ", team]\n")).isEmpty();
    }

    @Test
    void evaluate_missingAndEmpty_fail() {
      BuiltImage img = image(b -> b.label("team", " "));
      assertThat(RuleHarness.messages(img, "  - id: l\n    type: required-labels\n    labels: [" + SOURCE + ", team]\n"))
          .containsExactly("label " + SOURCE + " is missing", "label team is empty");
    }

    @Test
    void evaluate_valueRegex_bothSides() {
      String rule = "  - id: l\n    type: required-labels\n    labels:\n      " + SOURCE + ": '^https://github\\.com/acme/'\n      team:\n";
      assertThat(RuleHarness.messages(image(b -> b.label(SOURCE, "https://github.com/acme/app").label("team", "x")), rule)).isEmpty();
      assertThat(RuleHarness.messages(image(b -> b.label(SOURCE, "https://gitlab.com/acme/app").label("team", "x")), rule))
          .containsExactly("label " + SOURCE + " is 'https://gitlab.com/acme/app', which does not match ^https://github\\.com/acme/");
    }

    @Test
    void configure_badRegex_namesTheKeyAndWhatIsWrong() {
      assertThat(RuleHarness.loadError("  - id: l\n    type: required-labels\n    labels:\n      team: '[a-'\n"))
          .startsWith("test.yaml:7:13: rules.l.labels.team: bad regular expression '[a-': ");
    }
  }

  /** Tests for {@link HealthcheckRule}. */
  @Nested
  class Healthcheck {
    private static final String RULE = "  - id: h\n    type: healthcheck\n";

    @Test
    void evaluate_missingOrNone_fails() {
      assertThat(RuleHarness.messages(image(b -> b), RULE)).containsExactly("no HEALTHCHECK is declared");
      assertThat(RuleHarness.messages(image(b -> b.healthcheck("NONE")), RULE))
          .containsExactly("HEALTHCHECK NONE disables the health check");
    }

    @Test
    void evaluate_execAndShellForms_passByDefault() {
      assertThat(RuleHarness.messages(image(b -> b.healthcheck("CMD", "/app", "health")), RULE)).isEmpty();
      assertThat(RuleHarness.messages(image(b -> b.healthcheck("CMD-SHELL", "curl -f localhost")), RULE)).isEmpty();
    }

    @Test
    void evaluate_execFormRequired_failsShellForm() {
      String rule = RULE + "    exec-form: true\n";
      assertThat(RuleHarness.messages(image(b -> b.healthcheck("CMD-SHELL", "curl -f localhost")), rule)).singleElement()
          .asString().startsWith("HEALTHCHECK is in CMD-SHELL form");
      assertThat(RuleHarness.messages(image(b -> b.healthcheck("CMD", "/app", "health")), rule)).isEmpty();
    }
  }

  /** Tests for {@link ExposedPortsRule}. */
  @Nested
  class ExposedPorts {
    @Test
    void evaluate_allowedPorts_pass_bareNumberMeansTcp() {
      BuiltImage img = image(b -> b.exposedPort("8080/tcp").exposedPort("8443/tcp"));
      assertThat(RuleHarness.messages(img, "  - id: p\n    type: exposed-ports\n    allowed: [8080, 8443/TCP]\n")).isEmpty();
    }

    @Test
    void evaluate_unlistedPortOrProtocol_fails() {
      BuiltImage img = image(b -> b.exposedPort("8080/tcp").exposedPort("22/tcp").exposedPort("8080/udp"));
      assertThat(RuleHarness.messages(img, "  - id: p\n    type: exposed-ports\n    allowed: [8080]\n")).containsExactly(
          "port 22/tcp is exposed but not allowed (allowed: 8080/tcp)",
          "port 8080/udp is exposed but not allowed (allowed: 8080/tcp)");
    }

    @Test
    void evaluate_emptyAllowList_forbidsEveryPort() {
      assertThat(RuleHarness.messages(image(b -> b.exposedPort("80/tcp")), "  - id: p\n    type: exposed-ports\n    allowed: []\n"))
          .containsExactly("port 80/tcp is exposed but not allowed (no port is)");
      assertThat(RuleHarness.messages(image(b -> b), "  - id: p\n    type: exposed-ports\n    allowed: []\n")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"http", "0", "70000", "80/icmp"})
    void configure_badPort_isALoadError(String port) {
      assertThat(RuleHarness.loadError("  - id: p\n    type: exposed-ports\n    allowed: ['" + port + "']\n"))
          .contains("rules.p.allowed: '" + port + "' is not a port");
    }

    @Test
    void configure_missingAllowed_isALoadError() {
      assertThat(RuleHarness.loadError("  - id: p\n    type: exposed-ports\n")).contains("needs allowed");
    }
  }

  /** Tests for {@link EntrypointRule}. */
  @Nested
  class Entrypoint {
    private static final String RULE = "  - id: e\n    type: entrypoint\n";

    @Test
    void evaluate_execFormEntrypoint_passes() {
      assertThat(RuleHarness.messages(image(b -> b.entrypoint("/app").cmd("--port", "8080")), RULE)).isEmpty();
    }

    @Test
    void evaluate_shellFormEntrypoint_fails() {
      assertThat(RuleHarness.findings(image(b -> b.entrypoint("/bin/sh", "-c", "/app --port 8080")), RULE)).singleElement()
          .satisfies(f -> {
            assertThat(f.message()).startsWith("ENTRYPOINT is in shell form (/bin/sh -c ...)");
            assertThat(f.location().configField()).contains("Entrypoint");
          });
    }

    @Test
    void evaluate_cmdOnly_failsUnlessEntrypointIsOptional() {
      BuiltImage cmdOnly = image(b -> b.cmd("/app"));
      assertThat(RuleHarness.messages(cmdOnly, RULE)).singleElement().asString().startsWith("ENTRYPOINT is not set");
      assertThat(RuleHarness.messages(cmdOnly, RULE + "    require-entrypoint: false\n")).isEmpty();
      BuiltImage shellCmd = image(b -> b.cmd("/bin/sh", "-c", "exec /app"));
      assertThat(RuleHarness.messages(shellCmd, RULE + "    require-entrypoint: false\n")).singleElement().asString()
          .startsWith("CMD is in shell form");
      assertThat(RuleHarness.messages(shellCmd, RULE + "    require-entrypoint: false\n    exec-form: false\n")).isEmpty();
    }

    @Test
    void evaluate_nothingSet_fails() {
      assertThat(RuleHarness.messages(image(b -> b), RULE)).containsExactly("neither ENTRYPOINT nor CMD is set: the image does not say what it runs");
    }
  }

  /** Tests for {@link ForbiddenEnvRule}. */
  @Nested
  class ForbiddenEnv {
    private static final String RULE = "  - id: env\n    type: forbidden-env\n    keys: ['*_PASSWORD', '*_TOKEN', 'AWS_*']\n";

    @Test
    void evaluate_forbiddenKeys_failWithoutPrintingValues() {
      BuiltImage img = image(b -> b.env("PATH=/usr/bin").env("DB_PASSWORD=hunter2hunter2").env("aws_region=eu-west-1")
          .env("GITHUB_TOKEN=ghp_abcdefgh"));
      assertThat(RuleHarness.findings(img, RULE)).extracting(Finding::message).containsExactly(
          "ENV DB_PASSWORD is set (matches *_PASSWORD); its value is not shown",
          "ENV aws_region is set (matches AWS_*); its value is not shown",
          "ENV GITHUB_TOKEN is set (matches *_TOKEN); its value is not shown")
          .noneMatch(m -> m.contains("hunter2") || m.contains("ghp_") || m.contains("eu-west"));
    }

    @Test
    void evaluate_exceptAndCaseSensitivity() {
      BuiltImage img = image(b -> b.env("DB_PASSWORD_FILE=/run/secrets/db").env("aws_region=eu-west-1"));
      String rule = "  - id: env\n    type: forbidden-env\n    keys: ['*_PASSWORD*', 'AWS_*']\n    except: ['*_FILE']\n";
      assertThat(RuleHarness.messages(img, rule)).containsExactly("ENV aws_region is set (matches AWS_*); its value is not shown");
      assertThat(RuleHarness.messages(img, rule + "    case-sensitive: true\n")).isEmpty();
    }

    @Test
    void configure_noKeys_isALoadError() {
      assertThat(RuleHarness.loadError("  - id: env\n    type: forbidden-env\n")).contains("at least one key glob");
    }
  }
}
