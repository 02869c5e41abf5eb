package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.image.HistoryEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link HistoryStep}: {@code created_by} as each builder writes it, read back into an instruction. */
class HistoryStepTest {

  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      // classic builder
      "/bin/sh -c #(nop)  USER app                                  ~ USER       ~ app",
      "/bin/sh -c #(nop) WORKDIR /app                               ~ WORKDIR    ~ /app",
      "/bin/sh -c #(nop) COPY file:948a60f7 in /usr/bin/curl        ~ COPY       ~ file:948a60f7 in /usr/bin/curl",
      "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\" \"echo hi\"] ~ ENTRYPOINT ~ [\"/bin/sh\" \"-c\" \"echo hi\"]",
      "/bin/sh -c apt-get install -y    curl                        ~ RUN        ~ /bin/sh -c apt-get install -y curl",
      "|2 A=1 B=two /bin/sh -c make $A                              ~ RUN        ~ /bin/sh -c make $A",
      "/app --migrate                                               ~ ''         ~ /app --migrate",
      // BuildKit
      "RUN /bin/sh -c apt-get install -y curl # buildkit            ~ RUN        ~ /bin/sh -c apt-get install -y curl",
      "RUN |1 V=2 /bin/sh -c install $V # buildkit                  ~ RUN        ~ /bin/sh -c install $V",
      "COPY /out/curl /usr/bin/curl # buildkit                      ~ COPY       ~ /out/curl /usr/bin/curl",
      "USER app                                                     ~ USER       ~ app",
      "ENTRYPOINT [\"./app\"]                                       ~ ENTRYPOINT ~ [\"./app\"]",
      "EXPOSE map[8080/tcp:{}]                                      ~ EXPOSE     ~ map[8080/tcp:{}]",
      // an imported base layer says nothing
      "''                                                           ~ ''         ~ ''",
  })
  void of_createdBy_keywordAndBody(String createdBy, String keyword, String body) {
    HistoryStep step = HistoryStep.of(3, new HistoryEntry("", createdBy, "", false));

    assertThat(step.keyword()).isEqualTo(keyword);
    assertThat(step.body()).isEqualTo(body);
    assertThat(step.index()).isEqualTo(3);
    assertThat(step.known()).isEqualTo(!createdBy.isEmpty());
  }
}
