package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link Paths}: lexical path arithmetic inside an image root. */
class PathsTest {

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource({
      "'',                /",
      "/,                 /",
      "./,                /",
      "etc/passwd,        /etc/passwd",
      "./etc/passwd,      /etc/passwd",
      "/etc//passwd/,     /etc/passwd",
      "../../etc/passwd,  /etc/passwd",
      "/a/b/../../..,     /",
      "a/./b/./c,         /a/b/c",
      "/a/b/../c,         /a/c",
      "...,               /...",
      "..a/b,             /..a/b",
  })
  void normalize_givesAnAbsolutePathClampedAtTheRoot(String name, String expected) {
    assertThat(Paths.normalize(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "/,            /,       /",
      "/etc,         /,       etc",
      "/etc/passwd,  /etc,    passwd",
  })
  void parentAndBasename_splitAPath(String path, String parent, String basename) {
    assertThat(Paths.parent(path)).isEqualTo(parent);
    assertThat(Paths.basename(path)).isEqualTo(basename);
    if (!path.equals("/")) {
      assertThat(Paths.child(parent, basename)).isEqualTo(path);
    }
  }
}
