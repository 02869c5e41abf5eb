package io.imagegate.scan;

import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSource;
import io.imagegate.image.PlatformSelection;
import java.util.List;

/**
 * A source whose layers can be read only once, in the order the source sends them — a Docker
 * engine's {@code save} stream — so they can't be {@link io.imagegate.image.Layer#open() opened}
 * lazily and scanned concurrently. It opens the image and scans every layer in the same pass, and
 * returns only once every layer and the config are verified. The gate prefers this over
 * {@link ImageSource#open} followed by per-layer scans when a source implements it.
 */
public interface ScanningImageSource extends ImageSource {
  /**
   * Opens the image(s) {@code reference} names and scans their layers with {@code scanner}, in one
   * pass over the source.
   *
   * @throws ImageReadException when the image can't be found, read or verified; nothing of a stream
   *     that failed verification is returned
   */
  List<ScannedImage> openScanned(ImageReference reference, PlatformSelection platforms, LayerScanner scanner);
}
