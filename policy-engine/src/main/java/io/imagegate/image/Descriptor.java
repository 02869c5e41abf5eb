package io.imagegate.image;

import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest or index says about a blob.
 *
 * @param size the declared size in bytes, or -1 when the format does not declare one
 *     (a classic {@code docker save} layer)
 */
public record Descriptor(
    String mediaType, Digest digest, long size, Optional<Platform> platform, Map<String, String> annotations) {

  public Descriptor {
    annotations = Map.copyOf(annotations);
  }

  /** The reference name an OCI layout gives this manifest ({@code org.opencontainers.image.ref.name}), if any. */
  public Optional<String> refName() {
    return Optional.ofNullable(annotations.get("org.opencontainers.image.ref.name"));
  }
}
