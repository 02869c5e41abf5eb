package io.imagegate.image;

import java.util.List;
import java.util.Optional;

/**
 * An image as a source delivers it: its manifest digest, parsed and verified config, and ordered
 * lazy layers. Nothing of the layers has been read yet.
 *
 * @param reference what the user named
 * @param name how reports name this image (the reference, plus the platform when one of several)
 * @param manifestDigest the digest of the manifest (for a classic {@code docker save}, of the config,
 *     which is the image id)
 * @param indexDigest the image index this manifest was picked from, if any
 */
public record Image(
    ImageReference reference,
    String name,
    Digest manifestDigest,
    Optional<Digest> indexDigest,
    Digest configDigest,
    ImageConfig config,
    List<Layer> layers) {

  public Image {
    layers = List.copyOf(layers);
  }

  /** The platform from the config, if it says. */
  public Optional<Platform> platform() {
    return config.platform();
  }

  /** Sum of the layer blobs' sizes (compressed, as stored or pushed). */
  public long compressedSize() {
    return layers.stream().mapToLong(Layer::blobSize).sum();
  }
}
