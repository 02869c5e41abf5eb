package io.imagegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker-archive:PATH[:NAME:TAG|:@INDEX]}: the tar {@code docker save} writes, in the classic
 * layout ({@code manifest.json}, {@code <id>.json}, {@code <id>/layer.tar}) and the layout Docker 25+
 * writes (an OCI layout whose {@code manifest.json} points into {@code blobs/sha256/}). Also reads
 * such a tar unpacked into a directory.
 */
public final class DockerArchiveSource implements ImageSource {
  private static final ObjectMapper JSON = Json.MAPPER;

  @Override
  public Set<ImageReference.Transport> transports() {
    return Set.of(ImageReference.Transport.DOCKER_ARCHIVE);
  }

  @Override
  public List<Image> open(ImageReference reference, PlatformSelection platforms) {
    Path path = Path.of(reference.location());
    if (!Files.exists(path)) {
      throw new ImageReadException(path + ": no such file or directory");
    }
    ArchiveFiles files = ArchiveFiles.open(path);
    return List.of(read(files, reference, platforms));
  }

  static Image read(ArchiveFiles files, ImageReference reference, PlatformSelection platforms) {
    if (!files.contains("manifest.json")) {
      throw new ImageReadException(files.describe() + ": not a docker-archive (no manifest.json)");
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(files.readSmall("manifest.json", Blobs.MAX_MANIFEST_BYTES));
    } catch (IOException e) {
      throw new ImageReadException(files.describe() + ": manifest.json is not valid JSON: "
          + ImageConfig.oneLine(e.getMessage()));
    }
    if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
      throw new ImageReadException(files.describe() + ": manifest.json lists no images");
    }
    JsonNode entry = select(manifest, reference.selector(), files.describe());
    String configName = entry.path("Config").asText("");
    if (configName.isEmpty() || !files.contains(configName)) {
      throw new ImageReadException(files.describe() + ": config " + (configName.isEmpty() ? "(none)" : configName)
          + " named by manifest.json is missing");
    }
    Digest configDigest = configDigestOf(configName, files);
    byte[] configBytes;
    try {
      configBytes = Blobs.readVerified(files.open(configName), configDigest, files.size(configName).orElse(-1L),
          Blobs.MAX_CONFIG_BYTES, "config " + configName);
    } catch (IOException e) {
      throw new ImageReadException(files.describe() + ": cannot read " + configName + ": " + e.getMessage(), e);
    }
    ImageConfig config = ImageConfig.parse(configBytes, files.describe() + " config " + configName);
    if (platforms.explicit() && config.platform().isPresent() && !platforms.wanted().accepts(config.platform().get())) {
      throw new ImageReadException(files.describe() + ": image is for " + config.platform().get()
          + ", not the requested platform " + platforms.wanted());
    }
    List<String> layerNames = new ArrayList<>();
    entry.path("Layers").forEach(l -> layerNames.add(l.asText()));
    if (layerNames.size() != config.diffIds().size()) {
      throw new ImageReadException(files.describe() + ": manifest.json lists " + layerNames.size()
          + " layers but the config lists " + config.diffIds().size() + " diff ids");
    }
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerNames.size(); i++) {
      String name = layerNames.get(i);
      long size = files.size(name).orElseThrow(() ->
          new ImageReadException(files.describe() + ": layer " + name + " named by manifest.json is missing"));
      Optional<Digest> blobDigest = ArchiveFiles.digestOfBlobPath(name);
      layers.add(new Layer(i, MediaTypes.OCI_LAYER, blobDigest, size, config.diffIds().get(i), () -> files.open(name)));
    }
    String name = reference.text();
    return new Image(reference, name, configDigest, Optional.empty(), configDigest, config, layers);
  }

  /** The config's digest: from its name, {@code <hex>.json} (classic) or {@code blobs/sha256/<hex>} (Docker 25+). */
  private static Digest configDigestOf(String configName, ArchiveFiles files) {
    Optional<Digest> fromBlob = ArchiveFiles.digestOfBlobPath(configName);
    if (fromBlob.isPresent()) {
      return fromBlob.get();
    }
    String base = configName.substring(configName.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
    if (Digest.isDigest("sha256:" + base)) {
      return Digest.parse("sha256:" + base);
    }
    throw new ImageReadException(files.describe() + ": config name " + configName
        + " does not carry its digest, so it cannot be verified");
  }

  private static JsonNode select(JsonNode manifest, String selector, String where) {
    if (selector.isEmpty()) {
      if (manifest.size() > 1) {
        throw new ImageReadException(where + ": the archive holds " + manifest.size()
            + " images; pick one with docker-archive:PATH:NAME:TAG or :@INDEX (tags: " + allTags(manifest) + ")");
      }
      return manifest.get(0);
    }
    if (selector.startsWith("@")) {
      try {
        int i = Integer.parseInt(selector.substring(1));
        if (i >= 0 && i < manifest.size()) {
          return manifest.get(i);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new ImageReadException(where + ": no image at index " + selector + " (the archive holds " + manifest.size() + ")");
    }
    String wanted = fullName(selector);
    for (JsonNode e : manifest) {
      for (JsonNode tag : e.path("RepoTags")) {
        if (fullName(tag.asText()).equals(wanted)) {
          return e;
        }
      }
    }
    throw new ImageReadException(where + ": no image tagged " + selector + " (tags: " + allTags(manifest) + ")");
  }

  /**
   * A name as Docker spells it in full, so {@code app:1}, {@code docker.io/app:1} and
   * {@code docker.io/library/app:1} match each other whichever form the archive (skopeo writes
   * the full one, {@code docker save} the short one) or the user chose.
   */
  static String fullName(String reference) {
    int slash = reference.indexOf('/');
    String first = slash < 0 ? "" : reference.substring(0, slash);
    boolean hasDomain = first.contains(".") || first.contains(":") || first.equals("localhost");
    String name = hasDomain ? reference : "docker.io/" + reference;
    if (name.startsWith("docker.io/") && name.indexOf('/', "docker.io/".length()) < 0) {
      name = "docker.io/library/" + name.substring("docker.io/".length());
    }
    return name;
  }

  private static String allTags(JsonNode manifest) {
    List<String> tags = new ArrayList<>();
    manifest.forEach(e -> e.path("RepoTags").forEach(t -> tags.add(t.asText())));
    return tags.isEmpty() ? "none" : String.join(", ", tags);
  }
}
