package io.imagegate.packs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.build.SeedImages;
import io.imagegate.engine.Gate;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tests for the built-in {@code distroless} pack. */
class DistrolessPackTest {
  private static Gate gate;
  private static Policy pack;

  @BeforeAll
  static void setUp() {
    gate = PackFixtures.gate();
    pack = PackFixtures.load("distroless");
  }

  @AfterAll
  static void tearDown() {
    gate.close();
  }

  @Test
  void pack_loads() {
    assertThat(pack.failOn()).contains(Severity.ERROR);
    assertThat(pack.rules()).extracting(PolicyRule::id).containsExactly("no-shell", "no-package-managers",
        "no-package-manager-packages", "no-setuid", "numeric-non-root-user", "size-budget");
  }

  @Test
  void distrolessApp_passes() {
    ImageReport r = PackFixtures.check(gate, pack, PackFixtures.distrolessApp());
    assertThat(r.findings()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void debugVariant_failsForItsBusyboxShell() {
    ImageReport r = PackFixtures.check(gate, pack, PackFixtures.distrolessDebugApp());
    assertThat(PackFixtures.byRule(r)).containsOnlyKeys("no-shell");
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void packageManagerInTheDatabase_failsEvenWithoutItsBinary() {
    BuiltImage img = ImageBuilder.image()
        .layer(PackFixtures::distrolessBase)
        .layer(l -> l.createdBy("COPY dpkg status").file("/var/lib/dpkg/status.d/dpkg",
            "Package: dpkg\nStatus: install ok installed\nVersion: 1.21.22\n", 0644))
        .user("65532").entrypoint("/app").build();
    Map<String, List<String>> f = PackFixtures.byRule(PackFixtures.check(gate, pack, img));
    assertThat(f).containsOnlyKeys("no-package-manager-packages");
    assertThat(f.get("no-package-manager-packages")).singleElement().asString().contains("dpkg 1.21.22").contains("layer 1");
  }

  @Test
  void setuidBinary_fails() {
    BuiltImage img = ImageBuilder.image()
        .layer(PackFixtures::distrolessBase)
        .layer(l -> l.file("/app", PackFixtures.elf("app"), 04755))
        .user("65532").entrypoint("/app").build();
    assertThat(PackFixtures.byRule(PackFixtures.check(gate, pack, img))).containsOnlyKeys("no-setuid");
  }

  @Test
  void scratchGo_failsOnlyForItsNamedUser() {
    ImageReport r = PackFixtures.check(gate, pack, SeedImages.scratchGo());
    assertThat(PackFixtures.byRule(r)).containsOnlyKeys("numeric-non-root-user");
  }

  @Test
  void minimalPython_failsNamedUserAndTheTightBudget() {
    ImageReport r = PackFixtures.check(gate, pack, SeedImages.minimalPython());
    assertThat(PackFixtures.byRule(r)).containsOnlyKeys("numeric-non-root-user", "size-budget");
  }

  @Test
  void fatPython_failsShellPackageManagersUserAndSize() {
    Map<String, List<String>> f = PackFixtures.byRule(PackFixtures.check(gate, pack, SeedImages.fatPython()));
    assertThat(f).containsOnlyKeys("no-shell", "no-package-managers", "numeric-non-root-user", "size-budget");
    assertThat(f.get("no-package-managers")).hasSize(5);
  }
}
