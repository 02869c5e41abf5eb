package io.imagegate.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.image.BlobOpener;
import io.imagegate.image.Blobs;
import io.imagegate.image.Compression;
import io.imagegate.image.Digest;
import io.imagegate.image.DigestingInputStream;
import io.imagegate.image.Image;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.Json;
import io.imagegate.image.Layer;
import io.imagegate.image.MediaTypes;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScannedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the tar a Docker engine's {@code save} writes, once, front to back, without a copy on disk
 * and without holding layers in memory. Both layouts are read:
 *
 * <ul>
 *   <li>classic (engines before 25): {@code <id>/layer.tar} per layer (a symlink to an earlier
 *       {@code layer.tar} when two layers have the same content), {@code <hex>.json} config,
 *       {@code manifest.json};
 *   <li>Docker 25+: an OCI layout — every blob under {@code blobs/sha256/} (layers uncompressed from
 *       the graph drivers, as stored — often gzip — from the containerd image store), {@code index.json},
 *       and {@code manifest.json} naming the config and layers by blob path.
 * </ul>
 *
 * <p>Engines write {@code manifest.json} last (the tar is a sorted directory walk), so a layer's
 * place in the image is unknown while it streams by. Every entry that can be a layer is therefore
 * scanned as it arrives, its diff id (and, when compressed, its blob digest) computed on the way,
 * and kept by path; small JSON blobs (configs, manifests, indexes) are kept in memory. At the end
 * the manifest orders the scanned layers, and every layer's computed diff id must equal the
 * config's {@code rootfs.diff_ids} at its position, the config's computed digest must equal the
 * image id the engine reported, and blob names must match their content — else the whole read
 * fails and nothing scanned is returned.
 */
final class SaveStream {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern BLOB_PATH = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
  private static final Pattern CLASSIC_CONFIG = Pattern.compile("([a-f0-9]{64})\\.json");
  /** JSON kept from one stream, in all: configs, manifests, indexes and legacy v1 metadata are small. */
  static final long MAX_METADATA_BYTES = 64L << 20;
  /** Symlinks followed to find one file. */
  private static final int MAX_LINK_HOPS = 16;

  /** A layer candidate that was scanned as it streamed. */
  private record Scanned(LayerIndex index, Digest blobDigest, long blobSize, Compression compression) {}

  private final String where;
  private final LayerScanner scanner;
  private final Map<String, Scanned> scanned = new HashMap<>();
  private final Map<String, ImageReadException> unreadable = new HashMap<>();
  private final Map<String, byte[]> metadata = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();
  private long metadataBytes;
  private int entries;

  private SaveStream(String where, LayerScanner scanner) {
    this.where = where;
    this.scanner = scanner;
  }

  /**
   * Reads {@code save} to its end and returns the verified, scanned image.
   *
   * @param imageId the id the engine reported for the image: its config's digest (graph drivers)
   *     or its manifest's or index's digest (containerd image store)
   * @param where names the stream in messages, e.g. {@code docker-daemon:app:1}
   * @param reopen gives the opener of a layer (by its path in the stream) for {@link Layer#open()}
   * @throws ImageReadException when the stream is no image or fails verification
   */
  static ScannedImage read(InputStream save, Digest imageId, ImageReference reference, PlatformSelection platforms,
      LayerScanner scanner, String where, Function<String, BlobOpener> reopen) {
    SaveStream s = new SaveStream(where, scanner);
    s.consume(save);
    return s.assemble(imageId, reference, platforms, reopen);
  }

  // ---- one pass ------------------------------------------------------------------------------

  private void consume(InputStream save) {
    TarArchiveInputStream tar = new TarArchiveInputStream(save);
    TarArchiveEntry e;
    while ((e = next(tar)) != null) {
      entries++;
      String name = normalize(e.getName());
      if (e.isSymbolicLink()) {
        links.put(name, resolveRelative(name, e.getLinkName()));
      } else if (e.isLink()) {
        links.put(name, normalize(e.getLinkName()));
      } else if (e.isFile() && !ignored(name)) {
        file(tar, name, e.getSize());
      }
    }
  }

  /** Legacy v1 metadata and layout markers that say nothing we verify or need. */
  private static boolean ignored(String name) {
    return name.endsWith("/VERSION") || name.endsWith("/json") || name.equals("repositories")
        || name.equals("oci-layout");
  }

  private void file(InputStream tar, String name, long size) {
    BufferedInputStream in = new BufferedInputStream(tar, 65536);
    boolean json;
    try {
      in.mark(1);
      json = in.read() == '{';
      in.reset();
    } catch (IOException ex) {
      throw readError(ex);
    }
    boolean named = name.equals("manifest.json") || name.equals("index.json");
    if ((json || named) && size <= Blobs.MAX_CONFIG_BYTES && !name.endsWith("/layer.tar")) {
      keep(name, in, size);
      return;
    }
    try {
      scanned.put(name, scan(in, name));
    } catch (ImageReadException ex) {
      // not necessarily a layer (only manifest.json says): the failure counts only if it is one
      unreadable.put(name, ex);
    }
  }

  /** Scans a layer candidate; messages name it by its path in the stream (the caller adds which image and layer). */
  private Scanned scan(InputStream in, String name) {
    String what = name;
    try {
      BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 65536);
      Compression compression = Compression.sniff(buffered);
      if (compression == Compression.NONE) {
        LayerIndex index = scanner.scan(buffered, 0, what);
        return new Scanned(index, index.diffId(), index.uncompressedSize(), compression);
      }
      DigestingInputStream raw = new DigestingInputStream(buffered, Long.MAX_VALUE, what);
      LayerIndex index = scanner.scan(compression.decompress(raw), 0, what);
      Digest blobDigest = raw.finish();
      return new Scanned(index, blobDigest, raw.count(), compression);
    } catch (IOException ex) {
      throw new ImageReadException(what + ": corrupt compressed data: " + ImageConfig.oneLine(ex.getMessage()), ex);
    }
  }

  private void keep(String name, InputStream in, long size) {
    metadataBytes += size;
    if (metadataBytes > MAX_METADATA_BYTES) {
      throw new ImageReadException(where + ": more than " + MAX_METADATA_BYTES + " bytes of JSON in the save stream");
    }
    try {
      byte[] bytes = in.readNBytes(Blobs.MAX_CONFIG_BYTES + 1);
      if (bytes.length != size) {
        throw new ImageReadException(where + ": " + name + ": read " + bytes.length + " bytes, the tar header says " + size);
      }
      metadata.put(name, bytes);
    } catch (IOException ex) {
      throw readError(ex);
    }
  }

  private TarArchiveEntry next(TarArchiveInputStream tar) {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException ex) {
      throw new ImageReadException(where + ": the save stream is not a valid tar (after " + entries + " entries): "
          + ImageConfig.oneLine(ex.getMessage()), ex);
    }
  }

  private ImageReadException readError(IOException ex) {
    return new ImageReadException(where + ": reading the save stream: " + ImageConfig.oneLine(ex.getMessage()), ex);
  }

  // ---- verify and order ----------------------------------------------------------------------

  private ScannedImage assemble(Digest imageId, ImageReference reference, PlatformSelection platforms,
      Function<String, BlobOpener> reopen) {
    JsonNode entry = manifestEntry(imageId);
    String configName = follow(entry.path("Config").asText(""));
    byte[] configBytes = metadata.get(configName);
    if (configBytes == null) {
      throw new ImageReadException(where + ": config " + (configName.isEmpty() ? "(none)" : configName)
          + " named by manifest.json is missing from the save stream");
    }
    Digest configDigest = Digest.sha256Of(configBytes);
    nameDigest(configName).filter(d -> !d.equals(configDigest)).ifPresent(d -> {
      throw new ImageReadException(where + ": config " + configName + ": content is " + configDigest
          + ", its name says " + d);
    });
    ImageConfig config = ImageConfig.parse(configBytes, where + " config " + configDigest);
    checkImageId(imageId, configDigest);
    if (platforms.explicit() && config.platform().isPresent() && !platforms.wanted().accepts(config.platform().get())) {
      throw new ImageReadException(where + ": image is for " + config.platform().get()
          + ", not the requested platform " + platforms.wanted());
    }
    List<String> layerNames = new ArrayList<>();
    entry.path("Layers").forEach(l -> layerNames.add(l.asText()));
    if (layerNames.size() != config.diffIds().size()) {
      throw new ImageReadException(where + ": manifest.json lists " + layerNames.size()
          + " layers but the config lists " + config.diffIds().size() + " diff ids");
    }
    List<Layer> layers = new ArrayList<>();
    List<LayerIndex> indexes = new ArrayList<>();
    for (int i = 0; i < layerNames.size(); i++) {
      String path = follow(layerNames.get(i));
      Scanned s = layer(i, path);
      Digest expected = config.diffIds().get(i);
      if (!s.index().diffId().equals(expected)) {
        throw new ImageReadException(where + ": layer " + i + " (" + path + "): content digest is " + s.index().diffId()
            + ", the config's rootfs.diff_ids[" + i + "] is " + expected);
      }
      Optional<Digest> named = nameDigest(path);
      if (named.isPresent() && !named.get().equals(s.blobDigest())) {
        throw new ImageReadException(where + ": layer " + i + " (" + path + "): content is " + s.blobDigest()
            + ", its name says " + named.get());
      }
      layers.add(new Layer(i, mediaType(s.compression()), named, s.blobSize(), expected, reopen.apply(path)));
      indexes.add(s.index().atLayer(i));
    }
    Image image = new Image(reference, reference.text(), imageId, Optional.empty(), configDigest, config, layers);
    return new ScannedImage(image, indexes);
  }

  /** The manifest.json entry of the image: the only one, or the one whose config is the image. */
  private JsonNode manifestEntry(Digest imageId) {
    byte[] bytes = metadata.get("manifest.json");
    if (bytes == null) {
      throw new ImageReadException(where + ": the save stream has no manifest.json (it ended after " + entries
          + " entries)");
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(bytes);
    } catch (IOException ex) {
      throw new ImageReadException(where + ": manifest.json is not valid JSON: " + ImageConfig.oneLine(ex.getMessage()));
    }
    if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
      throw new ImageReadException(where + ": manifest.json lists no images");
    }
    if (manifest.size() == 1) {
      return manifest.get(0);
    }
    for (JsonNode e : manifest) {
      byte[] config = metadata.get(follow(e.path("Config").asText("")));
      if (config != null && Digest.sha256Of(config).equals(imageId)) {
        return e;
      }
    }
    throw new ImageReadException(where + ": manifest.json lists " + manifest.size() + " images, none with config "
        + imageId);
  }

  /**
   * The engine's image id is the config's digest (graph drivers) or, with the containerd image
   * store, the digest of the manifest — or of an index over it — that names this config. Either
   * way the chain is checked on content this stream carried, never on names.
   */
  private void checkImageId(Digest imageId, Digest configDigest) {
    if (imageId.equals(configDigest)) {
      return;
    }
    for (byte[] blob : metadata.values()) {
      if (Digest.sha256Of(blob).equals(imageId) && namesConfig(blob, configDigest, 2)) {
        return;
      }
    }
    throw new ImageReadException(where + ": the engine reports image id " + imageId + ", but the save stream's config is "
        + configDigest + " and no manifest in the stream links them");
  }

  /** Whether {@code blob} is a manifest of {@code config}, or an index (up to {@code depth} deep) over one. */
  private boolean namesConfig(byte[] blob, Digest config, int depth) {
    JsonNode node;
    try {
      node = JSON.readTree(blob);
    } catch (IOException ex) {
      return false;
    }
    if (node == null || !node.isObject()) {
      return false;
    }
    if (config.toString().equals(node.path("config").path("digest").asText())) {
      return true;
    }
    if (depth > 0) {
      for (JsonNode m : node.path("manifests")) {
        String d = m.path("digest").asText("");
        if (Digest.isDigest(d)) {
          byte[] child = metadata.get("blobs/" + d.replace(':', '/'));
          if (child != null && Digest.sha256Of(child).toString().equals(d) && namesConfig(child, config, depth - 1)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The scanned layer at {@code path}: scanned as it streamed, or (a small tar that began with '{') now. */
  private Scanned layer(int i, String path) {
    Scanned s = scanned.get(path);
    if (s != null) {
      return s;
    }
    ImageReadException failure = unreadable.get(path);
    byte[] small = metadata.get(path);
    if (failure == null && small != null) {
      try {
        return scan(new ByteArrayInputStream(small), path);
      } catch (ImageReadException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new ImageReadException(where + ": layer " + i + ": " + failure.getMessage(), failure);
    }
    throw new ImageReadException(where + ": layer " + i + " (" + path + ") named by manifest.json is missing from the save stream");
  }

  /** Follows symlinks (classic saves link a repeated layer to its first copy). */
  private String follow(String name) {
    String n = name.isEmpty() ? name : normalize(name);
    for (int hops = 0; links.containsKey(n); hops++) {
      if (hops >= MAX_LINK_HOPS) {
        throw new ImageReadException(where + ": too many symlinks resolving " + name);
      }
      n = links.get(n);
    }
    return n;
  }

  private static Optional<Digest> nameDigest(String path) {
    Matcher m = BLOB_PATH.matcher(path);
    if (m.matches()) {
      return Optional.of(Digest.parse("sha256:" + m.group(1)));
    }
    m = CLASSIC_CONFIG.matcher(path);
    return m.matches() ? Optional.of(Digest.parse("sha256:" + m.group(1))) : Optional.empty();
  }

  private static String mediaType(Compression c) {
    return switch (c) {
      case NONE -> MediaTypes.OCI_LAYER;
      case GZIP -> MediaTypes.OCI_LAYER_GZIP;
      case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
    };
  }

  /** An archive-relative name without {@code ./} or leading slashes; {@code ..} is refused. */
  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    List<String> parts = new ArrayList<>();
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new ImageReadException("refusing a path that leaves the save stream: " + name);
        }
        parts.remove(parts.size() - 1);
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** A symlink's target as an archive-relative name: relative to the link's directory. */
  static String resolveRelative(String link, String target) {
    if (target.startsWith("/")) {
      return normalize(target);
    }
    int slash = link.lastIndexOf('/');
    return normalize(slash < 0 ? target : link.substring(0, slash) + "/" + target);
  }
}
