package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link RegistryReference}. */
class RegistryReferenceTest {
  private static final String D = "sha256:" + "ab".repeat(32);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # text                                  | registry             | repository              | tag     | digest | api authority
      alpine                                  | docker.io            | library/alpine          | latest  | -      | registry-1.docker.io
      alpine:3.20                             | docker.io            | library/alpine          | 3.20    | -      | registry-1.docker.io
      team/app                                | docker.io            | team/app                | latest  | -      | registry-1.docker.io
      docker.io/alpine                        | docker.io            | library/alpine          | latest  | -      | registry-1.docker.io
      index.docker.io/library/alpine:edge     | docker.io            | library/alpine          | edge    | -      | registry-1.docker.io
      registry-1.docker.io/team/app:1         | docker.io            | team/app                | 1       | -      | registry-1.docker.io
      ghcr.io/org/team/app/api:v1.2.3         | ghcr.io              | org/team/app/api        | v1.2.3  | -      | ghcr.io
      127.0.0.1:5000/app                      | 127.0.0.1:5000       | app                     | latest  | -      | 127.0.0.1:5000
      127.0.0.1:5000/app:1                    | 127.0.0.1:5000       | app                     | 1       | -      | 127.0.0.1:5000
      localhost/app:1                         | localhost            | app                     | 1       | -      | localhost
      localhost:5000/a/b__c.d-e:x_Y.1-2       | localhost:5000       | a/b__c.d-e              | x_Y.1-2 | -      | localhost:5000
      Registry.Example.COM/app                | registry.example.com | app                     | latest  | -      | registry.example.com
      Hostname/app                            | hostname             | app                     | latest  | -      | hostname
      [::1]:5000/app:1                        | [::1]:5000           | app                     | 1       | -      | [::1]:5000
      [fe80::1%eth0]/app                      | [fe80::1%eth0]       | app                     | latest  | -      | [fe80::1%eth0]
      """)
  void parse_names(String text, String registry, String repository, String tag, String digest, String api) {
    RegistryReference r = RegistryReference.parse(text);

    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.repository()).isEqualTo(repository);
    assertThat(r.tag()).contains(tag);
    assertThat(r.digest()).isEmpty();
    assertThat(r.apiAuthority()).isEqualTo(api);
  }

  @Test
  void parse_digestWithoutTag_noDefaultTag() {
    RegistryReference r = RegistryReference.parse("127.0.0.1:5000/app@" + D);

    assertThat(r.tag()).isEmpty();
    assertThat(r.digest()).contains(Digest.parse(D));
    assertThat(r.manifestSelector()).isEqualTo(D);
    assertThat(r).hasToString("127.0.0.1:5000/app@" + D);
  }

  @Test
  void parse_tagAndDigest_digestSelectsTagKept() {
    RegistryReference r = RegistryReference.parse("127.0.0.1:5000/team/app:1@" + D);

    assertThat(r.tag()).contains("1");
    assertThat(r.manifestSelector()).isEqualTo(D);
    assertThat(r).hasToString("127.0.0.1:5000/team/app:1@" + D);
  }

  @Test
  void parse_tag_selectorIsTag() {
    assertThat(RegistryReference.parse("app").manifestSelector()).isEqualTo("latest");
    assertThat(RegistryReference.parse("app")).hasToString("docker.io/library/app:latest");
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                 | empty image name
      App                                | bad repository name 'App'
      team/App:1                         | bad repository name 'team/App'
      team//app                          | bad repository name
      team/app/                          | bad repository name
      -app                               | bad repository name
      app:                               | bad tag ''
      app:.hidden                        | bad tag '.hidden'
      app:a/b                            | bad port in registry 'app:a'
      app@sha256:abc                     | bad digest
      app@md5:0123                       | bad digest
      127.0.0.1:0/app                    | bad port
      127.0.0.1:99999/app                | bad port
      127.0.0.1:50x0/app                 | bad port
      bad_host.io/app                    | bad registry host 'bad_host.io'
      [::1/app                           | bad registry host
      registry.example.com/              | no repository
      """)
  void parse_malformed_oneLineMessageNamingThePart(String text, String message) {
    assertThatThrownBy(() -> RegistryReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("\n");
  }

  @Test
  void parse_tooLong_refused() {
    assertThatThrownBy(() -> RegistryReference.parse("r.io/" + "a".repeat(260)))
        .hasMessageContaining("longer than 255");
  }

  @Test
  void hostOf_stripsPortKeepsBrackets() {
    assertThat(RegistryReference.hostOf("127.0.0.1:5000")).isEqualTo("127.0.0.1");
    assertThat(RegistryReference.hostOf("[::1]:5000")).isEqualTo("[::1]");
    assertThat(RegistryReference.hostOf("ghcr.io")).isEqualTo("ghcr.io");
  }

  @Test
  void imageReference_malformedRegistryName_failsAtParse() {
    assertThatThrownBy(() -> ImageReference.parse("docker://127.0.0.1:5000/App"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad repository name 'App'");
    assertThatThrownBy(() -> ImageReference.parse("not a name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither an existing path nor an image name");
    assertThat(ImageReference.parse("alpine:3").transport()).isEqualTo(ImageReference.Transport.DOCKER);
  }
}
