package io.imagegate.registry;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.engine.Gate;
import io.imagegate.image.Compression;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.TestPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Images, a policy and a gate for the registry source's tests. */
final class RegistryFixtures {
  /** Quick retries and timeouts, and no credentials unless a test gives some (never the developer's own). */
  static final RegistryOptions OPTIONS = new RegistryOptions(CredentialSources.none(), Set.of(),
      new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(20)),
      Duration.ofSeconds(5), Duration.ofSeconds(5), java.util.Optional.empty(), "imagegate-test");

  /** A policy in the spirit of the minimal pack, so images produce findings of several kinds. */
  static final Policy POLICY = TestPolicies.minimalLike();

  private RegistryFixtures() {}

  /** Two gzip layers (one of 300 kB random bytes, so a blob spans many reads), root, a shell, curl. */
  static BuiltImage image() {
    return ImageBuilder.image()
        .layer(l -> l.createdBy("ADD rootfs /").dir("/bin", 0755).dir("/etc", 0755)
            .file("/bin/sh", "#!stand-in shell\n", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
            .randomFile("/usr/lib/libbulk.so", 300_000, 0644, 42))
        .layer(l -> l.createdBy("COPY app /app").file("/app/run", "#!/bin/sh\necho hi\n", 0755)
            .file("/usr/bin/curl", "stand-in", 0755))
        .entrypoint("/app/run")
        .build();
  }

  /** One uncompressed layer of random bytes: a flipped byte passes the tar reader and only the digest can tell. */
  static BuiltImage uncompressedImage() {
    return ImageBuilder.image()
        .layer(l -> l.compression(Compression.NONE).createdBy("ADD data /")
            .randomFile("/data/blob.bin", 200_000, 0644, 7))
        .user("app")
        .build();
  }

  /** The same files as {@link #image()}, for {@code platform}, with a platform marker file. */
  static BuiltImage image(String platform, Compression compression) {
    return ImageBuilder.image().platform(platform)
        .layer(l -> l.compression(compression).createdBy("ADD rootfs /").dir("/etc", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/nonexistent\n", 0644)
            .file("/etc/platform", platform, 0644)
            .randomFile("/usr/lib/libbulk.so", 100_000, 0644, platform.hashCode()))
        .layer(l -> l.compression(compression).createdBy("COPY app /app").file("/app/run", "binary", 0755))
        .user("app")
        .entrypoint("/app/run")
        .build();
  }

  static Report gate(RegistryOptions options, String reference, PlatformSelection platforms) {
    try (Gate gate = new Gate(ImageSources.offline().with(new RegistrySource(options)), ScanLimits.DEFAULT, 2, "test")) {
      return gate.check(List.of(ImageReference.parse(reference)), platforms, POLICY, Severity.ERROR, m -> {});
    }
  }

  /** The one image report of gating {@code reference} for the host platform. */
  static ImageReport gateOne(RegistryOptions options, String reference) {
    List<ImageReport> images = gate(options, reference, PlatformSelection.host()).images();
    if (images.size() != 1) {
      throw new AssertionError("expected one image, got " + images.size());
    }
    return images.get(0);
  }

  /** The error of an image that must have failed to be read. */
  static String error(ImageReport report) {
    return report.error().orElseThrow(() -> new AssertionError("expected a read error, got " + report.verdict()));
  }
}
