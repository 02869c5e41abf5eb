package io.imagegate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A token server for the distribution registry's {@code auth: token:} mode, on loopback: it checks
 * HTTP Basic credentials (or an OAuth2 refresh token) and issues RS256 JWTs whose header carries the
 * signing certificate in {@code x5c} — registry 2.8 verifies that chain against its
 * {@code rootcertbundle}, then the signature, issuer, audience ({@code service}) and lifetime.
 * Known users get every action they ask for; anonymous callers get a token granting nothing.
 */
public final class TokenIssuer implements AutoCloseable {
  public static final String SERVICE = "imagegate-test-registry";
  public static final String ISSUER = "imagegate-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One token request as the issuer saw it. */
  public record Request(String method, Map<String, String> params, Optional<String> user, boolean granted) {}

  private final HttpServer server;
  private final SelfSignedCertificate certificate;
  private final Path rootCertBundle;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "token-issuer");
    t.setDaemon(true);
    return t;
  });

  private TokenIssuer(Path dir) throws IOException {
    certificate = SelfSignedCertificate.loopback();
    rootCertBundle = certificate.writePem(Files.createDirectories(dir).resolve("token-issuer.pem"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/token", this::handle);
    server.start();
  }

  /** Starts an issuer whose certificate (for the registry's {@code rootcertbundle}) is written under {@code dir}. */
  public static TokenIssuer start(Path dir) throws IOException {
    return new TokenIssuer(dir);
  }

  /** Accepts {@code user} with {@code password}. */
  public TokenIssuer user(String user, String password) {
    users.put(user, password);
    return this;
  }

  /** Accepts {@code refreshToken} (a Docker "identity token") for {@code user} in the OAuth2 POST flow. */
  public TokenIssuer refreshToken(String refreshToken, String user) {
    refreshTokens.put(refreshToken, user);
    return this;
  }

  /** The URL registries send clients to, {@code http://127.0.0.1:PORT/token}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The certificate (PEM) a registry must trust to accept this issuer's tokens. */
  public Path rootCertBundle() {
    return rootCertBundle;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> params = new ConcurrentHashMap<>();
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      String form = ex.getRequestMethod().equals("POST")
          ? new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) : "";
      for (String source : new String[] {query == null ? "" : query, form}) {
        for (String pair : source.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
            if (k.equals("scope")) {
              scopes.add(v);
            }
          }
        }
      }
      Optional<String> user = Optional.empty();
      boolean refused = false;
      if (ex.getRequestMethod().equals("POST")) {
        user = Optional.ofNullable(refreshTokens.get(params.getOrDefault("refresh_token", "")));
        refused = user.isEmpty() || !"refresh_token".equals(params.get("grant_type"));
      } else {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Basic ")) {
          String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
          int colon = decoded.indexOf(':');
          String name = decoded.substring(0, Math.max(colon, 0));
          String password = decoded.substring(colon + 1);
          refused = colon < 0 || !password.equals(users.get(name));
          user = Optional.of(name);
        }
      }
      requests.add(new Request(ex.getRequestMethod(), Map.copyOf(params), user, !refused));
      if (refused || !SERVICE.equals(params.getOrDefault("service", SERVICE))) {
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid credentials\"}]}"
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(401, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      String token = jwt(user.orElse(""), user.isPresent() ? scopes : List.of());
      ObjectNode answer = JSON.createObjectNode();
      answer.put(ex.getRequestMethod().equals("POST") ? "access_token" : "token", token);
      answer.put("expires_in", 300);
      byte[] body = JSON.writeValueAsBytes(answer);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  private String jwt(String subject, List<String> scopes) {
    ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(certificate.derBase64());
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      // repository:NAME:ACTION[,ACTION]
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      ObjectNode a = access.addObject();
      a.put("type", scope.substring(0, first));
      a.put("name", scope.substring(first + 1, last));
      ArrayNode actions = a.putArray("actions");
      for (String action : scope.substring(last + 1).split(",")) {
        actions.add(action);
      }
    }
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
          + b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(certificate.privateKey());
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(rs256.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
