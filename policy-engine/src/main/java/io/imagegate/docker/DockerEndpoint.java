package io.imagegate.docker;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Docker engine listens and how to talk to it, resolved as the {@code docker} command does:
 * an explicit host (the CLI's {@code --docker-host}) wins over {@code DOCKER_HOST}, which wins over
 * the default socket {@value #DEFAULT_HOST}; {@code DOCKER_TLS_VERIFY} (any value but empty,
 * {@code 0} or {@code false}) turns on TLS with the client certificate, key and CA
 * ({@code cert.pem}, {@code key.pem}, {@code ca.pem}) in {@code DOCKER_CERT_PATH}, default
 * {@code ~/.docker}.
 *
 * @param host {@code unix:///path/to/docker.sock} or {@code tcp://HOST:PORT}
 * @param certPath the directory of the TLS files; present exactly when TLS is on
 */
public record DockerEndpoint(String host, Optional<Path> certPath) {
  /** Where the engine listens when nothing says otherwise. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /** @throws IllegalArgumentException with a one-line message when {@code host} is no unix or tcp address */
  public DockerEndpoint {
    host = host.trim();
    URI uri = uri(host);
    switch (uri.getScheme() == null ? "" : uri.getScheme()) {
      case "unix" -> {
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
          throw new IllegalArgumentException("Docker host " + host + " names no socket (use unix:///path/to/docker.sock)");
        }
        if (certPath.isPresent()) {
          certPath = Optional.empty(); // TLS applies to tcp only, as with the docker command
        }
      }
      case "tcp" -> {
        if (uri.getHost() == null || uri.getPort() < 0) {
          throw new IllegalArgumentException("Docker host " + host + " needs a host and a port (tcp://HOST:PORT)");
        }
      }
      default -> throw new IllegalArgumentException("unsupported Docker host '" + host
          + "': use unix:///path/to/docker.sock or tcp://HOST:PORT");
    }
  }

  /** The default socket, without TLS. */
  public static DockerEndpoint defaultSocket() {
    return new DockerEndpoint(DEFAULT_HOST, Optional.empty());
  }

  /**
   * Resolves the endpoint from environment variables ({@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY},
   * {@code DOCKER_CERT_PATH}, {@code HOME}) and an explicit host that overrides {@code DOCKER_HOST}.
   *
   * @throws IllegalArgumentException when the host is malformed
   */
  public static DockerEndpoint resolve(Map<String, String> env, Optional<String> explicitHost) {
    String host = explicitHost.filter(h -> !h.isBlank())
        .or(() -> Optional.ofNullable(env.get("DOCKER_HOST")).filter(h -> !h.isBlank()))
        .orElse(DEFAULT_HOST);
    String verify = env.getOrDefault("DOCKER_TLS_VERIFY", "").trim();
    boolean tls = !verify.isEmpty() && !verify.equals("0") && !verify.equalsIgnoreCase("false");
    Optional<Path> certs = Optional.empty();
    if (tls && host.startsWith("tcp:")) {
      String dir = env.getOrDefault("DOCKER_CERT_PATH", "");
      certs = Optional.of(dir.isBlank() ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker")
          : Path.of(dir));
    }
    return new DockerEndpoint(host, certs);
  }

  /** Whether the engine is reached over TLS. */
  public boolean tls() {
    return certPath.isPresent();
  }

  /** The socket's path, for a {@code unix://} host. */
  public Optional<Path> socket() {
    URI uri = uri(host);
    return "unix".equals(uri.getScheme()) ? Optional.of(Path.of(uri.getPath())) : Optional.empty();
  }

  /** Where we looked, for messages: the socket path, or the tcp address and whether TLS was used. */
  public String describe() {
    return socket().map(Path::toString)
        .orElseGet(() -> host + (tls() ? " (TLS, certificates from " + certPath.get() + ")" : ""));
  }

  private static URI uri(String host) {
    try {
      return new URI(host);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed Docker host '" + host + "': " + e.getReason());
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
