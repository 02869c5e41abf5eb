package io.imagegate.facts;

import io.imagegate.image.HistoryEntry;
import io.imagegate.image.Image;
import io.imagegate.image.ImageConfig;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.ScanInterest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything rules read about one image: its config, merged filesystem, accounts, layers and
 * sizes. Rules never touch streams.
 */
public final class ImageFacts {
  /** Files the facts themselves need captured: the account databases. */
  public static final ScanInterest INTEREST = ScanInterest.paths("/etc/passwd", "/etc/group");

  private final Image image;
  private final Filesystem filesystem;
  private final List<LayerFacts> layers;
  private final Optional<Accounts> accounts;
  private final List<LayerIndex> indexes;
  private Efficiency efficiency;

  private ImageFacts(Image image, Filesystem filesystem, List<LayerFacts> layers, Optional<Accounts> accounts,
      List<LayerIndex> indexes) {
    this.image = image;
    this.filesystem = filesystem;
    this.layers = List.copyOf(layers);
    this.accounts = accounts;
    this.indexes = List.copyOf(indexes);
  }

  /** Builds the facts from an image and its scanned layers (in layer order). */
  public static ImageFacts of(Image image, List<LayerIndex> indexes) {
    Filesystem fs = Filesystem.merge(indexes);
    List<HistoryEntry> history = image.config().layerHistory();
    // history lines up with layers only when it has one non-empty entry per layer
    boolean aligned = history.size() == indexes.size();
    List<LayerFacts> layers = new ArrayList<>();
    for (int i = 0; i < indexes.size(); i++) {
      LayerIndex idx = indexes.get(i);
      layers.add(new LayerFacts(i, idx.diffId(), image.layers().get(i).blobDigest(),
          image.layers().get(i).blobSize(), idx.uncompressedSize(), idx.contentSize(), idx.entries().size(),
          fs.wastedBytes(i), aligned ? Optional.of(history.get(i)) : Optional.empty()));
    }
    Optional<Accounts> accounts = fs.content("/etc/passwd")
        .map(passwd -> Accounts.parse(passwd, fs.content("/etc/group").orElse(new byte[0])));
    return new ImageFacts(image, fs, layers, accounts, indexes);
  }

  public Image image() {
    return image;
  }

  public ImageConfig config() {
    return image.config();
  }

  public Filesystem filesystem() {
    return filesystem;
  }

  public List<LayerFacts> layers() {
    return layers;
  }

  /** The accounts of {@code /etc/passwd} and {@code /etc/group}; empty when the image has no {@code /etc/passwd}. */
  public Optional<Accounts> accounts() {
    return accounts;
  }

  /**
   * Each layer as scanned, base first: its own entries, whiteouts, captured content and content
   * matches, including files that a later layer deleted or overwrote (they are still in the
   * image's blobs, so secrets there still leak).
   */
  public List<LayerIndex> layerIndexes() {
    return indexes;
  }

  /** dive's efficiency measures, computed on first use. */
  public synchronized Efficiency efficiency() {
    if (efficiency == null) {
      efficiency = Efficiency.of(indexes);
    }
    return efficiency;
  }

  /**
   * One layer's change to a captured path.
   *
   * @param content the content the layer wrote; empty when the layer deleted the path
   * @param truncated the content was cut short by a capture bound
   */
  public record PathVersion(int layer, Optional<byte[]> content, boolean truncated) {}

  /**
   * How the content of {@code path} (which must be captured by some rule's interest) changed layer
   * by layer: every layer that wrote it or deleted it (a whiteout of it or a parent, or an opaque
   * parent), base first. The last entry is what the final filesystem holds.
   */
  public List<PathVersion> versions(String path) {
    List<PathVersion> out = new ArrayList<>();
    for (int i = 0; i < indexes.size(); i++) {
      LayerIndex l = indexes.get(i);
      byte[] c = l.content().get(path);
      if (c != null) {
        out.add(new PathVersion(i, Optional.of(c), l.truncated().contains(path)));
      } else if (l.deletes(path) && !out.isEmpty() && out.get(out.size() - 1).content().isPresent()) {
        out.add(new PathVersion(i, Optional.empty(), false));
      }
    }
    return out;
  }

  /** Sum of the layers' content sizes, as {@code docker images} and dive report an image's size. */
  public long uncompressedSize() {
    return uncompressedSize(layers);
  }

  /** Sum of the layers' content sizes: an image's size as {@code docker images} and dive report it. */
  public static long uncompressedSize(List<LayerFacts> layers) {
    return layers.stream().mapToLong(LayerFacts::contentSize).sum();
  }

  /** Sum of the layer blobs' sizes, as a registry stores them. */
  public long compressedSize() {
    return compressedSize(layers);
  }

  /** Sum of the layer blobs' sizes. */
  public static long compressedSize(List<LayerFacts> layers) {
    return layers.stream().mapToLong(LayerFacts::compressedSize).sum();
  }
}
