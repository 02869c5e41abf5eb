package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.image.ImageReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link CredentialSources}: environment, Docker config and credential helpers. */
class CredentialSourcesTest {
  @TempDir
  Path dir;

  private Path config(String json) throws IOException {
    return Files.writeString(dir.resolve("config.json"), json);
  }

  private static String auth(String userPassword) {
    return Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  /** A docker-credential-NAME script answering {@code answer} (exit {@code exit}) and logging what it was asked. */
  private Path helper(String name, String answer, int exit) throws IOException {
    Path h = dir.resolve("docker-credential-" + name);
    Files.writeString(h, """
        #!/bin/sh
        server=$(cat)
        echo "$1 $server" >> "$(dirname "$0")/%s.log"
        printf '%%s' '%s'
        exit %d
        """.formatted(name, answer, exit));
    Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwx------"));
    return h;
  }

  @Test
  void environment_bothSet_credentialsNamingTheVariables() {
    CredentialSource env = CredentialSources.environment(Map.of("IMAGEGATE_REGISTRY_USERNAME", "ci", "IMAGEGATE_REGISTRY_PASSWORD", "pw"));

    assertThat(env.find("ghcr.io")).hasValueSatisfying(c -> {
      assertThat(c.username()).isEqualTo("ci");
      assertThat(c.secret()).isEqualTo("pw");
      assertThat(c.source()).isEqualTo("IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD");
    });
  }

  @Test
  void environment_noneSet_empty_halfSet_error() {
    assertThat(CredentialSources.environment(Map.of()).find("ghcr.io")).isEmpty();
    assertThatThrownBy(() -> CredentialSources.environment(Map.of("IMAGEGATE_REGISTRY_USERNAME", "ci")).find("ghcr.io"))
        .isInstanceOf(ImageReadException.class)
        .hasMessage("IMAGEGATE_REGISTRY_USERNAME is set but IMAGEGATE_REGISTRY_PASSWORD is not; set both or neither");
  }

  @Test
  void dockerConfig_auths_matchedByHostWhateverTheKeySpelling() throws IOException {
    Path file = config("""
        {"auths": {
          "https://registry.example.com/v2/": {"auth": "%s"},
          "127.0.0.1:5000": {"username": "u2", "password": "p:2"},
          "https://index.docker.io/v1/": {"auth": "%s"}
        }}""".formatted(auth("u1:p1:with:colons"), auth("hub:hubpw")));
    CredentialSource s = CredentialSources.dockerConfig(file, List.of());

    assertThat(s.find("registry.example.com")).hasValueSatisfying(c -> {
      assertThat(c.username()).isEqualTo("u1");
      assertThat(c.secret()).isEqualTo("p1:with:colons");
      assertThat(c.source()).isEqualTo(file + " (auths \"https://registry.example.com/v2/\")");
    });
    assertThat(s.find("127.0.0.1:5000")).hasValueSatisfying(c -> assertThat(c.secret()).isEqualTo("p:2"));
    assertThat(s.find("docker.io")).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("hub"));
    assertThat(s.find("127.0.0.1:5001")).isEmpty();
    assertThat(s.find("ghcr.io")).isEmpty();
  }

  @Test
  void dockerConfig_identityToken_isAnIdentityToken() throws IOException {
    CredentialSource s = CredentialSources.dockerConfig(
        config("{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("me:") + "\",\"identitytoken\":\"rt-1\"}}}"), List.of());

    assertThat(s.find("reg.example")).hasValueSatisfying(c -> {
      assertThat(c.identityToken()).isTrue();
      assertThat(c.secret()).isEqualTo("rt-1");
    });
  }

  @Test
  void dockerConfig_missingFile_empty_malformed_errorNamingFile() throws IOException {
    assertThat(CredentialSources.dockerConfig(dir.resolve("none.json"), List.of()).find("x.io")).isEmpty();
    Path bad = config("{ not json");
    assertThatThrownBy(() -> CredentialSources.dockerConfig(bad, List.of()).find("x.io"))
        .isInstanceOf(ImageReadException.class).hasMessageStartingWith(bad + ": cannot read Docker config");
  }

  @Test
  void dockerConfig_credHelper_askedWithTheHostOnStdin() throws IOException {
    helper("test", "{\"ServerURL\":\"reg.example:5000\",\"Username\":\"robot\",\"Secret\":\"s3\"}", 0);
    Path file = config("{\"credHelpers\":{\"reg.example:5000\":\"test\"},\"auths\":{\"reg.example:5000\":{\"auth\":\""
        + auth("other:pw") + "\"}}}");

    var found = CredentialSources.dockerConfig(file, List.of(dir)).find("reg.example:5000");

    assertThat(found).hasValueSatisfying(c -> {
      assertThat(c.username()).isEqualTo("robot");
      assertThat(c.secret()).isEqualTo("s3");
      assertThat(c.source()).isEqualTo("docker-credential-test (credHelpers in " + file + ")");
    });
    assertThat(Files.readString(dir.resolve("test.log"))).isEqualTo("get reg.example:5000\n");
  }

  @Test
  void dockerConfig_credsStore_dockerHubAskedByItsIndexUrl() throws IOException {
    helper("store", "{\"Username\":\"hub\",\"Secret\":\"tok\"}", 0);

    var found = CredentialSources.dockerConfig(config("{\"credsStore\":\"store\"}"), List.of(dir)).find("docker.io");

    assertThat(found).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("hub"));
    assertThat(Files.readString(dir.resolve("store.log"))).isEqualTo("get https://index.docker.io/v1/\n");
  }

  @Test
  void dockerConfig_credsStoreHasNothing_fallsBackToAuths() throws IOException {
    helper("store", "credentials not found in native keychain", 1);
    Path file = config("{\"credsStore\":\"store\",\"auths\":{\"reg.example\":{\"auth\":\"" + auth("a:b") + "\"}}}");

    assertThat(CredentialSources.dockerConfig(file, List.of(dir)).find("reg.example"))
        .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("a"));
  }

  @Test
  void dockerConfig_helperFails_errorNamesHelperButNotItsOutput() throws IOException {
    helper("broken", "{\"Secret\":\"leaked-secret\"}", 3);
    Path file = config("{\"credHelpers\":{\"reg.example\":\"broken\"}}");

    assertThatThrownBy(() -> CredentialSources.dockerConfig(file, List.of(dir)).find("reg.example"))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("docker-credential-broken (credHelpers in " + file + ") failed (exit 3)")
        .hasMessageNotContaining("leaked-secret");
  }

  @Test
  void dockerConfig_helperMissingOrBadlyNamed_clearError() throws IOException {
    Path missing = config("{\"credHelpers\":{\"reg.example\":\"nowhere\"}}");
    assertThatThrownBy(() -> CredentialSources.dockerConfig(missing, List.of(dir)).find("reg.example"))
        .hasMessageContaining("docker-credential-nowhere").hasMessageContaining("is not on PATH");

    Path traversal = config("{\"credHelpers\":{\"reg.example\":\"../../bin/sh\"}}");
    assertThatThrownBy(() -> CredentialSources.dockerConfig(traversal, List.of(dir)).find("reg.example"))
        .hasMessageContaining("invalid credential helper '../../bin/sh'");
  }

  @Test
  void standard_dockerConfigEnvironmentVariable_chosenAndDescribed() throws IOException {
    Path custom = Files.createDirectories(dir.resolve("custom"));
    Files.writeString(custom.resolve("config.json"), "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("c:d") + "\"}}}");

    CredentialSource s = CredentialSources.standard(Map.of("DOCKER_CONFIG", custom.toString()), dir.resolve("home"));

    assertThat(s.find("reg.example")).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("c"));
    assertThat(s.describe()).isEqualTo("IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD, "
        + custom.resolve("config.json"));
  }

  @Test
  void chain_firstWins() {
    CredentialSource chain = CredentialSources.chain(List.of(CredentialSources.fixed("a", "1", "first"),
        CredentialSources.fixed("b", "2", "second")));

    assertThat(chain.find("x.io")).hasValueSatisfying(c -> assertThat(c.source()).isEqualTo("first"));
    assertThat(chain.describe()).isEqualTo("first, second");
  }
}
