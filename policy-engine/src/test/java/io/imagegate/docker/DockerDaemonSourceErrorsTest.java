package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.engine.Gate;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link DockerDaemonSource}'s messages when there is no engine to talk to (no engine needed). */
class DockerDaemonSourceErrorsTest {
  private static final ImageReference REF = ImageReference.parse("docker-daemon:app:1");

  @TempDir
  Path dir;

  private static ImageReadException failure(String host) {
    DockerDaemonSource source = new DockerDaemonSource(new DockerEndpoint(host, Optional.empty()));
    try {
      source.openScanned(REF, PlatformSelection.host(), new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT));
    } catch (ImageReadException e) {
      return e;
    }
    throw new AssertionError("no failure from " + host);
  }

  @Test
  void openScanned_noSocket_namesTheSocketPath() {
    assertThat(failure("unix:///nonexistent.sock")).hasMessage(
        "docker-daemon:app:1: cannot reach the Docker engine: no socket at /nonexistent.sock"
            + " (is dockerd running? set DOCKER_HOST or --docker-host)");
  }

  @Test
  void openScanned_socketNobodyListensOn_namesTheSocketPath() throws IOException {
    Path sock = dir.resolve("stale.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock)); // the file stays after close: a dead engine's socket
    }
    assertThat(failure("unix://" + sock)).hasMessage(
        "docker-daemon:app:1: cannot reach the Docker engine: nothing listens on " + sock + " (is dockerd running?)");
  }

  @Test
  void openScanned_tcpRefused_namesTheAddress() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed
    }
    assertThat(failure("tcp://127.0.0.1:" + port).getMessage())
        .startsWith("docker-daemon:app:1: cannot reach the Docker engine at tcp://127.0.0.1:" + port + ": ")
        .contains("Connection refused")
        .doesNotContain("\n");
  }

  @Test
  void openScanned_malformedDockerHost_isAReadError() {
    DockerDaemonSource source = new DockerDaemonSource(Optional.of("ssh://me@host"));
    assertThatThrownBy(() -> source.open(REF, PlatformSelection.host()))
        .isInstanceOf(ImageReadException.class)
        .hasMessage("docker-daemon:app:1: unsupported Docker host 'ssh://me@host': use unix:///path/to/docker.sock or tcp://HOST:PORT");
  }

  @Test
  void gate_unreachableEngine_errorReportWithoutFindings() {
    Policy policy = new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("p.yaml",
        "apiVersion: imagegate/v1\nkind: Policy\nrules:\n  - id: no-shell\n    type: no-shell\n", null);
    DockerDaemonSource source = new DockerDaemonSource(new DockerEndpoint("unix:///nonexistent.sock", Optional.empty()));
    try (Gate gate = new Gate(ImageSources.offline().with(source), ScanLimits.DEFAULT, 1, "test")) {
      ImageReport r = gate.check(List.of(REF), PlatformSelection.host(), policy, Severity.ERROR, m -> {}).images().get(0);
      assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
      assertThat(r.findings()).isEmpty();
      assertThat(r.error()).get().asString().contains("no socket at /nonexistent.sock");
    }
  }
}
