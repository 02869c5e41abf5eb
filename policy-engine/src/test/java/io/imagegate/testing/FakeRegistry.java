package io.imagegate.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.imagegate.build.BuiltImage;
import io.imagegate.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A small registry on loopback ({@code com.sun.net.httpserver}) that serves images from memory and
 * misbehaves on demand, for what a real registry will not do when asked: 429 with
 * {@code Retry-After}, 5xx, redirects to another host, truncated or corrupted blobs, stalls, wrong
 * digests. Every request is recorded (method, path, headers) for assertions.
 *
 * <pre>{@code
 * try (FakeRegistry registry = FakeRegistry.start()) {
 *   registry.serve("app", "1", image);
 *   registry.fault(FakeRegistry.blob(layerDigest), Fault.status(500, Map.of()));
 * }
 * }</pre>
 */
public final class FakeRegistry implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** A request as received. */
  public record Recorded(String method, String path, Headers headers) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.getFirst(name));
    }
  }

  /** Content served at a path. */
  private record Content(byte[] body, String contentType, Map<String, String> headers) {}

  /** How one request goes wrong. */
  public sealed interface Fault {
    /** Answers {@code status} with {@code headers} and a registry-style error body. */
    static Fault status(int status, Map<String, String> headers) {
      return new Status(status, headers);
    }

    /** Answers {@code status} with a registry error {@code code} and {@code message}. */
    static Fault error(int status, String code, String message) {
      return new ErrorAnswer(status, code, message);
    }

    /** Answers 307 to {@code location}. */
    static Fault redirect(String location) {
      return new Redirect(location);
    }

    /** Promises the full length, sends {@code bytes} of it, then drops the connection. */
    static Fault dropAfter(int bytes) {
      return new Drop(bytes);
    }

    /** Serves only the first {@code bytes}, with a matching {@code Content-Length}: a consistently short blob. */
    static Fault shortBody(int bytes) {
      return new Short(bytes);
    }

    /** Serves the content with one byte flipped. */
    static Fault corrupt() {
      return new Corrupt();
    }

    /** Serves the content with {@code bytes} more bytes after it. */
    static Fault extraBytes(int bytes) {
      return new Extra(bytes);
    }

    /** Waits {@code pause} before answering at all. */
    static Fault delay(Duration pause) {
      return new Delay(pause);
    }

    /** Closes the connection without answering. */
    static Fault hangUp() {
      return new HangUp();
    }

    /** Sends {@code bytes}, then nothing for {@code pause}. */
    static Fault stall(int bytes, Duration pause) {
      return new Stall(bytes, pause);
    }
  }

  record Status(int status, Map<String, String> headers) implements Fault {}

  record ErrorAnswer(int status, String code, String message) implements Fault {}

  record Redirect(String location) implements Fault {}

  record Drop(int bytes) implements Fault {}

  record Short(int bytes) implements Fault {}

  record Corrupt() implements Fault {}

  record Extra(int bytes) implements Fault {}

  record Delay(Duration pause) implements Fault {}

  record HangUp() implements Fault {}

  record Stall(int bytes, Duration pause) implements Fault {}

  /** Faults for matching paths: those queued, one per request, then {@code always} (if any) for ever. */
  private record Rule(Predicate<String> path, Deque<Fault> faults, Optional<Fault> always) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-registry");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Content> content = new ConcurrentHashMap<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile String basicAuth;

  private FakeRegistry(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A plain-HTTP registry on 127.0.0.1. */
  public static FakeRegistry start() throws IOException {
    return new FakeRegistry(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** An HTTPS registry on 127.0.0.1 presenting {@code tls}'s certificate. */
  public static FakeRegistry startTls(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeRegistry(s);
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code localhost:PORT}: the same server under another host name (for cross-host redirects). */
  public String localhost() {
    return "localhost:" + server.getAddress().getPort();
  }

  /** {@code docker://127.0.0.1:PORT/NAME}. */
  public String url(String name) {
    return "docker://" + host() + "/" + name;
  }

  /** Serves {@code image} as {@code repo:tag} (manifest by tag and digest, config and layer blobs). */
  public FakeRegistry serve(String repo, String tag, BuiltImage image) {
    byte[] manifest = image.manifestBytes();
    manifest(repo, tag, image.manifestMediaType(), manifest, Map.of("Docker-Content-Digest", image.manifestDigest().toString()));
    manifest(repo, image.manifestDigest().toString(), image.manifestMediaType(), manifest,
        Map.of("Docker-Content-Digest", image.manifestDigest().toString()));
    blob(repo, image.configDigest(), image.configBytes());
    for (BuiltImage.BuiltLayer l : image.layers()) {
      blob(repo, l.digest(), l.blob());
    }
    return this;
  }

  /** Serves raw manifest bytes at {@code /v2/REPO/manifests/REF} with the given type and headers. */
  public FakeRegistry manifest(String repo, String ref, String mediaType, byte[] bytes, Map<String, String> headers) {
    content.put("/v2/" + repo + "/manifests/" + ref, new Content(bytes, mediaType, headers));
    return this;
  }

  /** Serves a blob. */
  public FakeRegistry blob(String repo, Digest digest, byte[] bytes) {
    content.put("/v2/" + repo + "/blobs/" + digest, new Content(bytes, "application/octet-stream",
        Map.of("Docker-Content-Digest", digest.toString())));
    return this;
  }

  /** Demands HTTP Basic {@code user}/{@code password} on every {@code /v2/} request. */
  public FakeRegistry requireBasicAuth(String user, String password) {
    basicAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** The next requests whose path matches get these faults, one each, in order; later ones are served normally. */
  public FakeRegistry fault(Predicate<String> path, Fault... faults) {
    rules.add(new Rule(path, new ArrayDeque<>(List.of(faults)), Optional.empty()));
    return this;
  }

  /** The same fault for every matching request, for ever. */
  public FakeRegistry alwaysFault(Predicate<String> path, Fault fault) {
    rules.add(new Rule(path, new ArrayDeque<>(), Optional.of(fault)));
    return this;
  }

  /** Matches a blob's path. */
  public static Predicate<String> blob(Digest digest) {
    return p -> p.endsWith("/blobs/" + digest);
  }

  /** Matches a manifest's path by tag or digest. */
  public static Predicate<String> manifest(String ref) {
    return p -> p.endsWith("/manifests/" + ref);
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** Requests whose path matches. */
  public List<Recorded> requests(Predicate<String> path) {
    return requests.stream().filter(r -> path.test(r.path())).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(new Recorded(ex.getRequestMethod(), path, copy(ex.getRequestHeaders())));
      ex.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
      if (basicAuth != null && !basicAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake-registry\"");
        error(ex, 401, "UNAUTHORIZED", "authentication required");
        return;
      }
      if (path.equals("/v2/") || path.equals("/v2")) {
        send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Fault fault = nextFault(path);
      if (fault instanceof HangUp) {
        throw new IOException("injected fault: hang up"); // the server closes the connection unanswered
      }
      if (fault instanceof Delay d) {
        pause(d.pause());
      }
      if (fault instanceof Status s) {
        s.headers().forEach(ex.getResponseHeaders()::set);
        error(ex, s.status(), s.status() == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE", "injected fault");
        return;
      }
      if (fault instanceof ErrorAnswer e) {
        error(ex, e.status(), e.code(), e.message());
        return;
      }
      if (fault instanceof Redirect r) {
        ex.getResponseHeaders().set("Location", r.location());
        ex.sendResponseHeaders(307, -1);
        return;
      }
      Content c = content.get(path);
      if (c == null) {
        String code = path.contains("/manifests/") ? "MANIFEST_UNKNOWN" : path.contains("/blobs/") ? "BLOB_UNKNOWN" : "NAME_UNKNOWN";
        error(ex, 404, code, code.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        return;
      }
      serve(ex, c, fault);
    }
  }

  private Fault nextFault(String path) {
    for (Rule r : rules) {
      if (r.path().test(path)) {
        synchronized (r.faults()) {
          if (!r.faults().isEmpty()) {
            return r.faults().poll();
          }
        }
        if (r.always().isPresent()) {
          return r.always().get();
        }
      }
    }
    return null;
  }

  private static void serve(HttpExchange ex, Content c, Fault fault) throws IOException {
    byte[] body = c.body();
    c.headers().forEach(ex.getResponseHeaders()::set);
    ex.getResponseHeaders().set("Content-Type", c.contentType());
    int status = 200;
    int from = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (m != null && m.matches() && Integer.parseInt(m.group(1)) < body.length) {
      from = Integer.parseInt(m.group(1));
      status = 206;
      ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    int length = body.length - from;
    if (fault instanceof Corrupt) {
      body = body.clone();
      body[body.length / 2] ^= 0x01;
    }
    if (fault instanceof Short s) {
      length = Math.min(length, s.bytes());
    }
    if (fault instanceof Extra e) {
      byte[] longer = java.util.Arrays.copyOf(body, body.length + e.bytes());
      body = longer;
      length += e.bytes();
    }
    ex.sendResponseHeaders(status, length);
    OutputStream out = ex.getResponseBody();
    if (fault instanceof Drop d) {
      out.write(body, from, Math.min(d.bytes(), length));
      out.flush();
      throw new IOException("injected fault: connection dropped"); // the server closes the connection
    }
    if (fault instanceof Stall s) {
      out.write(body, from, Math.min(s.bytes(), length));
      out.flush();
      pause(s.pause());
      int sent = Math.min(s.bytes(), length);
      out.write(body, from + sent, length - sent);
      return;
    }
    out.write(body, from, length);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
        + "\",\"detail\":null}]}").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static Headers copy(Headers h) {
    Headers c = new Headers();
    h.forEach((k, v) -> c.put(k, List.copyOf(v)));
    return c;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
