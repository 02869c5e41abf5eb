package io.imagegate.image;

import java.util.Locale;
import java.util.Optional;

/**
 * An OCI platform: {@code os/architecture[/variant]}, e.g. {@code linux/amd64} or {@code linux/arm64/v8}.
 *
 * @param variant empty when the platform has none
 */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture");
    }
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("not a platform (expected os/arch[/variant]): " + text);
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** The platform this JVM runs on, spelled as Go (and so OCI) spells it. */
  public static Platform host() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    String goArch = switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> arch;
    };
    return new Platform("linux", goArch, "");
  }

  /**
   * Whether an image of platform {@code candidate} satisfies this wanted platform. An empty wanted
   * variant accepts any variant; arm64's default variant {@code v8} equals no variant.
   */
  public boolean accepts(Platform candidate) {
    if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
      return false;
    }
    return variant.isEmpty() || normalVariant().equals(candidate.normalVariant());
  }

  private String normalVariant() {
    return architecture.equals("arm64") && variant.equals("v8") ? "" : variant;
  }

  /** Builds a platform from JSON fields that may be absent. */
  public static Optional<Platform> of(String os, String architecture, String variant) {
    if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Platform(os, architecture, variant == null ? "" : variant));
  }

  @Override
  public String toString() {
    return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }
}
