package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link Glob} and {@link ByteSize}. */
class GlobAndSizeTest {
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "/usr/bin/*-dev, /usr/bin/libssl-dev, true",
      "/usr/bin/*-dev, /usr/bin/x/libssl-dev, false",
      "**/.git/**, /app/.git/config, true",
      "**/.git/**, /.git/HEAD, true",
      "**/.git/**, /app/.gitignore, false",
      "*.pem, /etc/ssl/private/key.pem, true",
      "*.pem, /key.pem, true",
      "/etc/ssh/ssh_host_*_key, /etc/ssh/ssh_host_rsa_key, true",
      "/tmp/?, /tmp/a, true",
      "/tmp/?, /tmp/ab, false",
      "/lib/[!a]*, /lib/b.so, true",
      "/lib/[!a]*, /lib/a.so, false",
      "/usr/**, /usr/share/doc/x, true",
      "/a.b, /aXb, false",
  })
  void glob_matches(String glob, String path, boolean expected) {
    assertThat(Glob.compile(glob).matches(path)).isEqualTo(expected);
  }

  @Test
  void glob_unclosedClass_isAnError() {
    assertThatThrownBy(() -> Glob.compile("/usr/[bin")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"100MB, 100000000", "60MiB, 62914560", "5 MB, 5000000", "1.5GB, 1500000000", "2048, 2048",
      "10kB, 10000", "1KiB, 1024", "7b, 7"})
  void byteSize_parses(String text, long bytes) {
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }

  @Test
  void byteSize_rejectsNonsense_andFormats() {
    assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> ByteSize.parse("-5MB")).hasMessageContaining("not a size");
    assertThat(ByteSize.format(812_400_000)).isEqualTo("812.4 MB");
    assertThat(ByteSize.format(999)).isEqualTo("999 B");
  }
}
