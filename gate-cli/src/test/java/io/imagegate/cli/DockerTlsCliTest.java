package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.testing.DockerCertificates;
import io.imagegate.testing.DockerCertificates.KeyFormat;
import io.imagegate.testing.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagegate check docker-daemon:} against a real Docker engine that wants TLS
 * ({@link DockerEngine#startTls}), reached as users reach one: {@code --docker-host tcp://...} or
 * {@code DOCKER_HOST}, with {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}.
 */
@Tag("docker")
class DockerTlsCliTest {
  private static final String TAG = "imagegate-test/tls-cli:1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private static DockerCertificates certs;
  private static DockerEngine engine;
  private static Path saved;

  @BeforeAll
  static void startEngine() throws IOException {
    certs = DockerCertificates.create(dir.resolve("certs"));
    engine = DockerEngine.startTls(certs);
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(ctx.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY passwd /etc/passwd\n");
    engine.build(ctx, TAG);
    saved = dir.resolve("saved.tar");
    engine.save(TAG, saved);
  }

  @AfterAll
  static void stopEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private static CliEnvironment env(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(variables);
    all.put("HOME", dir.toString()); // not the user's ~/.docker
    return new CliEnvironment(all, false, dir);
  }

  /** The one image of a JSON report, without what names it. */
  private static JsonNode image(Cli cli) throws IOException {
    ObjectNode image = (ObjectNode) JSON.readTree(cli.out()).path("images").get(0);
    image.remove(List.of("name", "reference", "elapsed"));
    return image;
  }

  @Test
  void check_dockerHostFlagWithTlsVariables_sameReportAsDockerArchive_exit1() throws IOException {
    CliEnvironment env = env(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.clientDirectory().toString()));
    Cli daemon = Cli.run(env, "check", "-q", "--format", "json", "--docker-host", engine.host(), "docker-daemon:" + TAG);
    Cli archive = Cli.run(env, "check", "--format", "json", "docker-archive:" + saved);

    assertThat(daemon.exitCode()).as(daemon.err()).isEqualTo(1);
    assertThat(daemon.errors()).isEmpty();
    assertThat(archive.exitCode()).as(archive.err()).isEqualTo(1);
    assertThat(image(daemon)).isEqualTo(image(archive));
    assertThat(image(daemon).path("verdict").asText()).isEqualTo("fail");
    assertThat(image(daemon).path("findings").findValuesAsText("ruleId")).contains("non-root-user");
    assertThat(image(daemon).toString()).contains(engine.imageId(TAG));
  }

  @Test
  void check_wrongCa_exit3_oneLine() throws IOException {
    Path client = certs.client("wrong-ca", certs.authority(), certs.authority("other-ca", "another CA"), KeyFormat.PKCS8);
    Cli cli = Cli.run(env(Map.of("DOCKER_HOST", engine.host(), "DOCKER_TLS_VERIFY", "1",
        "DOCKER_CERT_PATH", client.toString())), "check", "-q", "docker-daemon:" + TAG);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
    assertThat(cli.errors()).containsExactly("imagegate: cannot read image docker-daemon:" + TAG + ": docker-daemon:" + TAG
        + ": TLS to the Docker engine at " + engine.host() + ": the engine's certificate is not signed by the CA in "
        + client.resolve("ca.pem") + " (unable to find valid certification path to requested target)");
  }

  @Test
  void check_tlsVerifyWithoutCertificates_exit3_namesTheDefaultDirectory() {
    Cli cli = Cli.run(env(Map.of("DOCKER_TLS_VERIFY", "1")), "check", "-q", "--docker-host", engine.host(),
        "docker-daemon:" + TAG);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
    assertThat(cli.errors()).containsExactly("imagegate: cannot read image docker-daemon:" + TAG + ": docker-daemon:" + TAG
        + ": TLS to the Docker engine at " + engine.host() + ": the certificate directory " + dir.resolve(".docker")
        + " does not exist (DOCKER_CERT_PATH, default ~/.docker, must hold ca.pem, cert.pem and key.pem when"
        + " DOCKER_TLS_VERIFY is set)");
  }

  @Test
  void check_plainTcpToTheTlsEngine_exit3_saysItExpectsTls() {
    Cli cli = Cli.run(env(Map.of("DOCKER_HOST", engine.host())), "check", "-q", "docker-daemon:" + TAG);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
    assertThat(cli.errors()).containsExactly("imagegate: cannot read image docker-daemon:" + TAG + ": docker-daemon:" + TAG
        + ": the Docker engine at " + engine.host() + " expects TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to"
        + " the directory with ca.pem, cert.pem and key.pem");
  }
}
