package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link DockerTls} and the TLS messages of {@link DockerDaemonSource} that need no engine
 * (the engine's side: {@link DockerDaemonTlsTest}); certificates from the JDK's keytool.
 */
class DockerTlsTest {
  private static final ImageReference REF = ImageReference.parse("docker-daemon:app:1");
  private static final String NEEDS =
      " (DOCKER_CERT_PATH, default ~/.docker, must hold ca.pem, cert.pem and key.pem when DOCKER_TLS_VERIFY is set)";

  @TempDir
  Path dir;

  /** ca.pem, cert.pem and a PKCS#8 key.pem, as OpenSSL 3 writes them. */
  private Path certPath() throws IOException {
    SelfSignedCertificate c = SelfSignedCertificate.loopback();
    Path d = Files.createDirectories(dir.resolve("certs"));
    c.writePem(d.resolve("ca.pem"));
    c.writePem(d.resolve("cert.pem"));
    Files.writeString(d.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.privateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    return d;
  }

  private static ImageReadException failure(int port, Path certPath) {
    DockerEndpoint ep = DockerEndpoint.resolve(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port, "DOCKER_TLS_VERIFY", "1",
        "DOCKER_CERT_PATH", certPath.toString()), Optional.empty());
    try {
      new DockerDaemonSource(ep).openScanned(REF, PlatformSelection.host(), new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT));
    } catch (ImageReadException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e;
    }
    throw new AssertionError("no failure");
  }

  @Test
  void context_pemFilesOfTheDockerCommand_tls12WithTheClientKey() throws IOException {
    assertThat(DockerTls.context(certPath()).getProtocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void context_missingFiles_namesThemAndTheDirectory() throws IOException {
    Path d = certPath();
    Files.delete(d.resolve("cert.pem"));
    Files.delete(d.resolve("key.pem"));
    assertThatThrownBy(() -> DockerTls.context(d)).isInstanceOf(DockerTls.FilesException.class)
        .hasMessage("no cert.pem, key.pem in " + d + NEEDS);
  }

  @Test
  void context_keyFileWithoutAKey_namesIt() throws IOException {
    Path d = certPath();
    Files.writeString(d.resolve("key.pem"), "not a key\n");
    assertThatThrownBy(() -> DockerTls.context(d)).isInstanceOf(DockerTls.FilesException.class)
        .hasMessage(d.resolve("key.pem") + " holds no unencrypted PEM private key (RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void context_caFileWithoutACertificate_namesIt() throws IOException {
    Path d = certPath();
    Files.copy(d.resolve("key.pem"), d.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> DockerTls.context(d)).isInstanceOf(DockerTls.FilesException.class)
        .hasMessageStartingWith(d.resolve("ca.pem") + " holds no PEM certificate (");
  }

  @Test
  void openScanned_keyMissing_failsBeforeConnecting_neverPlainHttp() throws IOException {
    Path d = certPath();
    Files.delete(d.resolve("key.pem"));
    try (ServerSocket engine = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      assertThat(failure(engine.getLocalPort(), d)).hasMessage(REF.text() + ": TLS to the Docker engine at tcp://127.0.0.1:"
          + engine.getLocalPort() + ": no key.pem in " + d + NEEDS);
      engine.setSoTimeout(300);
      assertThatThrownBy(engine::accept).as("no connection").isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void openScanned_engineOnPlainTcp_saysItDoesNotSpeakTls() throws Exception {
    try (ServerSocket engine = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      // what dockerd without TLS answers to a TLS client hello
      CompletableFuture<Void> plain = CompletableFuture.runAsync(() -> {
        try (Socket s = engine.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.read(new byte[512]);
          out.write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"
              .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      int port = engine.getLocalPort();
      assertThat(failure(port, certPath())).hasMessage(REF.text() + ": TLS to the Docker engine at tcp://127.0.0.1:" + port
          + ": the engine does not speak TLS (Unsupported or unrecognized SSL message); unset DOCKER_TLS_VERIFY for an"
          + " engine on plain tcp");
      plain.get(10, TimeUnit.SECONDS);
    }
  }
}
