package io.imagegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Walks from descriptors (an OCI layout's {@code index.json}, a registry's tag) through image
 * indexes to manifests, configs and layers, reading every blob verified. Shared by every source
 * that stores blobs by digest, so index and platform handling lives in one place.
 */
public final class ManifestResolver {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final BlobStore store;
  private final ImageReference reference;

  public ManifestResolver(BlobStore store, ImageReference reference) {
    this.store = store;
    this.reference = reference;
  }

  /**
   * Picks the image(s) among the root descriptors of a layout: by {@code tag} when given (matched
   * against {@code org.opencontainers.image.ref.name} and containerd's image name), else the only
   * one, else by platform.
   */
  public List<Image> resolveRoots(List<Descriptor> roots, String tag, PlatformSelection platforms) {
    if (roots.isEmpty()) {
      throw new ImageReadException(store.describe() + ": index.json lists no manifests");
    }
    List<Descriptor> chosen = roots;
    if (!tag.isEmpty()) {
      chosen = roots.stream().filter(d -> matchesTag(d, tag)).toList();
      if (chosen.isEmpty()) {
        throw new ImageReadException(store.describe() + ": no image tagged '" + tag + "'; the layout has: "
            + roots.stream().map(ManifestResolver::tagOf).collect(Collectors.joining(", ")));
      }
    }
    if (chosen.size() == 1) {
      return resolve(chosen.get(0), platforms);
    }
    if (!platforms.all() && chosen.stream().anyMatch(d -> d.platform().isEmpty())) {
      // several images, not platforms of one: only a tag can tell which is meant
      throw new ImageReadException(store.describe() + ": the layout holds " + chosen.size()
          + " images; pick one with oci:DIR:TAG or oci-archive:PATH:TAG (tags: "
          + chosen.stream().map(ManifestResolver::tagOf).collect(Collectors.joining(", ")) + ")");
    }
    // several manifests at the top level, each with its platform: platforms of one image
    return resolveIndexEntries(chosen, platforms, store.describe() + " index.json", Optional.empty());
  }

  private static boolean matchesTag(Descriptor d, String tag) {
    String ref = d.refName().orElse("");
    String containerd = d.annotations().getOrDefault("io.containerd.image.name", "");
    return ref.equals(tag) || ref.endsWith(":" + tag)
        || containerd.equals(tag) || containerd.endsWith("/" + tag);
  }

  private static String tagOf(Descriptor d) {
    return d.refName().or(() -> Optional.ofNullable(d.annotations().get("io.containerd.image.name")))
        .orElse("(untagged " + d.digest().shortHex() + ")");
  }

  /** Resolves one descriptor, which may be an index or a manifest. */
  public List<Image> resolve(Descriptor d, PlatformSelection platforms) {
    byte[] bytes = Blobs.readManifest(store, d);
    JsonNode node = parse(bytes, "manifest " + d.digest());
    refuseSchema1(d, node);
    String mediaType = node.path("mediaType").asText(d.mediaType());
    if (MediaTypes.isIndex(mediaType) || (node.has("manifests") && !node.has("layers"))) {
      List<Descriptor> entries = new ArrayList<>();
      for (JsonNode m : node.path("manifests")) {
        entries.add(descriptor(m, "index " + d.digest()));
      }
      return resolveIndexEntries(entries, platforms, "index " + d.digest(), Optional.of(d.digest()));
    }
    return List.of(manifest(d, node, Optional.empty(), platforms));
  }

  private List<Image> resolveIndexEntries(
      List<Descriptor> entries, PlatformSelection platforms, String where, Optional<Digest> indexDigest) {
    // attestation manifests (buildx) carry the platform unknown/unknown
    List<Descriptor> images = entries.stream()
        .filter(e -> e.platform().map(p -> !p.os().equals("unknown")).orElse(true))
        .toList();
    if (platforms.all()) {
      List<Image> out = new ArrayList<>();
      for (Descriptor e : images) {
        for (Image image : resolveChild(e, platforms, indexDigest)) {
          out.add(images.size() > 1 ? withPlatformInName(image, e) : image);
        }
      }
      return out;
    }
    Platform wanted = platforms.wanted();
    List<Descriptor> matching = images.stream()
        .filter(e -> e.platform().map(wanted::accepts).orElse(false))
        .toList();
    if (matching.isEmpty()) {
      String available = images.stream()
          .map(e -> e.platform().map(Platform::toString).orElse("(no platform) " + e.digest().shortHex()))
          .collect(Collectors.joining(", "));
      throw new ImageReadException(where + ": no image for platform " + wanted + "; available: " + available
          + " (choose with --platform)");
    }
    return resolveChild(matching.get(0), PlatformSelection.of(wanted), indexDigest);
  }

  /**
   * One of several images is named by the reference plus its platform (or, for several images of
   * a layout, its tag), so reports tell them apart.
   */
  private static Image withPlatformInName(Image image, Descriptor d) {
    String label = d.platform().map(Platform::toString).or(d::refName)
        .orElseGet(() -> image.platform().map(p -> p + " ").orElse("") + d.digest().shortHex());
    return new Image(image.reference(), image.name() + " (" + label + ")", image.manifestDigest(),
        image.indexDigest(), image.configDigest(), image.config(), image.layers());
  }

  private List<Image> resolveChild(Descriptor d, PlatformSelection platforms, Optional<Digest> indexDigest) {
    if (MediaTypes.isIndex(d.mediaType())) {
      return resolve(d, platforms);
    }
    byte[] bytes = Blobs.readManifest(store, d);
    JsonNode node = parse(bytes, "manifest " + d.digest());
    return List.of(manifest(d, node, indexDigest, PlatformSelection.allPlatforms()));
  }

  /** Schema 1 gets its own refusal wherever it is met: at the top or as an entry of an index. */
  private static void refuseSchema1(Descriptor d, JsonNode node) {
    if (MediaTypes.isSchema1(node.path("mediaType").asText(d.mediaType()))
        || MediaTypes.isSchema1(d.mediaType()) || node.path("schemaVersion").asInt(2) == 1) {
      throw new ImageReadException("manifest " + d.digest()
          + ": Docker schema 1 manifests are not supported (deprecated since 2017); re-push the image with a current client");
    }
  }

  private Image manifest(Descriptor d, JsonNode node, Optional<Digest> indexDigest, PlatformSelection platforms) {
    String where = "manifest " + d.digest();
    refuseSchema1(d, node);
    String mediaType = node.path("mediaType").asText(d.mediaType());
    if (!mediaType.isEmpty() && !MediaTypes.isManifest(mediaType)) {
      throw new ImageReadException(where + ": unsupported manifest media type " + mediaType);
    }
    if (!node.path("config").isObject() || !node.path("layers").isArray()) {
      throw new ImageReadException(where + ": not an image manifest (no config or layers)");
    }
    Descriptor configDescriptor = descriptor(node.path("config"), where + " config");
    byte[] configBytes = Blobs.readVerified(store, configDescriptor, Blobs.MAX_CONFIG_BYTES, "config");
    ImageConfig config = ImageConfig.parse(configBytes, "config " + configDescriptor.digest());
    if (!platforms.all() && platforms.explicit() && config.platform().isPresent()
        && !platforms.wanted().accepts(config.platform().get())) {
      throw new ImageReadException(where + ": image is for " + config.platform().get()
          + ", not the requested platform " + platforms.wanted());
    }
    List<Descriptor> layerDescriptors = new ArrayList<>();
    for (JsonNode l : node.path("layers")) {
      layerDescriptors.add(descriptor(l, where + " layers"));
    }
    if (layerDescriptors.size() != config.diffIds().size()) {
      throw new ImageReadException(where + ": " + layerDescriptors.size() + " layers but the config lists "
          + config.diffIds().size() + " diff ids");
    }
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerDescriptors.size(); i++) {
      Descriptor l = layerDescriptors.get(i);
      if (!store.contains(l.digest())) {
        throw new ImageReadException("layer " + l.digest() + " is missing from " + store.describe());
      }
      Digest digest = l.digest();
      layers.add(new Layer(i, l.mediaType(), Optional.of(digest), l.size(), config.diffIds().get(i),
          () -> store.open(digest)));
    }
    String name = reference.text();
    return new Image(reference, name, d.digest(), indexDigest, configDescriptor.digest(), config, layers);
  }

  /** Parses a descriptor object; malformed ones are read errors naming {@code where}. */
  public static Descriptor descriptor(JsonNode n, String where) {
    String digest = n.path("digest").asText("");
    if (!Digest.isDigest(digest)) {
      throw new ImageReadException(where + ": descriptor with a missing or malformed digest '" + digest + "'");
    }
    if (!n.path("size").canConvertToLong()) {
      throw new ImageReadException(where + ": descriptor " + digest + " has no size");
    }
    Map<String, String> annotations = new HashMap<>();
    n.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    JsonNode p = n.path("platform");
    return new Descriptor(n.path("mediaType").asText(""), Digest.parse(digest), n.path("size").asLong(),
        Platform.of(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText("")),
        annotations);
  }

  /** Parses JSON, turning syntax errors into read errors naming {@code where}. */
  public static JsonNode parse(byte[] bytes, String where) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ImageReadException(where + ": not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ImageReadException(where + ": not valid JSON: " + ImageConfig.oneLine(e.getMessage()));
    }
  }
}
