package io.imagegate.packs;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.build.LayerBuilder;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.ScanLimits;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Fixture images for the pack tests beyond the seed's four, and the shared way to check them. */
final class PackFixtures {
  static final long MB = 1_000_000;

  private PackFixtures() {}

  static Policy load(String pack) {
    return new PolicyLoader(StandardRuleTypes.all(), new BuiltinPacks()).loadPack(pack);
  }

  static ImageReport check(Gate gate, Policy policy, BuiltImage image) {
    ImageReport r = gate.evaluate(image.toImage("fixture"), policy, policy.failOn().orElse(Severity.ERROR));
    if (r.error().isPresent()) {
      throw new AssertionError("image could not be read: " + r.error().get());
    }
    return r;
  }

  static Gate gate() {
    return new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test");
  }

  /** Rule id → the findings' messages. */
  static Map<String, List<String>> byRule(ImageReport r) {
    return r.findings().stream().collect(Collectors.groupingBy(Finding::ruleId, TreeMap::new,
        Collectors.mapping(Finding::message, Collectors.toList())));
  }

  static byte[] elf(String name) {
    byte[] head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    byte[] body = ("stand-in for " + name).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  private static String dpkgEntry(String name, String version) {
    return "Package: " + name + "\nStatus: install ok installed\nVersion: " + version + "\nArchitecture: amd64\n";
  }

  /** gcr.io/distroless/static-debian12:nonroot as bazel writes it: status.d entries, CA bundle, nonroot 65532. */
  static void distrolessBase(LayerBuilder l) {
    l.createdBy("bazel build @distroless//base:static_nonroot_amd64_debian12")
        .dir("/etc", 0755).dir("/tmp", 01777).dir("/home/nonroot", 0700)
        .file("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", 0644)
        .file("/etc/group", "root:x:0:\nnonroot:x:65532:\n", 0644)
        .file("/etc/os-release", "PRETTY_NAME=\"Distroless\"\n", 0644)
        .file("/var/lib/dpkg/status.d/base-files", dpkgEntry("base-files", "12.4+deb12u5"), 0644)
        .file("/var/lib/dpkg/status.d/base-files.md5sums", "d41d8cd98f00b204e9800998ecf8427e  etc/debian_version\n", 0644)
        .file("/var/lib/dpkg/status.d/netbase", dpkgEntry("netbase", "6.4"), 0644)
        .file("/var/lib/dpkg/status.d/tzdata", dpkgEntry("tzdata", "2024a-0+deb12u1"), 0644)
        .file("/etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\nMIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJKoZIhvcNAQELBQAw\n"
            + "-----END CERTIFICATE-----\n", 0644)
        .zeroFile("/usr/share/zoneinfo/bulk", 1_500_000, 0644);
  }

  /** A Go service on distroless static, as it should be: about 12 MB, USER 65532, exec-form ENTRYPOINT. */
  static BuiltImage distrolessApp() {
    return ImageBuilder.image()
        .layer(PackFixtures::distrolessBase)
        .layer(l -> l.createdBy("COPY --from=build /out/app /app # buildkit").randomFile("/app", 10 * MB, 0755, 3))
        .emptyHistory("USER 65532:65532")
        .emptyHistory("ENTRYPOINT [\"/app\"]")
        .user("65532:65532")
        .entrypoint("/app")
        .label("org.opencontainers.image.base.name", "gcr.io/distroless/static-debian12:nonroot")
        .build();
  }

  /** The same on the :debug variant, which adds busybox (and so a shell) under /busybox. */
  static BuiltImage distrolessDebugApp() {
    return ImageBuilder.image()
        .layer(PackFixtures::distrolessBase)
        .layer(l -> l.createdBy("bazel build @distroless//base:debug").dir("/busybox", 0755)
            .file("/busybox/busybox", "\u007fELF....BusyBox v1.36.1 multi-call binary", 0755)
            .symlink("/busybox/sh", "busybox"))
        .layer(l -> l.createdBy("COPY --from=build /out/app /app # buildkit").randomFile("/app", 10 * MB, 0755, 3))
        .user("65532")
        .entrypoint("/app")
        .build();
  }

  /**
   * A Debian-based image built carelessly: apt lists removed in a later RUN (they stay in the
   * earlier layer), a config file overwritten, and a RUN chmod that duplicates the application.
   */
  static BuiltImage wasteful() {
    return ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:0f1e2d in / ").dir("/etc", 0755)
            .zeroFile("/usr/lib/x86_64-linux-gnu/libc.so.6", 30 * MB, 0755).file("/etc/app.conf", "a=1\n", 0644))
        .layer(l -> l.createdBy("/bin/sh -c apt-get update").dir("/var/lib/apt/lists", 0755)
            .zeroFile("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", 45 * MB, 0644))
        .layer(l -> l.createdBy("/bin/sh -c #(nop) COPY dir:app in /app").dir("/app", 0755)
            .zeroFile("/app/server.jar", 20 * MB, 0644))
        .layer(l -> l.createdBy("/bin/sh -c chmod -R a+r /app && rm -rf /var/lib/apt/lists/*")
            .dir("/app", 0755).zeroFile("/app/server.jar", 20 * MB, 0644)
            .dir("/var/lib/apt/lists", 0755).whiteout("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"))
        .user("1000")
        .entrypoint("java", "-jar", "/app/server.jar")
        .build();
  }

  /** Meets the CIS section 4 checks: non-root user, HEALTHCHECK, no setuid, COPY not ADD, no secrets. */
  static BuiltImage cisCompliant() {
    return ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a in / ").dir("/etc", 0755).dir("/tmp", 01777)
            .file("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/home/app:/sbin/nologin\n", 0644)
            .file("/usr/bin/passwd", elf("passwd"), 0755)
            .file("/etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----\n", 0644))
        .layer(l -> l.createdBy("COPY --chown=10001 app /app # buildkit").owner(10001, 10001).file("/app/server", elf("server"), 0755))
        .emptyHistory("HEALTHCHECK &{[\"CMD\" \"/app/server\" \"health\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x00'}")
        .emptyHistory("USER app")
        .user("app")
        .healthcheck("CMD", "/app/server", "health")
        .entrypoint("/app/server")
        .build();
  }

  /** Breaks each of them: root, no HEALTHCHECK, a setuid passwd, ADD from a URL, a key deleted too late. */
  static BuiltImage cisViolating() {
    String key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
    return ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a in / ").dir("/etc", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
            .file("/usr/bin/passwd", elf("passwd"), 04755))
        .layer(l -> l.createdBy("ADD https://example.com/tool.tar.gz /opt/ # buildkit").file("/opt/tool", elf("tool"), 0755))
        .layer(l -> l.createdBy("COPY id_ed25519 /root/.ssh/ # buildkit").file("/root/.ssh/id_ed25519", key, 0600))
        .layer(l -> l.createdBy("RUN /bin/sh -c git clone git@github.com:acme/app && rm /root/.ssh/id_ed25519 # buildkit")
            .file("/app/main", elf("main"), 0755).whiteout("/root/.ssh/id_ed25519"))
        .entrypoint("/app/main")
        .build();
  }
}
