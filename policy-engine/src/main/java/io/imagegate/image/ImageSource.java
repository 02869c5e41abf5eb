package io.imagegate.image;

import java.util.List;
import java.util.Set;

/**
 * Where images come from: one implementation per transport. Every source returns the same
 * {@link Image}, with lazy, digest-verified layers; the rest of the gate does not know the source.
 */
public interface ImageSource {
  /** The transports this source reads. */
  Set<ImageReference.Transport> transports();

  /**
   * Opens the image(s) a reference names: one, or with {@link PlatformSelection#all()} one per
   * platform of an index.
   *
   * @throws ImageReadException when the image can't be found, read or verified
   */
  List<Image> open(ImageReference reference, PlatformSelection platforms);
}
