package io.imagegate.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private static DockerBuilder instance;

  private final String host;
  /** A docker client that builds with BuildKit without buildx (before Docker 23), or with buildx; empty when none. */
  private final Optional<List<String>> buildkitCommand;

  private DockerBuilder(String host, Optional<List<String>> buildkitCommand) {
    this.host = host;
    this.buildkitCommand = buildkitCommand;
  }

  /**
   * The engine {@link DockerEngine} finds or starts (one per test JVM); skips (or under
   * {@code CI=true} fails) the calling test when there is none.
   */
  public static synchronized DockerBuilder require() {
    if (instance == null) {
      String host = DockerEngine.require().host();
      instance = new DockerBuilder(host, buildkitClient(host));
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
  public void importBusybox(String tag) throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isRegularFile(busybox) || !isStaticElf(busybox)) {
      unavailable("no static /bin/busybox (apt-get install busybox-static)");
    }
    Path tar = Files.createTempFile("imagegate-busybox", ".tar");
    try {
      writeBusyboxRootfs(busybox, tar);
      docker(Map.of(), List.of("docker"), "import", tar.toString(), tag);
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  private static void writeBusyboxRootfs(Path busybox, Path tar) throws IOException {
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
    DockerEngine.Result r = run(env, command, 600, args);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + " " + String.join(" ", args) + " exited " + r.exit() + ": "
          + r.err().trim());
    }
    return r.out().trim();
  }

  private DockerEngine.Result run(Map<String, String> env, List<String> command, int timeoutSeconds, String... args) {
    return DockerEngine.exec(host, env, command, timeoutSeconds, args);
  }

  // ---- BuildKit ------------------------------------------------------------------------------

  /**
   * A client that builds with BuildKit: one with the buildx plugin, or a docker command older than
   * 23, which has BuildKit built in (Debian 12's docker.io is 20.10). Docker 23+ without buildx can't.
   */
  private static Optional<List<String>> buildkitClient(String host) {
    Set<String> candidates = new LinkedHashSet<>();
    DockerEngine.onPath("docker").ifPresent(p -> candidates.add(p.toString()));
    for (String p : List.of("/usr/bin/docker", "/usr/local/bin/docker")) {
      if (Files.isExecutable(Path.of(p))) {
        candidates.add(p);
      }
    }
    for (String c : candidates) {
      if (DockerEngine.exec(host, Map.of(), List.of(c), 15, "buildx", "version").exit() == 0) {
        return Optional.of(List.of(c, "buildx"));
      }
    }
    for (String c : candidates) {
      DockerEngine.Result v = DockerEngine.exec(host, Map.of(), List.of(c), 15, "version", "--format", "{{.Client.Version}}");
      String version = v.out().trim();
      if (v.exit() == 0 && version.matches("\\d+\\..*") && Integer.parseInt(version.substring(0, version.indexOf('.'))) < 23) {
        return Optional.of(List.of(c));
      }
    }
    return Optional.empty();
  }
}
