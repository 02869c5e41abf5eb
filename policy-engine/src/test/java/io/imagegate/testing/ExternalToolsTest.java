package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Tests for {@link ExternalTools}: a missing tool skips a test on a developer's machine and fails it under CI. */
class ExternalToolsTest {
  @Test
  void require_missingOutsideCi_skipsNamingThePackage() {
    assertThatThrownBy(() -> ExternalTools.require("imagegate-no-such-tool", "no-such-package", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("imagegate-no-such-tool is not installed (apt-get install no-such-package");
  }

  @Test
  void require_missingUnderCi_fails() {
    assertThatThrownBy(() -> ExternalTools.require("imagegate-no-such-tool", "no-such-package", true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("CI=true");
  }

  @Test
  void require_present_itsPath() {
    assertThat(ExternalTools.require("sh", "dash", true)).isExecutable();
  }
}
