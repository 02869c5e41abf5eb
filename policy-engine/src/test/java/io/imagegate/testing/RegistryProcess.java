package io.imagegate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real registry — Debian's {@code docker-registry} (CNCF distribution) — on 127.0.0.1 with a free
 * port, filesystem storage under a test's directory, and no auth, htpasswd (bcrypt) basic auth or
 * token auth. {@link #close()} stops it. Missing binaries skip the test, or fail it under CI.
 *
 * <pre>{@code
 * try (RegistryProcess registry = RegistryProcess.start(tempDir)) {
 *   Skopeo.push(layoutDir, "1", registry.url("app:1"));
 *   // docker://127.0.0.1:PORT/app:1
 * }
 * }</pre>
 */
public final class RegistryProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final Path log;

  private RegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A registry anyone may pull from and push to. */
  public static RegistryProcess start(Path dir) throws IOException {
    return start(dir, "");
  }

  /** A registry that wants HTTP Basic {@code user}/{@code password}, checked against a bcrypt htpasswd file. */
  public static RegistryProcess startWithHtpasswd(Path dir, String user, String password) throws IOException {
    Path htpasswd = ExternalTools.require("htpasswd", "apache2-utils");
    Files.createDirectories(dir);
    Path file = dir.resolve("htpasswd");
    String line = ExternalTools.run(List.of(htpasswd.toString(), "-Bbn", user, password)).strip();
    Files.writeString(file, line + "\n");
    return start(dir, "auth:\n  htpasswd:\n    realm: imagegate-test\n    path: " + file + "\n");
  }

  /** A registry that wants Bearer tokens from {@code issuer}. */
  public static RegistryProcess startWithTokenAuth(Path dir, TokenIssuer issuer) throws IOException {
    return start(dir, "auth:\n  token:\n    realm: " + issuer.realm() + "\n    service: " + TokenIssuer.SERVICE
        + "\n    issuer: " + TokenIssuer.ISSUER + "\n    rootcertbundle: " + issuer.rootCertBundle() + "\n");
  }

  private static RegistryProcess start(Path dir, String auth) throws IOException {
    Path binary = ExternalTools.require("docker-registry", "docker-registry");
    Files.createDirectories(dir);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = dir.resolve("registry-" + port + ".yml");
      Files.writeString(config, """
          version: 0.1
          log:
            level: warn
            accesslog:
              disabled: true
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
            secret: imagegate-test-secret
          %s""".formatted(dir.resolve("storage"), port, auth));
      Path log = dir.resolve("registry-" + port + ".log");
      Process p = new ProcessBuilder(binary.toString(), "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RegistryProcess registry = new RegistryProcess(p, port, log);
      try {
        registry.awaitReady();
        return registry;
      } catch (IOException e) {
        registry.close();
        last = e; // most likely the port was taken in between: another one
      }
    }
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
            .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("docker-registry did not answer on " + host() + " within " + STARTUP.toSeconds() + "s: " + log());
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code docker://127.0.0.1:PORT/NAME} for {@code NAME} like {@code app:1} or {@code app@sha256:…}. */
  public String url(String name) {
    return "docker://" + host() + "/" + name;
  }

  /** What the registry has logged so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
