package io.imagegate.testing;

import io.imagegate.docker.DockerEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>Images are built with the {@code docker} command ({@link #build}, {@link #importTar}), so
 * tests check our client against what the engine itself wrote.
 */
public final class DockerEngine {
  private static final long START_TIMEOUT_MS = 90_000;
  private static DockerEngine instance;
  private static String unavailable;

  private final String host;
  private final boolean started;

  private DockerEngine(String host, boolean started) {
    this.host = host;
    this.started = started;
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

  /** The endpoint for {@link io.imagegate.docker.DockerDaemonSource}. */
  public DockerEndpoint endpoint() {
    return DockerEndpoint.resolve(System.getenv(), Optional.of(host));
  }

  /** Whether this JVM started the engine (rather than finding one running). */
  public boolean startedHere() {
    return started;
  }

  /** Runs {@code docker ARGS} against this engine; returns stdout, trimmed; fails the test on a non-zero exit. */
  public String docker(String... args) {
    Result r = run(host, 600, args);
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
      return new DockerEngine(existing, false);
    }
    Optional<Path> dockerdPath = onPath("dockerd");
    if (dockerdPath.isEmpty()) {
      throw new IllegalStateException("no engine answers at " + existing + " and dockerd is not on PATH"
          + " (apt-get install docker.io)");
    }
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "imagegate-dockerd-");
    String host = "unix://" + dir.resolve("docker.sock");
    Path log = dir.resolve("dockerd.log");
    ProcessBuilder pb = new ProcessBuilder(dockerdPath.get().toString(),
        "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("dockerd.pid").toString(),
        "-H", host)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("DOCKER_HOST");
    Process dockerd;
    try {
      dockerd = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start dockerd: " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dockerd, dir), "stop-dockerd"));
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!dockerd.isAlive()) {
        throw new IllegalStateException("dockerd exited with " + dockerd.exitValue() + ": " + tail(log));
      }
      if (Files.exists(dir.resolve("docker.sock")) && run(host, 10, "version", "--format", "{{.Server.Version}}").exit == 0) {
        return new DockerEngine(host, true);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("dockerd did not answer within " + START_TIMEOUT_MS / 1000 + " s: " + tail(log));
  }

  private static void stop(Process dockerd, Path dir) {
    dockerd.destroy(); // SIGTERM: dockerd stops its containerd and removes its socket and pid file
    try {
      if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
        dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    return exec(host, Map.of("DOCKER_BUILDKIT", "0"), List.of("docker"), timeoutSeconds, args);
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
