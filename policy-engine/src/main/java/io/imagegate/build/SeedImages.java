package io.imagegate.build;

import java.nio.charset.StandardCharsets;

/**
 * Images shaped like the four examples of "Minimal Containers": a single-stage Python image on a
 * Debian-like base (shell, curl, pip, gcc, root), its multi-stage minimal counterpart, a
 * single-stage Go image on the golang base, and the multi-stage scratch Go image with
 * {@code USER app}. Bulk content is zeros, so the images have their real uncompressed sizes
 * (over 800 MB for the fat ones) while costing almost nothing in memory. Used by
 * {@code imagegate demo}, the end-to-end tests and the pack tests.
 */
public final class SeedImages {
  private static final long MB = 1_000_000;

  private SeedImages() {}

  /** A stand-in executable: an ELF header and a recognisable body. */
  static byte[] elf(String name) {
    byte[] head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] body = ("stand-in for " + name + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  private static final String DEBIAN_PASSWD = """
      root:x:0:0:root:/root:/bin/bash
      daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
      nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
      """;

  /** A Debian-like base: bash, dash as sh, apt and dpkg, coreutils' bulk. */
  private static void debianBase(LayerBuilder l, long bulk) {
    l.createdBy("/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a in / ")
        .dir("/bin", 0755).dir("/etc", 0755).dir("/usr", 0755).dir("/usr/bin", 0755).dir("/usr/lib", 0755)
        .file("/bin/bash", elf("bash"), 0755)
        .file("/bin/dash", elf("dash"), 0755)
        .symlink("/bin/sh", "dash")
        .file("/usr/bin/apt", elf("apt"), 0755)
        .file("/usr/bin/apt-get", elf("apt-get"), 0755)
        .file("/usr/bin/dpkg", elf("dpkg"), 0755)
        .file("/etc/passwd", DEBIAN_PASSWD, 0644)
        .file("/etc/group", "root:x:0:\nnogroup:x:65534:\n", 0644)
        .file("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", 0644)
        .zeroFile("/usr/lib/x86_64-linux-gnu/libbulk.so", bulk, 0644);
  }

  /** {@code FROM python:3.9} … {@code RUN pip install} … {@code CMD ["python", "./example.py"]}: about 890 MB, root. */
  public static BuiltImage fatPython() {
    return ImageBuilder.image()
        .layer(l -> debianBase(l, 120 * MB))
        .emptyHistory("/bin/sh -c #(nop)  CMD [\"bash\"]")
        .layer(l -> l.createdBy("/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl wget gcc g++ make git")
            .file("/usr/bin/curl", elf("curl"), 0755)
            .file("/usr/bin/wget", elf("wget"), 0755)
            .file("/usr/bin/gcc-12", elf("gcc"), 0755)
            .symlink("/usr/bin/gcc", "gcc-12")
            .file("/usr/bin/make", elf("make"), 0755)
            .file("/usr/bin/git", elf("git"), 0755)
            .zeroFile("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 310 * MB, 0755)
            .zeroFile("/var/lib/apt/lists/deb.debian.org_dists_bookworm_main_Packages", 40 * MB, 0644))
        .layer(l -> l.createdBy("/bin/sh -c set -eux; ./configure --enable-optimizations && make -j install # python 3.9")
            .file("/usr/local/bin/python3.9", elf("python3.9"), 0755)
            .symlink("/usr/local/bin/python3", "python3.9")
            .symlink("/usr/local/bin/python", "python3")
            .file("/usr/local/bin/pip", "#!/usr/local/bin/python3.9\nimport pip\n", 0755)
            .file("/usr/local/bin/pip3", "#!/usr/local/bin/python3.9\nimport pip\n", 0755)
            .zeroFile("/usr/local/lib/python3.9/libpython-bulk", 360 * MB, 0644))
        .emptyHistory("/bin/sh -c #(nop) WORKDIR /app")
        .layer(l -> l.createdBy("/bin/sh -c #(nop) COPY file:1a2b3c in . ").file("/app/requirements.txt", "flask==2.3.3\n", 0644))
        .layer(l -> l.createdBy("/bin/sh -c pip install -r requirements.txt")
            .zeroFile("/usr/local/lib/python3.9/site-packages/flask/bulk", 50 * MB, 0644)
            .zeroFile("/root/.cache/pip/http/bulk", 12 * MB, 0644))
        .layer(l -> l.createdBy("/bin/sh -c #(nop) COPY dir:4d5e6f in . ").file("/app/example.py", "print('hello')\n", 0644))
        .emptyHistory("/bin/sh -c #(nop)  CMD [\"python\" \"./example.py\"]")
        .workingDir("/app")
        .cmd("python", "./example.py")
        .build();
  }

  /**
   * The multi-stage Python image reduced as far as the seed points: a distroless-like Python
   * runtime, the installed packages copied from the builder, a non-root user: about 55 MB.
   */
  public static BuiltImage minimalPython() {
    return ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:base in / # distroless-like base")
            .dir("/etc", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", 0644)
            .file("/etc/group", "root:x:0:\nnonroot:x:65532:\n", 0644)
            .zeroFile("/lib/x86_64-linux-gnu/libc.so.6", 2 * MB, 0755)
            .zeroFile("/etc/ssl/certs/ca-certificates.crt", 200_000, 0644))
        .layer(l -> l.createdBy("/bin/sh -c #(nop) COPY python runtime")
            .file("/usr/bin/python3.9", elf("python3.9"), 0755)
            .symlink("/usr/bin/python3", "python3.9")
            .zeroFile("/usr/lib/python3.9/stdlib-bulk", 38 * MB, 0644))
        .emptyHistory("/bin/sh -c #(nop) WORKDIR /app")
        .layer(l -> l.createdBy("COPY --from=builder /root/.local /home/nonroot/.local # buildkit")
            .owner(65532, 65532)
            .zeroFile("/home/nonroot/.local/lib/python3.9/site-packages/flask/bulk", 12 * MB, 0644))
        .layer(l -> l.createdBy("COPY ./src . # buildkit").file("/app/server.py", "print('hello')\n", 0644))
        .emptyHistory("USER nonroot")
        .workingDir("/app")
        .env("PATH=/home/nonroot/.local/bin:/usr/bin:/bin")
        .user("nonroot")
        .cmd("python3", "./server.py")
        .build();
  }

  /** {@code FROM golang:1} … {@code RUN go build -o app} … {@code ENTRYPOINT ["./app"]}: about 850 MB, root. */
  public static BuiltImage fatGo() {
    return ImageBuilder.image()
        .layer(l -> debianBase(l, 120 * MB))
        .layer(l -> l.createdBy("/bin/sh -c apt-get update && apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config git curl wget")
            .file("/usr/bin/curl", elf("curl"), 0755)
            .file("/usr/bin/wget", elf("wget"), 0755)
            .file("/usr/bin/gcc-12", elf("gcc"), 0755)
            .symlink("/usr/bin/gcc", "gcc-12")
            .file("/usr/bin/make", elf("make"), 0755)
            .file("/usr/bin/git", elf("git"), 0755)
            .zeroFile("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 250 * MB, 0755))
        .layer(l -> l.createdBy("/bin/sh -c set -eux; url=https://dl.google.com/go/go1.21.linux-amd64.tar.gz; ... # go toolchain")
            .file("/usr/local/go/bin/go", elf("go"), 0755)
            .file("/usr/local/go/bin/gofmt", elf("gofmt"), 0755)
            .zeroFile("/usr/local/go/pkg/tool/bulk", 420 * MB, 0755))
        .emptyHistory("/bin/sh -c #(nop) WORKDIR /usr/src/app")
        .layer(l -> l.createdBy("/bin/sh -c #(nop) COPY dir:src in ./ ").file("/usr/src/app/main.go", "package main\nfunc main() {}\n", 0644))
        .layer(l -> l.createdBy("/bin/sh -c go build -o app")
            .file("/usr/src/app/app", elf("app"), 0755)
            .zeroFile("/root/.cache/go-build/bulk", 60 * MB, 0644))
        .emptyHistory("/bin/sh -c #(nop)  EXPOSE 8080")
        .emptyHistory("/bin/sh -c #(nop)  ENTRYPOINT [\"./app\"]")
        .workingDir("/usr/src/app")
        .exposedPort("8080/tcp")
        .entrypoint("./app")
        .build();
  }

  /** {@code FROM scratch} with the static binary and {@code /etc/passwd} copied in, {@code USER app}: about 4 MB. */
  public static BuiltImage scratchGo() {
    return ImageBuilder.image()
        .emptyHistory("WORKDIR /usr/app")
        .layer(l -> l.createdBy("COPY --from=builder /usr/src/app/bin/app ./ # buildkit")
            .dir("/usr", 0755).dir("/usr/app", 0755)
            .randomFile("/usr/app/app", 4 * MB, 0755, 42))
        .layer(l -> l.createdBy("COPY --from=builder /etc/passwd /etc/passwd # buildkit")
            .file("/etc/passwd", DEBIAN_PASSWD + "app:x:999:999::/home/app:/usr/sbin/nologin\n", 0644))
        .emptyHistory("USER app")
        .emptyHistory("EXPOSE map[8080/tcp:{}]")
        .emptyHistory("ENTRYPOINT [\"./app\"]")
        .workingDir("/usr/app")
        .user("app")
        .exposedPort("8080/tcp")
        .entrypoint("./app")
        .build();
  }
}
