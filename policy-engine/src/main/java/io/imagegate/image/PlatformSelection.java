package io.imagegate.image;

import java.util.Optional;

/**
 * Which manifest(s) of an image index to gate: the one for a given platform (the host's by
 * default) or every platform the index lists.
 */
public record PlatformSelection(Optional<Platform> platform, boolean all) {

  /** The host's platform. */
  public static PlatformSelection host() {
    return new PlatformSelection(Optional.empty(), false);
  }

  /** Exactly {@code platform}. */
  public static PlatformSelection of(Platform platform) {
    return new PlatformSelection(Optional.of(platform), false);
  }

  /** Every platform of an index. */
  public static PlatformSelection allPlatforms() {
    return new PlatformSelection(Optional.empty(), true);
  }

  /** The platform wanted when one is to be picked. */
  public Platform wanted() {
    return platform.orElseGet(Platform::host);
  }

  /** Whether the user named the platform (so a single-manifest image of another platform is an error). */
  public boolean explicit() {
    return platform.isPresent();
  }
}
