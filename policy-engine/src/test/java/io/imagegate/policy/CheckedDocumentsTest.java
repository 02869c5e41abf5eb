package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.rule.StandardRuleTypes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link CheckedDocuments} with the {@link PolicyLoader}: a document whose exact text
 * passed the schema is not checked against it again; only passing documents are recorded.
 */
class CheckedDocumentsTest {
  @TempDir
  Path tmp;

  private static final String VALID = """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: shell
          type: no-shell
      """;
  /** The loader reads a quoted 'false' as false; the schema refuses it (a documented difference). */
  private static final String SCHEMA_ONLY_REFUSES = VALID + "    check-entrypoint: 'false'\n";

  private static PolicySchema schema() {
    return PolicySchema.bundled().orElseThrow(() -> new AssertionError("no schema on the test classpath"));
  }

  private static PolicyLoader loader(CheckedDocuments checked) {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE, schema()).remembering(checked);
  }

  @Test
  void aPassingDocument_isRecorded_andAFailingOneIsNot() {
    CheckedDocuments checked = CheckedDocuments.inMemory();
    loader(checked).load("p.yaml", VALID, null);
    assertThat(checked.contains(CheckedDocuments.key(schema(), VALID))).isTrue();

    assertThatThrownBy(() -> loader(checked).load("p.yaml", SCHEMA_ONLY_REFUSES, null))
        .isInstanceOf(PolicyException.class).hasMessageContaining("expected true or false");
    assertThat(checked.contains(CheckedDocuments.key(schema(), SCHEMA_ONLY_REFUSES))).isFalse();

    String loaderRefuses = VALID + "  - id: shell\n    type: no-shell\n"; // a duplicate id
    assertThatThrownBy(() -> loader(checked).load("p.yaml", loaderRefuses, null)).isInstanceOf(PolicyException.class);
    assertThat(checked.contains(CheckedDocuments.key(schema(), loaderRefuses))).isFalse();
  }

  @Test
  void aRecordedDocument_isNotCheckedAgainstTheSchema_butStillByTheLoader() {
    CheckedDocuments checked = CheckedDocuments.inMemory();
    checked.add(CheckedDocuments.key(schema(), SCHEMA_ONLY_REFUSES));
    // the schema would refuse it: that it loads shows the schema was skipped
    assertThat(loader(checked).load("p.yaml", SCHEMA_ONLY_REFUSES, null).rules()).hasSize(1);

    String loaderRefuses = VALID + "  - id: shell\n    type: no-shell\n";
    checked.add(CheckedDocuments.key(schema(), loaderRefuses));
    assertThatThrownBy(() -> loader(checked).load("p.yaml", loaderRefuses, null))
        .isInstanceOf(PolicyException.class).hasMessageContaining("shell");
  }

  @Test
  void onDisk_byCodeVersion() {
    Path dir = tmp.resolve("policies");
    CheckedDocuments v1 = CheckedDocuments.in(dir, "1.0+123");
    assertThat(v1.contains("abc")).isFalse();
    v1.add("abc");
    v1.add("abc");
    assertThat(v1.contains("abc")).isTrue();
    assertThat(CheckedDocuments.in(dir, "1.0+123").contains("abc")).as("another run of the same build").isTrue();
    assertThat(CheckedDocuments.in(dir, "1.0+456").contains("abc")).as("another build").isFalse();
  }
}
