package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link RequiredUserRule}. */
class RequiredUserRuleTest {
  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      toor:x:0:0:another root:/root:/bin/sh
      app:x:10001:10001::/home/app:/sbin/nologin
      """;

  private static BuiltImage image(String user, boolean withPasswd) {
    ImageBuilder b = ImageBuilder.image().layer(l -> {
      l.file("/app", "x", 0755);
      if (withPasswd) {
        l.file("/etc/passwd", PASSWD, 0644).file("/etc/group", "root:x:0:\napp:x:10001:\n", 0644);
      }
    });
    if (user != null) {
      b.user(user);
    }
    return b.build();
  }

  private static List<String> messages(String user, boolean withPasswd, String params) {
    List<Finding> f = RuleHarness.findings(image(user, withPasswd), "  - id: user\n    type: required-user\n" + params);
    return f.stream().map(Finding::message).toList();
  }

  @ParameterizedTest(name = "USER ''{0}'' fails as root")
  @CsvSource(value = {"''", "root", "0", "0:0", "root:root", "0:root", "root:app", "toor", "toor:app", "'  0  '"})
  void evaluate_rootSpellings_fail(String user) {
    List<String> m = messages(user, true, "");
    assertThat(m).hasSize(1);
    assertThat(m.get(0)).containsAnyOf("is root", "not set");
  }

  @ParameterizedTest(name = "USER ''{0}'' passes")
  @CsvSource({"app", "10001", "app:app", "10001:10001", "65532"})
  void evaluate_nonRoot_passes(String user) {
    assertThat(messages(user, true, "")).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void evaluate_unsetUser_saysRootByDefault() {
    assertThat(messages(null, true, "")).containsExactly("USER is not set: the container runs as root");
  }

  @org.junit.jupiter.api.Test
  void evaluate_nameMappedToUid0_namesPasswd() {
    assertThat(messages("toor", true, "")).containsExactly("USER toor is root (/etc/passwd maps toor to uid 0)");
  }

  @org.junit.jupiter.api.Test
  void evaluate_numericRequired_failsForName() {
    assertThat(messages("app", true, "    numeric: true\n")).singleElement().asString()
        .contains("is a name, not a numeric uid").contains("use USER 10001");
    assertThat(messages("10001", true, "    numeric: true\n")).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void evaluate_mustResolve_failsForUnknownUid() {
    assertThat(messages("4242", true, "    must-resolve: true\n")).singleElement().asString()
        .contains("does not resolve").contains("no uid 4242");
    assertThat(messages("4242", true, "")).isEmpty();
    assertThat(messages("10001", true, "    must-resolve: true\n")).isEmpty();
    assertThat(messages("10001", false, "    must-resolve: true\n")).singleElement().asString()
        .contains("the image has no /etc/passwd");
  }

  @org.junit.jupiter.api.Test
  void evaluate_nameWithoutPasswd_cannotBeResolved() {
    assertThat(messages("app", false, "")).singleElement().asString()
        .contains("cannot be resolved (the image has no /etc/passwd)");
    assertThat(messages("ghost", true, "")).singleElement().asString()
        .contains("/etc/passwd has no user ghost");
  }

  @org.junit.jupiter.api.Test
  void evaluate_allowedList_restrictsUsers() {
    assertThat(messages("app", true, "    allowed: [10001]\n")).singleElement().asString()
        .contains("not one of the allowed users");
    assertThat(messages("10001", true, "    allowed: [10001]\n")).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void evaluate_passwdOverwrittenByLaterLayer_usesTopmost() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:0:0::/:/bin/sh\n", 0644))
        .layer(l -> l.file("/etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n", 0644))
        .user("app")
        .build();
    assertThat(RuleHarness.findings(img, "  - id: user\n    type: required-user\n")).isEmpty();
  }
}
