package io.imagegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds images from real Dockerfiles with a real Docker engine, for tests tagged {@code docker}
 * that check what builders write (history, layers) rather than what we think they write.
 *
 * <p>{@link #require()} uses the engine at {@code DOCKER_HOST} (or the default socket) when one
 * answers, else starts Debian's {@code dockerd} once per test JVM (vfs storage, no iptables, no
 * bridge, its own data root, exec root, pid file and socket in a temporary directory) and stops
 * it at exit. Builds run with {@code --network none}: there are no base images to pull, so tests
 * build {@code FROM scratch} or from {@link #importBusybox a base imported from a static busybox}.
 * When something is missing the test is skipped with the reason — or fails under {@code CI=true},
 * where passing by skipping is not allowed.
 */
public final class DockerBuilder {
  /** Which builder runs the Dockerfile: they record history differently. */
  public enum Builder { CLASSIC, BUILDKIT }

  private static final long START_TIMEOUT_MS = 90_000;
  private static DockerBuilder instance;
  private static String unavailable;

  private final String host;
  /** A docker client that builds with BuildKit without buildx (before Docker 23), or with buildx; empty when none. */
  private final Optional<List<String>> buildkitCommand;

  private DockerBuilder(String host, Optional<List<String>> buildkitCommand) {
    this.host = host;
    this.buildkitCommand = buildkitCommand;
  }

  /** The engine; skips (or under {@code CI=true} fails) the calling test when there is none. */
  public static synchronized DockerBuilder require() {
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
    if (instance == null) {
      unavailable("no Docker engine: " + unavailable);
    }
    return instance;
  }

  /** Skips (or under {@code CI=true} fails) the calling test. */
  public static void unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true and the docker tests cannot run: " + reason);
    }
    Assumptions.abort(reason);
  }

  public String host() {
    return host;
  }

  /** {@code docker build --network none -t TAG CONTEXT} with the chosen builder. */
  public void build(Path context, String tag, Builder builder) {
    if (builder == Builder.CLASSIC) {
      docker(Map.of("DOCKER_BUILDKIT", "0"), List.of("docker"), "build", "-q", "--network", "none", "-t", tag, context.toString());
      return;
    }
    if (buildkitCommand.isEmpty()) {
      unavailable("no docker client here builds with BuildKit (no buildx plugin, and the docker command is 23 or later)");
    }
    List<String> args = new ArrayList<>(List.of("build", "--network", "none", "-t", tag));
    args.add(buildkitCommand.get().contains("buildx") ? "--load" : "-q");
    args.add(context.toString());
    docker(Map.of("DOCKER_BUILDKIT", "1"), buildkitCommand.get(), args.toArray(String[]::new));
  }

  /** {@code docker save -o TAR IMAGE}. */
  public void save(String image, Path tar) {
    docker(Map.of(), List.of("docker"), "save", "-o", tar.toString(), image);
  }

  /** {@code docker rmi -f IMAGE}, ignoring failure. */
  public void remove(String image) {
    run(Map.of(), List.of("docker"), 60, "rmi", "-f", image);
  }

  /**
   * Imports a base image holding only a static busybox at {@code /bin/busybox} and {@code /bin/sh}
   * (Debian's {@code busybox-static}), so a Dockerfile can {@code RUN} without pulling anything.
   * Skips (fails under CI) when there is no static busybox on this machine.
   */
  public void importBusybox(String tag, Path work) throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isRegularFile(busybox) || !isStaticElf(busybox)) {
      unavailable("no static /bin/busybox (apt-get install busybox-static)");
    }
    Path tar = work.resolve("busybox-rootfs.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      for (String dir : List.of("bin/", "tmp/", "etc/")) {
        TarArchiveEntry d = new TarArchiveEntry(dir);
        d.setMode(dir.equals("tmp/") ? 01777 : 0755);
        out.putArchiveEntry(d);
        out.closeArchiveEntry();
      }
      TarArchiveEntry bb = new TarArchiveEntry("bin/busybox");
      bb.setMode(0755);
      bb.setSize(Files.size(busybox));
      out.putArchiveEntry(bb);
      Files.copy(busybox, out);
      out.closeArchiveEntry();
      TarArchiveEntry sh = new TarArchiveEntry("bin/sh", TarArchiveEntry.LF_SYMLINK);
      sh.setLinkName("busybox");
      out.putArchiveEntry(sh);
      out.closeArchiveEntry();
    }
    docker(Map.of(), List.of("docker"), "import", tar.toString(), tag);
  }

  /** Whether an ELF executable has no program interpreter (PT_INTERP), i.e. runs without a libc in the image. */
  static boolean isStaticElf(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] head = new byte[64];
      f.readFully(head);
      if (head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F' || head[4] != 2) {
        return false; // not a 64-bit ELF: don't guess
      }
      ByteBuffer b = ByteBuffer.wrap(head).order(head[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
      long phoff = b.getLong(32);
      int phentsize = b.getShort(54) & 0xffff;
      int phnum = b.getShort(56) & 0xffff;
      byte[] ph = new byte[4];
      for (int i = 0; i < phnum; i++) {
        f.seek(phoff + (long) i * phentsize);
        f.readFully(ph);
        int type = ByteBuffer.wrap(ph).order(b.order()).getInt();
        if (type == 3) {
          return false;
        }
      }
      return true;
    }
  }

  /** Runs a docker command against this engine; fails the test with its stderr on a non-zero exit. */
  public String docker(Map<String, String> env, List<String> command, String... args) {
    Result r = run(env, command, 600, args);
    if (r.exit != 0) {
      throw new AssertionError(String.join(" ", command) + " " + String.join(" ", args) + " exited " + r.exit + ": "
          + r.err.trim());
    }
    return r.out.trim();
  }

  private Result run(Map<String, String> env, List<String> command, int timeoutSeconds, String... args) {
    return exec(host, env, command, timeoutSeconds, args);
  }

  // ---- finding or starting an engine ---------------------------------------------------------

  private static DockerBuilder findOrStart() throws IOException, InterruptedException {
    if (onPath("docker").isEmpty()) {
      throw new IllegalStateException("the docker command is not on PATH (apt-get install docker.io)");
    }
    String existing = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
        .orElse("unix:///var/run/docker.sock");
    if (exec(existing, Map.of(), List.of("docker"), 15, "version", "--format", "{{.Server.Version}}").exit == 0) {
      return new DockerBuilder(existing, buildkitClient(existing));
    }
    Optional<Path> dockerd = onPath("dockerd");
    if (dockerd.isEmpty()) {
      throw new IllegalStateException("no engine answers at " + existing + " and dockerd is not installed (apt-get install docker.io)");
    }
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "imagegate-dockerd-");
    String host = "unix://" + dir.resolve("docker.sock");
    Path log = dir.resolve("dockerd.log");
    ProcessBuilder pb = new ProcessBuilder(dockerd.get().toString(),
        "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
        "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("dockerd.pid").toString(), "-H", host)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DOCKER_HOST");
    Process process = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, dir), "stop-dockerd"));
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dockerd exited with " + process.exitValue() + ": " + tail(log));
      }
      if (Files.exists(dir.resolve("docker.sock"))
          && exec(host, Map.of(), List.of("docker"), 10, "version", "--format", "{{.Server.Version}}").exit == 0) {
        return new DockerBuilder(host, buildkitClient(host));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("dockerd did not answer within " + START_TIMEOUT_MS / 1000 + " s: " + tail(log));
  }

  /**
   * A client that builds with BuildKit: one with the buildx plugin, or a docker command older than
   * 23, which has BuildKit built in (Debian 12's docker.io is 20.10). Docker 23+ without buildx can't.
   */
  private static Optional<List<String>> buildkitClient(String host) {
    Set<String> candidates = new LinkedHashSet<>();
    onPath("docker").ifPresent(p -> candidates.add(p.toString()));
    for (String p : List.of("/usr/bin/docker", "/usr/local/bin/docker")) {
      if (Files.isExecutable(Path.of(p))) {
        candidates.add(p);
      }
    }
    for (String c : candidates) {
      if (exec(host, Map.of(), List.of(c), 15, "buildx", "version").exit == 0) {
        return Optional.of(List.of(c, "buildx"));
      }
    }
    for (String c : candidates) {
      Result v = exec(host, Map.of(), List.of(c), 15, "version", "--format", "{{.Client.Version}}");
      String version = v.out.trim();
      if (v.exit == 0 && version.matches("\\d+\\..*") && Integer.parseInt(version.substring(0, version.indexOf('.'))) < 23) {
        return Optional.of(List.of(c));
      }
    }
    return Optional.empty();
  }

  private static void stop(Process dockerd, Path dir) {
    dockerd.destroy(); // SIGTERM: dockerd stops its containerd and removes its socket
    try {
      if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
        dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
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

  private static Optional<Path> onPath(String command) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
    for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
        return Optional.of(Path.of(d, command));
      }
    }
    return Optional.empty();
  }

  private record Result(int exit, String out, String err) {}

  private static Result exec(String host, Map<String, String> env, List<String> command, int timeoutSeconds, String... args) {
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
