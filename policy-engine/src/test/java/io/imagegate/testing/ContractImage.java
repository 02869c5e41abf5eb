package io.imagegate.testing;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import java.util.List;

/**
 * The image every source must read the same way: three layers that exercise what tar and the
 * layer model can express — files, directories, symlinks (relative, absolute, long targets), a
 * hard link, setuid bits, a PAX long name, uid/gid too big for octal headers, whiteouts of a file
 * and of a subtree, an opaque directory with a same-layer child, an overwritten file — plus a
 * user, entrypoint, cmd, env, labels, ports, working dir, healthcheck and history with an empty
 * layer.
 */
public final class ContractImage {
  /** A path longer than the 100 bytes a ustar name field holds, with one component over 100 too. */
  public static final String LONG_PATH =
      "/opt/" + "long-directory-name-".repeat(4) + "/" + "f".repeat(120) + ".txt";
  /** A symlink target longer than the 100-byte ustar linkname field. */
  public static final String LONG_TARGET = "/opt/" + "long-directory-name-".repeat(4) + "/" + "f".repeat(120) + ".txt";
  /** An owner beyond 2097151 (07777777), the largest id an octal ustar header holds: forces PAX. */
  public static final int BIG_UID = 3_000_000;
  public static final int BIG_GID = 4_194_304;

  public static final String PASSWD_BASE = "root:x:0:0:root:/root:/bin/sh\n";
  public static final String PASSWD_FINAL = PASSWD_BASE + "app:x:1000:1000::/app:/sbin/nologin\n";
  /** Size of the incompressible file in the subtree layer 1 whites out. */
  public static final int CACHE_FILE_SIZE = 100_000;

  private ContractImage() {}

  /** The image with every layer compressed as {@code compression}. */
  public static BuiltImage build(Compression compression) {
    return build(List.of(compression, compression, compression));
  }

  /** The image with layer {@code i} compressed as {@code compressions.get(i)}. */
  public static BuiltImage build(List<Compression> compressions) {
    return builder(compressions).build();
  }

  /** The image, gzip-compressed, with Docker schema 2 media types instead of OCI's. */
  public static BuiltImage buildWithDockerMediaTypes() {
    return builder(List.of(Compression.GZIP, Compression.GZIP, Compression.GZIP)).dockerMediaTypes().build();
  }

  private static ImageBuilder builder(List<Compression> compressions) {
    return ImageBuilder.image()
        .layer(l -> l.compression(compressions.get(0)).createdBy("ADD rootfs.tar /")
            .dir("/usr", 0755).dir("/usr/bin", 0755)
            .file("/usr/bin/tool", "#!/bin/sh\necho tool\n", 0755)
            .file("/usr/bin/su", "setuid", 04755)
            .hardlink("/usr/bin/tool-link", "/usr/bin/tool", 0755)
            .symlink("/usr/bin/sh", "/usr/bin/tool")
            .symlink("/bin", "usr/bin")
            .dir("/etc", 0755)
            .file("/etc/passwd", PASSWD_BASE, 0644)
            .file("/etc/shadow", "root:*:19000:0:99999:7:::\n", 0640)
            .dir("/opt", 0755)
            .dir("/opt/" + "long-directory-name-".repeat(4), 0755)
            .file(LONG_PATH, "long name", 0644)
            .symlink("/opt/long-link", LONG_TARGET)
            .dir("/opt/old", 0755)
            .file("/opt/old/a.txt", "lower a", 0644)
            .dir("/opt/old/sub", 0700)
            .file("/opt/old/sub/b.txt", "lower b", 0600)
            .dir("/var", 0755).dir("/var/cache", 0755)
            .randomFile("/var/cache/blob.bin", CACHE_FILE_SIZE, 0644, 42)
            .zeroFile("/var/cache/zeros", 4096, 0644)
            .owner(BIG_UID, BIG_GID)
            .dir("/home", 0755).dir("/home/big", 0750)
            .file("/home/big/owned", "big ids", 0600))
        .layer(l -> l.compression(compressions.get(1)).createdBy("RUN cleanup && adduser app")
            .whiteout("/var/cache")
            .whiteout("/etc/shadow")
            .opaque("/opt/old")
            .file("/opt/old/new.txt", "same layer child", 0644)
            .file("/etc/passwd", PASSWD_FINAL, 0644))
        .emptyHistory("USER app")
        .layer(l -> l.compression(compressions.get(2)).createdBy("COPY app /app")
            .owner(1000, 1000)
            .dir("/app", 0755)
            .file("/app/run", "#!/bin/sh\nexec /usr/bin/tool \"$@\"\n", 0755)
            .dir("/app/empty", 0700))
        .user("app")
        .entrypoint("/app/run")
        .cmd("--serve", "--port=8080")
        .env("PATH=/usr/bin:/bin")
        .env("APP_MODE=production")
        .label("org.opencontainers.image.title", "contract")
        .exposedPort("8080/tcp")
        .workingDir("/app")
        .healthcheck("CMD", "/app/run", "--health");
  }
}
