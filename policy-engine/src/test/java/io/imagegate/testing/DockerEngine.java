package io.imagegate.testing;

import io.imagegate.docker.DockerEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Docker engine for tests tagged {@code docker}. {@link #require()} returns the engine that
 * answers at {@code DOCKER_HOST} (or the default socket); when none does, it starts Debian's
 * {@code dockerd} once per test JVM — vfs storage, no iptables, no bridge, its own data root, exec
 * root, pid file and unix socket under a temporary directory — and stops it when the JVM exits.
 * When no engine can be had the calling tests are skipped with the reason, or fail with it when
 * {@code CI=true}: CI must not pass by skipping.
 *
 * <p>{@link #startTls} starts another engine, reached only over TLS on a free loopback port, for
 * the test that owns it and closes it (see {@link DockerCertificates}).
 *
 * <p>Images are built with the {@code docker} command ({@link #build}, {@link #importTar}), so
 * tests check our client against what the engine itself wrote.
 */
public final class DockerEngine implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 90_000;
  private static DockerEngine instance;
  private static String unavailable;

  private final String host;
  private final boolean started;
  /** What a client needs besides DOCKER_HOST: the TLS variables of a {@link #startTls} engine. */
  private final Map<String, String> clientEnvironment;
  /** Stops an engine {@link #startTls} started; the shared engine stops at JVM exit. */
  private final Runnable stop;

  private DockerEngine(String host, boolean started, Map<String, String> clientEnvironment, Runnable stop) {
    this.host = host;
    this.started = started;
    this.clientEnvironment = Map.copyOf(clientEnvironment);
    this.stop = stop;
  }

  /** The engine, started if need be; skips (or under {@code CI=true} fails) the caller when there is none. */
  public static synchronized DockerEngine require() {
    if (instance == null && unavailable == null) {
      try {
        instance = findOrStart();
      } catch (IOException | RuntimeException e) {
        unavailable = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unavailable = "interrupted while starting dockerd";
      }
    }
    if (instance != null) {
      return instance;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true and no Docker engine for the docker tests: " + unavailable);
    }
    Assumptions.abort("no Docker engine: " + unavailable);
    throw new IllegalStateException("unreachable");
  }

  /** The engine's address, e.g. {@code unix:///tmp/imagegate-dockerd-123/docker.sock}. */
  public String host() {
    return host;
  }

  /**
   * Starts a dockerd of its own that listens only on {@code tcp://127.0.0.1:PORT} (a free port)
   * with {@code --tlsverify}: the server certificate and key and the CA that must have signed
   * clients' certificates come from {@code certs}, and the {@code docker} commands of
   * {@link #docker} use its client directory. The caller closes the engine (a JVM exit stops it
   * too). Skips (or under {@code CI=true} fails) the caller when docker or dockerd is missing or
   * dockerd won't start.
   */
  public static DockerEngine startTls(DockerCertificates certs) {
    String reason;
    try {
      if (onPath("docker").isEmpty() || onPath("dockerd").isEmpty()) {
        throw new IllegalStateException("docker or dockerd is not on PATH (apt-get install docker.io)");
      }
      Map<String, String> client = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.clientDirectory().toString());
      for (int attempt = 1; ; attempt++) {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = s.getLocalPort(); // free once closed; dockerd may lose it to another process, so try again
        }
        try {
          return start("imagegate-dockerd-tls-", "tcp://127.0.0.1:" + port, client, List.of("--tlsverify",
              "--tlscacert", certs.ca().toString(), "--tlscert", certs.serverCertificate().toString(),
              "--tlskey", certs.serverKey().toString()));
        } catch (IllegalStateException e) {
          if (attempt == 3 || !e.getMessage().contains("address already in use")) {
            throw e;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      reason = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted while starting dockerd";
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true and no TLS Docker engine for the docker tests: " + reason);
    }
    Assumptions.abort("no TLS Docker engine: " + reason);
    throw new IllegalStateException("unreachable");
  }

  /** The endpoint for {@link io.imagegate.docker.DockerDaemonSource}. */
  public DockerEndpoint endpoint() {
    return DockerEndpoint.resolve(clientEnvironment.isEmpty() ? System.getenv() : clientEnvironment, Optional.of(host));
  }

  /**
   * The variables a client needs to reach this engine as the docker command does: {@code DOCKER_HOST}
   * and, for a {@link #startTls} engine, {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}.
   */
  public Map<String, String> clientEnvironment() {
    Map<String, String> env = new HashMap<>(clientEnvironment);
    env.put("DOCKER_HOST", host);
    return env;
  }

  /** Stops the engine if {@link #startTls} started it (the shared engine stops at JVM exit). */
  @Override
  public void close() {
    stop.run();
  }

  /** Whether this JVM started the engine (rather than finding one running). */
  public boolean startedHere() {
    return started;
  }

  /** Runs {@code docker ARGS} against this engine; returns stdout, trimmed; fails the test on a non-zero exit. */
  public String docker(String... args) {
    Result r = exec(host, withClassicBuilder(clientEnvironment), List.of("docker"), 600, args);
    if (r.exit != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit + ": " + r.err.trim());
    }
    return r.out.trim();
  }

  /** {@code docker build -t TAG CONTEXT} with the classic builder (FROM scratch needs no container run). */
  public void build(Path context, String tag) {
    docker("build", "-q", "-t", tag, context.toString());
  }

  /** {@code docker import} of a rootfs tar, with Dockerfile {@code --change}s such as {@code USER app}. */
  public void importTar(Path rootfsTar, String tag, String... changes) {
    List<String> args = new ArrayList<>(List.of("import"));
    for (String c : changes) {
      args.add("--change");
      args.add(c);
    }
    args.add(rootfsTar.toString());
    args.add(tag);
    docker(args.toArray(String[]::new));
  }

  /** {@code docker save -o OUT IMAGE}. */
  public void save(String image, Path out) {
    docker("save", "-o", out.toString(), image);
  }

  /** The image id {@code docker image inspect} reports. */
  public String imageId(String image) {
    return docker("image", "inspect", "--format", "{{.Id}}", image);
  }

  /** The image's diff ids as {@code docker image inspect} reports them. */
  public List<String> diffIds(String image) {
    String out = docker("image", "inspect", "--format", "{{range .RootFS.Layers}}{{println .}}{{end}}", image);
    return out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }

  // ---- finding or starting an engine ---------------------------------------------------------

  private static DockerEngine findOrStart() throws IOException, InterruptedException {
    if (onPath("docker").isEmpty()) {
      throw new IllegalStateException("the docker command is not on PATH (apt-get install docker.io)");
    }
    String existing = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
        .orElse(DockerEndpoint.DEFAULT_HOST);
    Result probe = run(existing, 15, "version", "--format", "{{.Server.Version}}");
    if (probe.exit == 0) {
      return new DockerEngine(existing, false, Map.of(), () -> {});
    }
    if (onPath("dockerd").isEmpty()) {
      throw new IllegalStateException("no engine answers at " + existing + " and dockerd is not on PATH"
          + " (apt-get install docker.io)");
    }
    return start("imagegate-dockerd-", null, Map.of(), List.of());
  }

  /**
   * Starts dockerd with vfs storage, no iptables, no bridge, and its own data root, exec root, pid
   * file and (when {@code host} is null) unix socket in a new temporary directory; waits until the
   * {@code docker} command, with {@code clientEnv}, gets an answer at {@code host}.
   */
  private static DockerEngine start(String prefix, String host, Map<String, String> clientEnv, List<String> flags)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
    String listen = host != null ? host : "unix://" + dir.resolve("docker.sock");
    Path log = dir.resolve("dockerd.log");
    List<String> cmd = new ArrayList<>(List.of(onPath("dockerd").orElseThrow().toString(),
        "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("dockerd.pid").toString(),
        "-H", listen));
    cmd.addAll(flags);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DOCKER_HOST");
    Process dockerd;
    try {
      dockerd = pb.start();
    } catch (IOException e) {
      stop(null, dir);
      throw new IllegalStateException("cannot start dockerd: " + e.getMessage(), e);
    }
    Thread hook = new Thread(() -> stop(dockerd, dir), "stop-dockerd");
    Runtime.getRuntime().addShutdownHook(hook);
    Runnable stopNow = () -> {
      if (Runtime.getRuntime().removeShutdownHook(hook)) {
        stop(dockerd, dir);
      }
    };
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!dockerd.isAlive()) {
        String tail = tail(log);
        stopNow.run();
        throw new IllegalStateException("dockerd exited with " + dockerd.exitValue() + ": " + tail);
      }
      if ((host != null || Files.exists(dir.resolve("docker.sock")))
          && exec(listen, clientEnv, List.of("docker"), 10, "version", "--format", "{{.Server.Version}}").exit == 0) {
        return new DockerEngine(listen, true, clientEnv, host != null ? stopNow : () -> {});
      }
      Thread.sleep(200);
    }
    String tail = tail(log);
    stopNow.run();
    throw new IllegalStateException("dockerd did not answer within " + START_TIMEOUT_MS / 1000 + " s: " + tail);
  }

  /** Stops dockerd (when there is one) and deletes its directory. */
  private static void stop(Process dockerd, Path dir) {
    if (dockerd == null) {
      deleteTree(dir);
      return;
    }
    dockerd.destroy(); // SIGTERM: dockerd stops its containerd and removes its socket and pid file
    try {
      if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
        dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a temporary directory
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Where {@code command} is on PATH (or in /usr/sbin, /sbin, where Debian puts dockerd). */
  static Optional<Path> onPath(String command) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
    for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
        return Optional.of(Path.of(d, command));
      }
    }
    return Optional.empty();
  }

  /** What a command printed and how it exited. */
  record Result(int exit, String out, String err) {}

  /** {@code docker ARGS} with the classic builder. */
  private static Result run(String host, int timeoutSeconds, String... args) {
    return exec(host, withClassicBuilder(Map.of()), List.of("docker"), timeoutSeconds, args);
  }

  private static Map<String, String> withClassicBuilder(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("DOCKER_BUILDKIT", "0");
    return all;
  }

  /** Runs {@code command ARGS} against the engine at {@code host}, with {@code env} added; never throws. */
  static Result exec(String host, Map<String, String> env, List<String> command, int timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DOCKER_HOST", host);
    pb.environment().remove("DOCKER_CONTEXT");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", "timed out after " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      return new Result(-1, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }

  private static String slurp(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
