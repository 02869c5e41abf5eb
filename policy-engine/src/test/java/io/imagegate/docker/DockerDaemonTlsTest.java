package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.engine.Gate;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.DockerCertificates;
import io.imagegate.testing.DockerCertificates.KeyFormat;
import io.imagegate.testing.DockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code docker-daemon:} against a real Docker engine on tcp with {@code --tlsverify}
 * ({@link DockerEngine#startTls}), certificates made by openssl as Docker's guide makes them
 * ({@link DockerCertificates}): the engine found as the docker command finds it
 * ({@code DOCKER_HOST=tcp://127.0.0.1:PORT}, {@code DOCKER_TLS_VERIFY=1}, {@code DOCKER_CERT_PATH})
 * gives what {@code docker save} + {@code docker-archive:} give, and what users get wrong fails in
 * one line that says where we looked and what failed.
 */
@Tag("docker")
class DockerDaemonTlsTest {
  private static final String IMAGE = "imagegate-test/tls:1";
  private static final ImageReference REF = ImageReference.parse("docker-daemon:" + IMAGE);
  private static final String POLICY = """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: non-root-user
          type: required-user
        - id: no-shell
          type: no-shell
        - id: no-network-tools
          type: forbidden-files
          names: [curl, wget]
      """;

  @TempDir
  static Path dir;

  private static DockerCertificates certs;
  private static DockerEngine engine;
  private static Policy policy;

  @BeforeAll
  static void startEngine() throws IOException {
    certs = DockerCertificates.create(dir.resolve("certs"));
    engine = DockerEngine.startTls(certs);
    policy = new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("policy.yaml", POLICY, null);
    Path rootfs = dir.resolve("rootfs.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(rootfs))) {
      file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
      file(tar, "bin/sh", "\u007fELF fake shell\n", 0755);
      file(tar, "usr/bin/curl", "\u007fELF fake curl\n", 0755);
    }
    engine.importTar(rootfs, IMAGE, "ENTRYPOINT [\"/usr/bin/curl\"]"); // the docker command, over TLS
  }

  @AfterAll
  static void stopEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /** The engine as a user's environment names it, with {@code certPath} as DOCKER_CERT_PATH (TLS on when present). */
  private static DockerEndpoint endpoint(Optional<Path> certPath) {
    Map<String, String> env = certPath.<Map<String, String>>map(p -> Map.of("DOCKER_HOST", engine.host(),
            "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", p.toString()))
        .orElse(Map.of("DOCKER_HOST", engine.host()));
    return DockerEndpoint.resolve(env, Optional.empty());
  }

  private static ImageReport gate(DockerEndpoint endpoint, String reference) {
    try (Gate gate = new Gate(ImageSources.offline().with(new DockerDaemonSource(endpoint)), ScanLimits.DEFAULT, 2, "test")) {
      List<ImageReport> images = gate.check(List.of(ImageReference.parse(reference)), PlatformSelection.host(), policy,
          Severity.ERROR, m -> {}).images();
      assertThat(images).hasSize(1);
      return images.get(0);
    }
  }

  /**
   * The one-line messages of a failure, as the source throws it and as the gate reports it (an
   * ERROR without findings); the engine's refusal of a client certificate reaches the client in
   * different ways from one run to the next, so the two need not be equal.
   */
  private static List<String> failure(DockerEndpoint endpoint) {
    String thrown = null;
    try {
      new DockerDaemonSource(endpoint).openScanned(REF, PlatformSelection.host(),
          new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT));
    } catch (ImageReadException e) {
      thrown = e.getMessage();
    }
    assertThat(thrown).as("failure from " + endpoint).isNotNull();
    ImageReport r = gate(endpoint, REF.text());
    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(r.findings()).isEmpty();
    List<String> messages = List.of(thrown, r.error().orElseThrow());
    assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain("\n"));
    return messages;
  }

  @ParameterizedTest(name = "key.pem {0}")
  @EnumSource(KeyFormat.class)
  void tls_sameAsDockerSaveArchive(KeyFormat format) throws IOException {
    Path client = format == KeyFormat.PKCS1 ? certs.clientDirectory()
        : certs.client("client-" + format, certs.authority(), certs.authority(), format);
    DockerEndpoint endpoint = endpoint(Optional.of(client));
    assertThat(endpoint.describe()).isEqualTo(engine.host() + " (TLS, certificates from " + client + ")");
    Path tar = dir.resolve("saved-" + format + ".tar");
    engine.save(IMAGE, tar);

    ImageReport daemon = gate(endpoint, REF.text());
    ImageReport archive = gate(endpoint, "docker-archive:" + tar);

    assertThat(daemon.error()).isEmpty();
    assertThat(daemon).usingRecursiveComparison().ignoringFields("name", "reference", "elapsed").isEqualTo(archive);
    assertThat(daemon.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(daemon.findings()).extracting(Finding::ruleId)
        .containsExactlyInAnyOrder("non-root-user", "no-shell", "no-network-tools");
    assertThat(daemon.configDigest()).get().hasToString(engine.imageId(IMAGE));
  }

  @Test
  void wrongCa_theEnginesCertificateIsNotTrusted() throws IOException {
    Path client = certs.client("wrong-ca", certs.authority(), certs.authority("other-ca", "another CA"), KeyFormat.PKCS1);
    assertThat(failure(endpoint(Optional.of(client)))).containsOnly(REF.text() + ": TLS to the Docker engine at "
        + engine.host() + ": the engine's certificate is not signed by the CA in " + client.resolve("ca.pem")
        + " (unable to find valid certification path to requested target)");
  }

  @Test
  void certPathWithoutTheKey_failsNamingTheDirectory_neverPlainHttp() throws IOException {
    Path client = Files.createDirectories(dir.resolve("no-key"));
    Files.copy(certs.clientDirectory().resolve("ca.pem"), client.resolve("ca.pem"));
    Files.copy(certs.clientDirectory().resolve("cert.pem"), client.resolve("cert.pem"));
    assertThat(failure(endpoint(Optional.of(client)))).containsOnly(REF.text() + ": TLS to the Docker engine at "
        + engine.host() + ": no key.pem in " + client + " (DOCKER_CERT_PATH, default ~/.docker, must hold ca.pem,"
        + " cert.pem and key.pem when DOCKER_TLS_VERIFY is set)");
  }

  @Test
  void certPathMissing_failsNamingIt() {
    Path client = dir.resolve("no-such-dir");
    assertThat(failure(endpoint(Optional.of(client)))).containsOnly(REF.text() + ": TLS to the Docker engine at "
        + engine.host() + ": the certificate directory " + client + " does not exist (DOCKER_CERT_PATH, default"
        + " ~/.docker, must hold ca.pem, cert.pem and key.pem when DOCKER_TLS_VERIFY is set)");
  }

  @Test
  void plainTcpToTheTlsPort_saysTheEngineExpectsTls() {
    assertThat(failure(endpoint(Optional.empty()))).containsOnly(REF.text() + ": the Docker engine at " + engine.host()
        + " expects TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem");
  }

  @Test
  void clientCertificateFromAnotherCa_theEngineRefusesIt() throws IOException {
    Path client = certs.client("foreign-client", certs.authority("rogue-ca", "rogue CA"), certs.authority(), KeyFormat.PKCS1);
    assertThat(failure(endpoint(Optional.of(client)))).allSatisfy(m -> assertThat(m)
        .startsWith(REF.text() + ": TLS to the Docker engine at " + engine.host() + ": the engine ended the TLS connection (")
        .endsWith("): does it trust the client certificate " + client.resolve("cert.pem")
            + "? It must be signed by the CA the engine's --tlscacert names"));
  }

  @Test
  void hostNameTheCertificateDoesNotName_saysSo() {
    String localhost = engine.host().replace("127.0.0.1", "localhost");
    DockerEndpoint endpoint = DockerEndpoint.resolve(Map.of("DOCKER_HOST", localhost, "DOCKER_TLS_VERIFY", "1",
        "DOCKER_CERT_PATH", certs.clientDirectory().toString()), Optional.empty());
    assertThat(failure(endpoint)).allSatisfy(m -> assertThat(m)
        .startsWith(REF.text() + ": TLS to the Docker engine at " + localhost + ": the engine's certificate is not for localhost ("));
  }
}
