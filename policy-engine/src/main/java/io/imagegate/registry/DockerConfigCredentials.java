package io.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.Json;
import io.imagegate.image.RegistryReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Credentials from a Docker client config, consulted as the Docker CLI does: a registry's entry in
 * {@code credHelpers}, else the {@code credsStore} helper, else the {@code auths} entry (base64
 * {@code user:password} in {@code auth}, or {@code username}/{@code password}, or an
 * {@code identitytoken}). Helpers speak the docker-credential-helpers protocol: {@code
 * docker-credential-NAME get}, the server URL on stdin, {@code {"Username":…,"Secret":…}} on stdout.
 */
final class DockerConfigCredentials implements CredentialSource {
  /** Docker Hub's key in config files and helpers, for historical reasons. */
  static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final long HELPER_TIMEOUT_SECONDS = 30;
  private static final int MAX_HELPER_OUTPUT = 64 * 1024;

  private final Path configFile;
  private final List<Path> helperPath;

  DockerConfigCredentials(Path configFile, List<Path> helperPath) {
    this.configFile = configFile;
    this.helperPath = List.copyOf(helperPath);
  }

  @Override
  public String describe() {
    return configFile.toString();
  }

  @Override
  public Optional<RegistryCredentials> find(String registry) {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode config = read();
    String server = registry.equals(RegistryReference.DOCKER_HUB) ? DOCKER_HUB_SERVER : registry;
    Optional<Map.Entry<String, JsonNode>> helper = entryFor(config.path("credHelpers"), registry);
    if (helper.isPresent()) {
      return runHelper(helper.get().getValue().asText(""), helper.get().getKey(), "credHelpers");
    }
    String store = config.path("credsStore").asText("");
    if (!store.isEmpty()) {
      Optional<RegistryCredentials> stored = runHelper(store, server, "credsStore");
      if (stored.isPresent()) {
        return stored;
      }
    }
    return entryFor(config.path("auths"), registry).flatMap(e -> fromAuths(e.getKey(), e.getValue()));
  }

  private JsonNode read() {
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(configFile));
      if (node == null || !node.isObject()) {
        throw new ImageReadException(configFile + ": not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ImageReadException(configFile + ": cannot read Docker config: " + ImageConfig.oneLine(e.getMessage()), e);
    }
  }

  /**
   * The entry of {@code map} whose key names {@code registry}. Keys are written many ways ({@code
   * host}, {@code https://host}, {@code https://host/v1/}); like the Docker CLI, compare host names.
   */
  private static Optional<Map.Entry<String, JsonNode>> entryFor(JsonNode map, String registry) {
    String wanted = registry.equals(RegistryReference.DOCKER_HUB) ? hostname(DOCKER_HUB_SERVER) : registry;
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String host = hostname(e.getKey());
      if (host.equals(wanted) || (registry.equals(RegistryReference.DOCKER_HUB) && host.equals(RegistryReference.DOCKER_HUB))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  static String hostname(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("http://")) {
      k = k.substring(7);
    } else if (k.startsWith("https://")) {
      k = k.substring(8);
    }
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }

  private Optional<RegistryCredentials> fromAuths(String key, JsonNode entry) {
    String source = configFile + " (auths \"" + key + "\")";
    String user = entry.path("username").asText("");
    String password = entry.path("password").asText("");
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ImageReadException(source + ": \"auth\" is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new ImageReadException(source + ": \"auth\" does not decode to user:password");
      }
      user = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    String identityToken = entry.path("identitytoken").asText("");
    if (!identityToken.isEmpty()) {
      return Optional.of(new RegistryCredentials(RegistryCredentials.IDENTITY_TOKEN_USER, identityToken, source));
    }
    if (user.isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RegistryCredentials(user, password, source));
  }

  private Optional<RegistryCredentials> runHelper(String name, String server, String key) {
    String where = "docker-credential-" + name + " (" + key + " in " + configFile + ")";
    if (!HELPER_NAME.matcher(name).matches()) {
      throw new ImageReadException(configFile + ": " + key + " names an invalid credential helper '" + name + "'");
    }
    Path helper = helperPath.stream().map(d -> d.resolve("docker-credential-" + name))
        .filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new ImageReadException("credential helper " + where + " is not on PATH"));
    Process p;
    try {
      p = new ProcessBuilder(helper.toString(), "get").redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new ImageReadException("cannot run credential helper " + where + ": " + e.getMessage(), e);
    }
    try {
      CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readBounded(p.getInputStream()));
      CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readBounded(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new ImageReadException("credential helper " + where + " did not answer within " + HELPER_TIMEOUT_SECONDS + "s");
      }
      // stdout may hold a secret: it is parsed, never quoted in a message
      String out = new String(stdout.join(), StandardCharsets.UTF_8);
      String err = new String(stderr.join(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        if ((out + err).toLowerCase(Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new ImageReadException("credential helper " + where + " failed (exit " + p.exitValue() + ")"
            + (err.isBlank() ? "" : ": " + ImageConfig.oneLine(err.strip())));
      }
      JsonNode answer;
      try {
        answer = JSON.readTree(out);
      } catch (IOException e) {
        throw new ImageReadException("credential helper " + where + " did not answer with JSON");
      }
      String user = answer == null ? "" : answer.path("Username").asText("");
      String secret = answer == null ? "" : answer.path("Secret").asText("");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new RegistryCredentials(user, secret, where));
    } catch (IOException e) {
      throw new ImageReadException("credential helper " + where + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException("interrupted while running credential helper " + where);
    } finally {
      p.destroyForcibly();
    }
  }

  private static byte[] readBounded(InputStream in) {
    try (in) {
      byte[] bytes = in.readNBytes(MAX_HELPER_OUTPUT);
      in.transferTo(OutputStream.nullOutputStream());
      return bytes;
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
