package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link BuildSteps}. */
class BuildStepsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/bin/sh -c apt-get install -y curl                    | RUN apt-get install -y curl",
      "/bin/sh -c #(nop)  CMD [\"/app\"]                       | CMD [\"/app\"]",
      "/bin/sh -c #(nop) COPY file:abc in /app               | COPY file:abc in /app",
      "RUN /bin/sh -c apk add --no-cache curl # buildkit     | RUN apk add --no-cache curl",
      "COPY target/app.jar /app/app.jar # buildkit           | COPY target/app.jar /app/app.jar",
      "ENTRYPOINT [\"/app\"]                                  | ENTRYPOINT [\"/app\"]",
  })
  void readable_knownBuilders_showTheInstruction(String createdBy, String expected) {
    assertThat(BuildSteps.readable(createdBy)).isEqualTo(expected);
  }

  @Test
  void readable_multiLineStep_collapsedToOneLine() {
    assertThat(BuildSteps.readable("  RUN a  && \\\n\tb  ")).isEqualTo("RUN a && \\ b");
  }

  @ParameterizedTest
  @CsvSource({"RUN abc, 10, RUN abc", "RUN abcdefghij, 8, RUN abc…"})
  void readable_max_cutsWithEllipsis(String createdBy, int max, String expected) {
    assertThat(BuildSteps.readable(createdBy, max)).isEqualTo(expected).hasSizeLessThanOrEqualTo(max);
  }
}
