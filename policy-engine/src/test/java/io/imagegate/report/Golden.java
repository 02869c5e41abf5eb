package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: rendered output compared with {@code src/test/resources/io/imagegate/report/NAME}.
 * After an intended change, regenerate them with {@code -Dimagegate.updateGolden=true} and review the diff.
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String actual, String name) throws IOException {
    if (Boolean.getBoolean("imagegate.updateGolden")) {
      Path file = Path.of("src/test/resources/io/imagegate/report").resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream(name)) {
      assertThat(in).as("golden file %s (create it with -Dimagegate.updateGolden=true)", name).isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).as("output against golden file %s", name).isEqualTo(expected);
    }
  }
}
