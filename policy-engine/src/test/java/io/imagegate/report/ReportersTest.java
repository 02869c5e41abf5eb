package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tests for {@link Reporters}. */
class ReportersTest {

  @Test
  void standard_namesTheBuiltInFormats() {
    assertThat(Reporters.standard().names()).containsExactly("sarif", "json", "junit", "markdown", "text");
  }

  @Test
  void get_knownFormat_anyCase() {
    Reporters reporters = Reporters.standard();

    assertThat(reporters.get("sarif")).containsInstanceOf(SarifReporter.class);
    assertThat(reporters.get("JSON")).containsInstanceOf(JsonReporter.class);
    assertThat(reporters.get("text")).containsInstanceOf(TextReporter.class);
    assertThat(reporters.get("junit")).containsInstanceOf(JUnitReporter.class);
    assertThat(reporters.get("Markdown")).containsInstanceOf(MarkdownReporter.class);
  }

  @Test
  void standard_eachNameIsItsReportersFormat_madeOnceOnFirstUse() {
    Reporters reporters = Reporters.standard(true, java.nio.file.Path.of("/repo"));
    for (String name : reporters.names()) {
      Reporter r = reporters.get(name).orElseThrow();
      assertThat(r.format()).isEqualTo(name);
      assertThat(reporters.get(name.toUpperCase(java.util.Locale.ROOT))).containsSame(r);
    }
  }

  @Test
  void get_unknownFormat_isEmpty() {
    assertThat(Reporters.standard().get("xunit")).isEmpty();
  }

  @Test
  void of_duplicateFormat_isRejected() {
    assertThatThrownBy(() -> Reporters.of(new TextReporter(), new TextReporter(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'text'");
  }
}
