package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link HistoryInstruction}: how each builder's {@code created_by} reads back. */
class HistoryInstructionTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      // classic builder: metadata and copies after #(nop), shell-form RUN as the shell command
      "'/bin/sh -c #(nop)  USER app'                       | USER | app",
      "'/bin/sh -c #(nop) COPY file:abc123 in /app '        | COPY | file:abc123 in /app",
      "'/bin/sh -c #(nop) ADD file:0f1e in / '              | ADD  | file:0f1e in /",
      "'/bin/sh -c apt-get update &&     apt-get install -y curl' | RUN | /bin/sh -c apt-get update && apt-get install -y curl",
      // build args in scope of a RUN: |N then N words dropped
      "'|2 TOKEN=abc VERSION=1 /bin/sh -c make'             | RUN  | /bin/sh -c make",
      // BuildKit: the instruction itself, with a suffix
      "'RUN /bin/sh -c apk add curl # buildkit'             | RUN  | /bin/sh -c apk add curl",
      "'RUN |1 TOKEN=abc /bin/sh -c make # buildkit'        | RUN  | /bin/sh -c make",
      "'COPY app /app # buildkit'                           | COPY | app /app",
      "'ENTRYPOINT [\"./app\"]'                             | ENTRYPOINT | [\"./app\"]",
      // what can't be told: an exec-form RUN's argv, an imported layer, a lower-case word
      "'apk add curl'                                       | ''   | apk add curl",
      "''                                                   | ''   | ''",
      "'run make'                                           | ''   | run make"})
  void readsWhatEachBuilderWrites(String createdBy, String keyword, String body) {
    HistoryInstruction i = HistoryInstruction.of(createdBy);
    assertThat(i.keyword()).isEqualTo(keyword);
    assertThat(i.body()).isEqualTo(body);
    assertThat(i.known()).isEqualTo(keyword.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(keyword));
  }
}
