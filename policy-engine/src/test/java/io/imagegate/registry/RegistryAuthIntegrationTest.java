package io.imagegate.registry;

import static io.imagegate.registry.RegistryFixtures.OPTIONS;
import static io.imagegate.registry.RegistryFixtures.error;
import static io.imagegate.registry.RegistryFixtures.gateOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.report.ImageReport;
import io.imagegate.testing.RegistryProcess;
import io.imagegate.testing.Skopeo;
import io.imagegate.testing.TokenIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link RegistrySource}'s authentication against real registries: one with htpasswd
 * (bcrypt) basic auth, one with token auth whose tokens come from {@link TokenIssuer}; credentials
 * from the environment, from a Docker config's {@code auths} and {@code identitytoken}, and from a
 * credential helper.
 */
@Tag("registry")
class RegistryAuthIntegrationTest {
  private static final BuiltImage IMAGE = RegistryFixtures.image();

  @TempDir
  static Path dir;
  private static RegistryProcess basic;
  private static TokenIssuer issuer;
  private static RegistryProcess token;

  @BeforeAll
  static void start() throws IOException {
    IMAGE.writeOciLayout(dir.resolve("app"), "1");
    basic = RegistryProcess.startWithHtpasswd(dir.resolve("basic"), "alice", "s3cret");
    Skopeo.push(dir.resolve("app"), "1", basic.url("team/app:1"), "alice", "s3cret");
    issuer = TokenIssuer.start(dir.resolve("issuer")).user("bob", "t0ken-pass").refreshToken("refresh-123", "bob");
    token = RegistryProcess.startWithTokenAuth(dir.resolve("token"), issuer);
    Skopeo.push(dir.resolve("app"), "1", token.url("team/app:1"), "bob", "t0ken-pass");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {basic, token, issuer}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static RegistryOptions env(String user, String password) {
    return OPTIONS.withCredentials(CredentialSources.environment(
        Map.of(CredentialSources.ENV_USERNAME, user, CredentialSources.ENV_PASSWORD, password)));
  }

  private static RegistryOptions dockerConfig(String json, Path helpers) throws IOException {
    Path config = Files.createTempDirectory(dir, "docker").resolve("config.json");
    Files.writeString(config, json);
    return OPTIONS.withCredentials(CredentialSources.chain(List.of(
        CredentialSources.environment(Map.of()), CredentialSources.dockerConfig(config, List.of(helpers)))));
  }

  @Test
  void basic_rightPasswordFromEnvironment_gated() {
    ImageReport r = gateOne(env("alice", "s3cret"), basic.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
  }

  @Test
  void basic_wrongPassword_unauthorizedNamingUserAndSource() {
    ImageReport r = gateOne(env("alice", "wrong-one"), basic.url("team/app:1"));

    assertThat(error(r)).startsWith(basic.host() + "/team/app:1: unauthorized: the registry refused user 'alice' from "
        + "IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD").doesNotContain("wrong-one");
  }

  @Test
  void basic_noCredentials_unauthorizedNamingWhatWasTried() {
    ImageReport r = gateOne(OPTIONS, basic.url("team/app:1"));

    assertThat(error(r)).contains("unauthorized: authentication is required and no credentials were found");
  }

  @Test
  void basic_dockerConfigAuths_gated() throws IOException {
    String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    RegistryOptions options = dockerConfig("{\"auths\":{\"https://" + basic.host() + "\":{\"auth\":\"" + auth + "\"}}}", dir);

    assertThat(gateOne(options, basic.url("team/app:1")).error()).isEmpty();
  }

  @Test
  void token_rightPassword_bearerTokenForThePullScope() {
    int before = issuer.requests().size();

    ImageReport r = gateOne(env("bob", "t0ken-pass"), token.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
    List<TokenIssuer.Request> requests = issuer.requests().subList(before, issuer.requests().size());
    // one token serves the manifest, the config and both layers
    assertThat(requests).singleElement().satisfies(t -> {
      assertThat(t.method()).isEqualTo("GET");
      assertThat(t.user()).contains("bob");
      assertThat(t.params()).containsEntry("scope", "repository:team/app:pull")
          .containsEntry("service", TokenIssuer.SERVICE);
    });
  }

  @Test
  void token_wrongPassword_unauthorizedNamingUserAndSource() {
    ImageReport r = gateOne(env("bob", "nope"), token.url("team/app:1"));

    assertThat(error(r)).startsWith(token.host() + "/team/app:1: unauthorized: the registry refused user 'bob' from "
        + "IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD").doesNotContain("nope");
  }

  @Test
  void token_anonymous_tokenGrantsNothing_unauthorized() {
    ImageReport r = gateOne(OPTIONS, token.url("team/app:1"));

    assertThat(error(r)).contains(token.host() + "/team/app:1: unauthorized: authentication is required and no "
        + "credentials were found (tried no credential sources)");
  }

  @Test
  void token_identityTokenFromDockerConfig_oauth2RefreshGrant() throws IOException {
    RegistryOptions options = dockerConfig("{\"auths\":{\"" + token.host() + "\":{\"identitytoken\":\"refresh-123\"}}}", dir);
    int before = issuer.requests().size();

    ImageReport r = gateOne(options, token.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(issuer.requests().subList(before, issuer.requests().size())).singleElement()
        .satisfies(t -> {
          assertThat(t.method()).isEqualTo("POST");
          assertThat(t.params()).containsEntry("grant_type", "refresh_token");
          assertThat(t.granted()).isTrue();
        });
  }

  @Test
  void token_credentialHelperFromDockerConfig_gated() throws IOException {
    Path helpers = Files.createTempDirectory(dir, "helpers");
    Path helper = helpers.resolve("docker-credential-imagegate-test");
    Files.writeString(helper, """
        #!/bin/sh
        server=$(cat)
        echo "$1 $server" >> "$(dirname "$0")/calls.log"
        if [ "$1" = get ] && [ "$server" = "%s" ]; then
          printf '{"ServerURL":"%%s","Username":"bob","Secret":"t0ken-pass"}' "$server"
        else
          echo "credentials not found in native keychain"
          exit 1
        fi
        """.formatted(token.host()));
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    RegistryOptions options = dockerConfig("{\"credHelpers\":{\"" + token.host() + "\":\"imagegate-test\"}}", helpers);

    ImageReport r = gateOne(options, token.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(Files.readString(helpers.resolve("calls.log"))).isEqualTo("get " + token.host() + "\n");
  }
}
