package io.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.Json;
import io.imagegate.image.RegistryReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Speaks the OCI distribution API to one registry: picks the scheme (HTTPS; plain HTTP only where
 * {@link RegistryOptions#allowsPlainHttp} allows), answers {@code WWW-Authenticate} challenges
 * (Bearer tokens from the realm, anonymous or with credentials; HTTP Basic), retries what is worth
 * retrying, and follows redirects by hand so that the registry's {@code Authorization} header is
 * never sent to another host (a blob redirected to S3 or a CDN).
 */
final class RegistryClient {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_TOKEN_BODY = 1 << 20;
  /** A token is renewed this long before it expires, so it does not expire in flight. */
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);

  private final String registry;
  private final String authority;
  private final HttpClient http;
  private final RegistryOptions options;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Object authLock = new Object();
  private volatile URI base;
  private volatile AuthChallenge challenge = AuthChallenge.NONE;
  private volatile Optional<RegistryCredentials> credentials;

  private record Token(String value, long expiresAtNanos) {
    boolean valid() {
      return System.nanoTime() < expiresAtNanos;
    }
  }

  /** One HTTP exchange to make: no body for GET, a form for POST. */
  private record Call(String method, URI uri, Map<String, String> headers, String authorization, String form) {}

  /**
   * @param registry the registry as references name it (for credentials and messages)
   * @param authority the {@code host[:port]} that serves its API
   */
  RegistryClient(String registry, String authority, HttpClient http, RegistryOptions options) {
    this.registry = registry;
    this.authority = authority;
    this.http = http;
    this.options = options;
  }

  RegistryOptions options() {
    return options;
  }

  /**
   * GETs {@code path} (e.g. {@code /v2/REPO/manifests/TAG}) with the access {@code scope} needs,
   * authenticating and following redirects. Any status but 401 is returned for the caller to judge;
   * a 401 after authenticating is an {@link ImageReadException} naming the credentials tried.
   *
   * @param what names the image or blob in messages
   */
  Response get(String path, Map<String, String> headers, String scope, String what) {
    URI uri = base(what).resolve(path);
    boolean reauthenticated = false;
    while (true) {
      String authorization = authorization(scope, what);
      Response r = followRedirects(uri, headers, authorization, what);
      if (r.status() != 401) {
        return r;
      }
      AuthChallenge c = AuthChallenge.pick(r.headers().allValues("WWW-Authenticate"));
      String detail = r.errorSummary();
      // once more: for a challenge the ping did not show (a registry that guards only some paths), or a
      // Bearer token that may have expired; the same Basic challenge again means the credentials failed
      boolean newChallenge = c != AuthChallenge.NONE && !c.equals(challenge);
      if (!reauthenticated && (newChallenge || (c.isBearer() && authorization != null))) {
        challenge = c;
        tokens.remove(scope);
        reauthenticated = true;
        continue;
      }
      throw unauthorized(what, detail);
    }
  }

  // ---- scheme ----------------------------------------------------------------------------------

  /** The registry's base URI, found by pinging {@code /v2/} once; also learns the auth challenge. */
  private URI base(String what) {
    URI b = base;
    if (b != null) {
      return b;
    }
    synchronized (this) {
      if (base != null) {
        return base;
      }
      try (Response ping = ping(what)) {
        if (ping.status() == 401) {
          challenge = AuthChallenge.pick(ping.headers().allValues("WWW-Authenticate"));
        } else if (ping.status() / 100 != 2) {
          throw new ImageReadException(what + ": " + ping.uri() + " answered " + statusLine(ping.status())
              + "; is " + authority + " an OCI distribution registry?");
        }
        base = URI.create(ping.uri().getScheme() + "://" + authority);
      }
      return base;
    }
  }

  /**
   * {@code GET /v2/}, which decides the scheme. A remote registry is spoken to over HTTPS; where
   * plain HTTP is allowed ({@code --insecure-registry}) and HTTPS fails for any reason but an
   * untrusted certificate, over HTTP. A loopback registry is asked over HTTP first: local and CI
   * registries nearly always are plain, nothing leaves the machine, and some plain servers sit
   * silently on a TLS hello until they time out, while TLS servers refuse plain HTTP at once.
   */
  private Response ping(String what) {
    Call https = new Call("GET", URI.create("https://" + authority + "/v2/"), Map.of(), null, null);
    Call http = new Call("GET", URI.create("http://" + authority + "/v2/"), Map.of(), null, null);
    if (RegistryOptions.isLoopback(RegistryReference.hostOf(authority))) {
      try {
        Response r = send(http, RetryPolicy.NONE, what);
        if (r.status() != 400) {
          return r;
        }
        r.discard(); // how a TLS server answers plain HTTP
      } catch (ImageReadException e) {
        if (e.getCause() == null) {
          return send(http, options.retry(), what); // it speaks HTTP but is busy: the full retries
        }
        if (e.getCause() instanceof ConnectException && authority.matches(".*:[0-9]+")) {
          throw e; // nothing listens on that port, in either scheme
        }
      }
      return send(https, options.retry(), what);
    }
    if (!options.allowsPlainHttp(authority)) {
      return send(https, options.retry(), what);
    }
    try {
      return send(https, RetryPolicy.NONE, what);
    } catch (ImageReadException e) {
      if (e.getCause() == null) {
        return send(https, options.retry(), what); // it speaks TLS but is busy: the full retries
      }
      if (e.getCause() instanceof IOException && !isCertificateProblem(e.getCause())) {
        return send(http, options.retry(), what);
      }
      throw e; // a certificate that fails verification is never a reason to drop TLS
    }
  }

  // ---- authentication --------------------------------------------------------------------------

  /** Looked up once, when first needed (an anonymous pull never runs a credential helper). */
  private Optional<RegistryCredentials> credentials() {
    Optional<RegistryCredentials> c = credentials;
    if (c == null) {
      synchronized (authLock) {
        if (credentials == null) {
          credentials = options.credentials().find(registry);
        }
        c = credentials;
      }
    }
    return c;
  }

  private String authorization(String scope, String what) {
    AuthChallenge c = challenge;
    if (c.isBasic()) {
      return credentials().map(RegistryCredentials::basicAuthorization).orElse(null);
    }
    if (c.isBearer()) {
      return "Bearer " + token(c, scope, what);
    }
    return null;
  }

  private String token(AuthChallenge c, String scope, String what) {
    Token t = tokens.get(scope);
    if (t != null && t.valid()) {
      return t.value();
    }
    synchronized (authLock) {
      t = tokens.get(scope);
      if (t != null && t.valid()) {
        return t.value();
      }
      t = fetchToken(c, scope, what);
      tokens.put(scope, t);
      return t.value();
    }
  }

  /** The token exchange of the distribution token spec: GET with Basic (or anonymous), or the OAuth2 POST for identity tokens. */
  private Token fetchToken(AuthChallenge c, String scope, String what) {
    String realm = c.param("realm").orElseThrow(() -> new ImageReadException(
        what + ": the registry asks for a Bearer token but names no realm to get it from"));
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw new ImageReadException(what + ": the registry's token realm is not a URL: " + realm);
    }
    checkScheme(realmUri, what, "token realm");
    String service = c.param("service").orElse("");
    Optional<RegistryCredentials> creds = credentials();
    Response r;
    if (creds.isPresent() && creds.get().identityToken()) {
      String form = "grant_type=refresh_token&client_id=imagegate&refresh_token=" + encode(creds.get().secret())
          + (service.isEmpty() ? "" : "&service=" + encode(service)) + "&scope=" + encode(scope);
      r = send(new Call("POST", realmUri, Map.of("Content-Type", "application/x-www-form-urlencoded"), null, form),
          options.retry(), what);
    } else {
      String query = (service.isEmpty() ? "" : "service=" + encode(service) + "&") + "scope=" + encode(scope);
      URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
      r = send(new Call("GET", uri, Map.of("Accept", "application/json"),
          creds.map(RegistryCredentials::basicAuthorization).orElse(null), null), options.retry(), what);
    }
    try (r) {
      if (r.status() == 401 || r.status() == 403) {
        throw unauthorized(what, "token endpoint " + realmUri.getHost() + ": " + r.errorSummary());
      }
      if (r.status() != 200) {
        throw new ImageReadException(what + ": token endpoint " + realmUri.getHost() + " answered "
            + statusLine(r.status()) + ": " + r.errorSummary());
      }
      JsonNode body;
      try {
        body = JSON.readTree(r.body().readAtMost(MAX_TOKEN_BODY));
      } catch (IOException e) {
        throw new ImageReadException(what + ": token endpoint " + realmUri.getHost() + " sent no JSON token");
      }
      String token = body == null ? "" : body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new ImageReadException(what + ": token endpoint " + realmUri.getHost() + " sent no token");
      }
      // the token spec: a missing or shorter lifetime means 60 seconds
      long seconds = Math.max(60, body.path("expires_in").asLong(60));
      return new Token(token, System.nanoTime() + Duration.ofSeconds(seconds).minus(TOKEN_MARGIN).toNanos());
    }
  }

  private ImageReadException unauthorized(String what, String detail) {
    Optional<RegistryCredentials> c = credentials();
    String tried = c.map(creds -> "the registry refused " + creds.describe())
        .orElse("authentication is required and no credentials were found (tried "
            + options.credentials().describe() + ")");
    return new ImageReadException(what + ": unauthorized: " + tried + (detail.isEmpty() ? "" : " [" + detail + "]"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- redirects and retries -------------------------------------------------------------------

  private Response followRedirects(URI uri, Map<String, String> headers, String authorization, String what) {
    URI current = uri;
    String auth = authorization;
    for (int hop = 0; ; hop++) {
      Response r = send(new Call("GET", current, headers, auth, null), options.retry(), what);
      if (!REDIRECTS.contains(r.status())) {
        return r;
      }
      Optional<String> location = r.header("Location");
      r.discard();
      if (location.isEmpty()) {
        throw new ImageReadException(what + ": " + statusLine(r.status()) + " without a Location from " + current.getHost());
      }
      if (hop >= MAX_REDIRECTS) {
        throw new ImageReadException(what + ": more than " + MAX_REDIRECTS + " redirects, last to " + location.get());
      }
      URI next;
      try {
        next = current.resolve(location.get());
      } catch (IllegalArgumentException e) {
        throw new ImageReadException(what + ": redirected to a malformed URL");
      }
      checkScheme(next, what, "redirect");
      if (!sameOrigin(current, next)) {
        // the registry's credentials are for the registry; a presigned URL carries its own
        auth = null;
      }
      current = next;
    }
  }

  private void checkScheme(URI uri, String what, String kind) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && uri.getHost() != null && options.allowsPlainHttp(uri.getRawAuthority())) {
      return;
    }
    throw new ImageReadException(what + ": refusing the " + kind + " to " + uri.getScheme() + "://" + uri.getHost()
        + ": only HTTPS, or plain HTTP to loopback hosts and --insecure-registry hosts");
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /**
   * Sends one call, retrying 408/429/5xx answers and broken or timed-out connections with
   * exponential backoff (honouring {@code Retry-After}) within {@code retry}'s bounds.
   */
  private Response send(Call call, RetryPolicy retry, String what) {
    long start = System.nanoTime();
    long budget = retry.maxElapsed().toNanos();
    for (int attempt = 1; ; attempt++) {
      String reason;
      Duration wait;
      try {
        HttpResponse<java.util.concurrent.Flow.Publisher<List<java.nio.ByteBuffer>>> resp =
            http.send(request(call), HttpResponse.BodyHandlers.ofPublisher());
        BodyStream body = new BodyStream(options.readTimeout());
        resp.body().subscribe(body);
        Response r = new Response(resp.statusCode(), resp.headers(), resp.uri(), body);
        if (!RETRYABLE.contains(r.status())) {
          return r;
        }
        Optional<Duration> retryAfter = retryAfter(r.header("Retry-After").orElse(""));
        reason = statusLine(r.status()) + r.errorSummary().transform(s -> s.isEmpty() ? "" : " (" + s + ")");
        if (attempt >= retry.maxAttempts()) {
          throw gaveUp(what, call, attempt, start, reason);
        }
        long elapsed = System.nanoTime() - start;
        if (retryAfter.isPresent() && elapsed + retryAfter.get().toNanos() > budget) {
          throw new ImageReadException(what + ": " + call.method() + " " + call.uri().getRawPath() + ": " + reason
              + "; the registry asks to retry after " + retryAfter.get().toSeconds() + "s, beyond the retry budget of "
              + retry.maxElapsed().toSeconds() + "s");
        }
        int failed = attempt;
        wait = retryAfter.orElseGet(() -> jitter(retry.backoff(failed)));
      } catch (IOException e) {
        if (!retryable(e) || attempt >= retry.maxAttempts()) {
          throw networkFailure(e, call, attempt, start, what);
        }
        reason = describe(e);
        wait = jitter(retry.backoff(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageReadException(what + ": interrupted");
      }
      if (System.nanoTime() - start + wait.toNanos() > budget) {
        throw gaveUp(what, call, attempt, start, reason);
      }
      sleep(wait, what);
    }
  }

  private HttpRequest request(Call call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(call.uri())
        .timeout(options.readTimeout())
        .header("User-Agent", options.userAgent());
    if (call.uri().getScheme().equalsIgnoreCase("http")) {
      // no h2c upgrade dance with registries and proxies that don't expect it
      b.version(HttpClient.Version.HTTP_1_1);
    }
    call.headers().forEach(b::header);
    if (call.authorization() != null) {
      b.header("Authorization", call.authorization());
    }
    if (call.method().equals("POST")) {
      b.POST(HttpRequest.BodyPublishers.ofString(call.form(), StandardCharsets.UTF_8));
    } else {
      b.GET();
    }
    return b.build();
  }

  private static boolean retryable(IOException e) {
    if (e instanceof SSLException || e instanceof java.io.InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return false;
    }
    // refused or unresolvable: nothing listens there, waiting will not help (a connect *timeout* is retried)
    return !(e instanceof ConnectException) || e instanceof HttpTimeoutException;
  }

  private ImageReadException gaveUp(String what, Call call, int attempts, long start, String reason) {
    return new ImageReadException(String.format(Locale.ROOT, "%s: %s %s: gave up after %d attempt%s in %.1fs: %s",
        what, call.method(), call.uri().getRawPath(), attempts, attempts == 1 ? "" : "s",
        (System.nanoTime() - start) / 1e9, reason));
  }

  private ImageReadException networkFailure(IOException e, Call call, int attempts, long start, String what) {
    String where = call.uri().getScheme() + "://" + call.uri().getRawAuthority();
    String message;
    if (isCertificateProblem(e)) {
      message = "TLS verification of " + where + " failed: " + rootMessage(e)
          + " (the certificate is not trusted by this JVM; add its CA to the trust store"
          + ", or use plain HTTP with --insecure-registry " + authority + ")";
    } else if (e instanceof SSLException) {
      message = "TLS handshake with " + where + " failed: " + rootMessage(e);
    } else if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, java.net.UnknownHostException.class)) {
      message = "unknown host " + call.uri().getHost();
    } else if (e instanceof ConnectException && !(e instanceof HttpTimeoutException)) {
      message = "connection refused by " + where + " (is a registry listening there?)";
    } else if (attempts > 1) {
      ImageReadException gaveUp = gaveUp(what, call, attempts, start, describe(e));
      gaveUp.initCause(e);
      return gaveUp;
    } else {
      message = call.method() + " " + call.uri().getRawPath() + " at " + where + " failed: " + describe(e);
    }
    return new ImageReadException(what + ": " + message, e);
  }

  static boolean isCertificateProblem(Throwable e) {
    return hasCause(e, CertificateException.class) || hasCause(e, CertPathValidatorException.class);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return ImageConfig.oneLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out (" + ImageConfig.oneLine(e.getMessage()) + ")";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + ImageConfig.oneLine(m));
  }

  private static Duration jitter(Duration d) {
    return Duration.ofMillis(d.toMillis() + ThreadLocalRandom.current().nextLong(d.toMillis() / 5 + 1));
  }

  static void sleep(Duration d, String what) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException(what + ": interrupted");
    }
  }

  /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
  static Optional<Duration> retryAfter(String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(Character::isDigit)) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v.length() > 9 ? "999999999" : v)));
    }
    try {
      Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  // ---- errors ----------------------------------------------------------------------------------

  /** A status the caller did not expect, as one line: not found, denied, or what the registry said. */
  ImageReadException failure(Response r, String what) {
    String summary = r.errorSummary();
    String detail = summary.isEmpty() ? statusLine(r.status()) : statusLine(r.status()) + ": " + summary;
    String message = switch (r.status()) {
      case 404 -> {
        if (summary.startsWith("NAME_UNKNOWN")) {
          yield "repository not found";
        } else if (summary.startsWith("BLOB_UNKNOWN")) {
          yield "blob not found in the repository";
        } else if (summary.startsWith("MANIFEST_UNKNOWN")) {
          yield "manifest unknown: no such tag or digest in the repository";
        }
        yield "not found";
      }
      case 403 -> "access denied to " + credentials().map(RegistryCredentials::describe).orElse("anonymous pulls");
      default -> "unexpected answer from the registry";
    };
    return new ImageReadException(what + ": " + message + " (" + detail + ")");
  }

  static String statusLine(int status) {
    String reason = switch (status) {
      case 200 -> "OK";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
    return reason.isEmpty() ? String.valueOf(status) : status + " " + reason;
  }

  /** A response whose body streams in; close it (or read it to the end). */
  static final class Response implements AutoCloseable {
    private final int status;
    private final HttpHeaders headers;
    private final URI uri;
    private final BodyStream body;

    Response(int status, HttpHeaders headers, URI uri, BodyStream body) {
      this.status = status;
      this.headers = headers;
      this.uri = uri;
      this.body = body;
    }

    int status() {
      return status;
    }

    HttpHeaders headers() {
      return headers;
    }

    URI uri() {
      return uri;
    }

    BodyStream body() {
      return body;
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** The media type of the body, without parameters, lower-cased; empty when not given. */
    String mediaType() {
      String ct = header("Content-Type").orElse("");
      int semi = ct.indexOf(';');
      return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads (a bounded part of) the body and closes it, returning the registry's error codes and
     * messages ({@code {"errors":[{"code":…,"message":…}]}}) as one line, or empty.
     */
    String errorSummary() {
      byte[] bytes;
      try {
        bytes = body.readAtMost(MAX_ERROR_BODY);
      } catch (IOException e) {
        return "";
      }
      try {
        JsonNode errors = JSON.readTree(bytes).path("errors");
        List<String> parts = new ArrayList<>();
        for (JsonNode e : errors) {
          String code = e.path("code").asText("");
          String message = e.path("message").asText("");
          parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
        }
        return ImageConfig.oneLine(String.join("; ", parts));
      } catch (IOException | RuntimeException e) {
        return "";
      }
    }

    /** Drops the body, reading a little so the connection can be reused. */
    void discard() {
      errorSummary();
    }

    @Override
    public void close() {
      body.close();
    }
  }
}
