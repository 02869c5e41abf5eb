package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.image.Digest;
import io.imagegate.image.Image;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a source is responsible for, in a form two sources can be compared by: the config
 * (digest and parsed), the diff ids, and the merged filesystem after scanning every layer —
 * with the captured content of {@link #CAPTURED} and the per-layer wasted bytes. Taking one also
 * checks the invariants every {@link Image} must hold, as go-containerregistry's
 * {@code validate.Image} does: one layer per diff id, each layer re-openable and verifying, the
 * blob matching its digest and size where the format records them.
 */
public record ImageSnapshot(
    Digest configDigest,
    ImageConfig config,
    List<Digest> diffIds,
    List<FileEntry> filesystem,
    List<Long> wastedBytes,
    Map<String, String> captured) {

  /** The paths whose content every snapshot captures. */
  public static final ScanInterest CAPTURED = ScanInterest.paths("/etc/passwd", "/app/run", "/opt/old/new.txt");

  /** Opens the single image {@code reference} names with the offline sources (host platform). */
  public static Image open(String reference) {
    List<Image> images = ImageSources.offline().open(ImageReference.parse(reference), PlatformSelection.host());
    assertThat(images).as("images opened from %s", reference).hasSize(1);
    return images.get(0);
  }

  /** Scans every layer of {@code image} in order. */
  public static List<LayerIndex> scan(Image image, ScanInterest interest) {
    LayerScanner scanner = new LayerScanner(interest, ScanLimits.DEFAULT);
    return image.layers().stream().map(scanner::scan).toList();
  }

  /** Validates {@code image} and takes its snapshot. */
  public static ImageSnapshot of(Image image) {
    ImageConfig config = image.config();
    assertThat(image.layers()).as("one layer per diff id").hasSameSizeAs(config.diffIds());
    for (Layer layer : image.layers()) {
      assertThat(layer.diffId()).as("diff id of %s", layer.describe()).isEqualTo(config.diffIds().get(layer.index()));
      checkBlob(layer);
    }
    List<LayerIndex> indexes = scan(image, CAPTURED);
    for (int i = 0; i < indexes.size(); i++) {
      assertThat(indexes.get(i).diffId()).isEqualTo(image.layers().get(i).diffId());
      // layers are lazy openers, not buffers: a second pass gives the same index
      assertThat(scan(image.layers().get(i)).entries()).isEqualTo(indexes.get(i).entries());
    }
    Filesystem fs = Filesystem.merge(indexes);
    List<Long> wasted = new ArrayList<>();
    for (int i = 0; i < indexes.size(); i++) {
      wasted.add(fs.wastedBytes(i));
    }
    Map<String, String> captured = new LinkedHashMap<>();
    for (String path : CAPTURED.paths().stream().sorted().toList()) {
      fs.content(path).ifPresent(bytes -> captured.put(path, new String(bytes, StandardCharsets.UTF_8)));
    }
    return new ImageSnapshot(image.configDigest(), config, config.diffIds(), List.copyOf(fs.entries()),
        List.copyOf(wasted), captured);
  }

  private static LayerIndex scan(Layer layer) {
    return new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT).scan(layer);
  }

  /** Where the format records the blob's digest, the raw bytes must match it and the declared size. */
  private static void checkBlob(Layer layer) {
    if (layer.blobDigest().isEmpty()) {
      return;
    }
    Digest expected = layer.blobDigest().get();
    try (InputStream raw = layer.opener().open();
         DigestInputStream in = new DigestInputStream(raw, expected.newMessageDigest())) {
      long size = in.transferTo(OutputStream.nullOutputStream());
      assertThat(Digest.parse(expected.algorithm() + ":" + HexFormat.of().formatHex(in.getMessageDigest().digest())))
          .as("raw blob of %s", layer.describe()).isEqualTo(expected);
      assertThat(size).as("size of %s", layer.describe()).isEqualTo(layer.blobSize());
    } catch (IOException e) {
      throw new AssertionError(layer.describe() + ": " + e, e);
    }
  }
}
