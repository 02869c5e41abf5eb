package io.imagegate.scan;

import io.imagegate.image.Image;
import java.util.List;

/**
 * An image together with the indexes of its layers, in layer order, as a
 * {@link ScanningImageSource} delivers it: every index's diff id is the one the image's config
 * promises for that position.
 */
public record ScannedImage(Image image, List<LayerIndex> layers) {

  public ScannedImage {
    layers = List.copyOf(layers);
    if (layers.size() != image.layers().size()) {
      throw new IllegalArgumentException(image.name() + ": " + layers.size() + " layer indexes for "
          + image.layers().size() + " layers");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (!layers.get(i).diffId().equals(image.layers().get(i).diffId())) {
        throw new IllegalArgumentException(image.name() + ": layer index " + i + " is of " + layers.get(i).diffId()
            + ", the image's layer " + i + " is " + image.layers().get(i).diffId());
      }
    }
  }
}
