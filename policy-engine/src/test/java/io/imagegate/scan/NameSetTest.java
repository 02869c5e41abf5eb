package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link NameSet}. */
class NameSetTest {
  @Test
  void matchesTheLastPathElementExactly() {
    NameSet set = NameSet.of(List.of("sh", "bash", "curl", "python3", "é-tool", "a".repeat(70)));
    assertThat(set.match("/bin/sh")).isEqualTo("sh");
    assertThat(set.match("/usr/bin/bash")).isEqualTo("bash");
    assertThat(set.match("curl")).isEqualTo("curl");
    assertThat(set.match("/opt/é-tool")).isEqualTo("é-tool");
    assertThat(set.match("/x/" + "a".repeat(70))).isEqualTo("a".repeat(70));
    assertThat(set.match("/x/" + "a".repeat(69))).isNull();
    assertThat(set.match("/bin/ssh")).isNull();
    assertThat(set.match("/bin/sh/")).as("a trailing slash ends in an empty name").isNull();
    assertThat(set.match("/sh/x")).isNull();
    assertThat(set.match("/bin/curl2")).isNull();
    assertThat(set.match("/bin/bas")).isNull();
    assertThat(set.match("")).isNull();
  }

  @Test
  void namesWithTheSameHash_areToldApart() {
    // "Aa" and "BB" share String.hashCode
    NameSet set = NameSet.of(List.of("Aa", "BB"));
    assertThat(set.match("/x/Aa")).isEqualTo("Aa");
    assertThat(set.match("/x/BB")).isEqualTo("BB");
    assertThat(set.match("/x/AB")).isNull();
    assertThat(NameSet.of(List.of("BB")).match("/x/Aa")).isNull();
  }

  @Test
  void anEmptySet_matchesNothing() {
    assertThat(NameSet.of(List.of()).match("/bin/sh")).isNull();
  }
}
