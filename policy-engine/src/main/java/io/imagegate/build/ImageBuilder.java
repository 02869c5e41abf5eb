package io.imagegate.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.image.Compression;
import io.imagegate.image.Json;
import io.imagegate.image.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds real images in memory — layers as tar blobs (gzip, zstd or none), an OCI config and
 * manifest — for tests, the benchmark and {@code imagegate demo}. {@link BuiltImage} then writes
 * them as a {@code docker save} tar (classic or Docker 25+ layout), an OCI layout directory or an
 * OCI archive, or hands them over as an in-memory image.
 *
 * <pre>{@code
 * BuiltImage img = ImageBuilder.image()
 *     .layer(l -> l.createdBy("COPY app /app").file("/app", "#!/bin/sh", 0755))
 *     .user("app").entrypoint("/app")
 *     .build();
 * }</pre>
 */
public final class ImageBuilder {
  static final ObjectMapper JSON = Json.MAPPER;

  private Platform platform = new Platform("linux", "amd64", "");
  private final List<LayerBuilder> layers = new ArrayList<>();
  /** History in order: a layer's entry (index into layers) or a metadata-only entry. */
  private final List<Object> history = new ArrayList<>();
  private String user;
  private List<String> entrypoint;
  private List<String> cmd;
  private final List<String> env = new ArrayList<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<String> ports = new ArrayList<>();
  private List<String> healthcheck;
  private String workingDir;
  private boolean dockerMediaTypes;

  private ImageBuilder() {}

  /** A new image with no layers, for linux/amd64. */
  public static ImageBuilder image() {
    return new ImageBuilder();
  }

  public ImageBuilder platform(String osArch) {
    this.platform = Platform.parse(osArch);
    return this;
  }

  /** Adds a layer; its history entry's {@code created_by} comes from {@link LayerBuilder#createdBy}. */
  public ImageBuilder layer(Consumer<LayerBuilder> spec) {
    LayerBuilder l = new LayerBuilder();
    spec.accept(l);
    history.add(layers.size());
    layers.add(l);
    return this;
  }

  /** A history entry that made no layer ({@code empty_layer: true}), e.g. {@code USER app}. */
  public ImageBuilder emptyHistory(String createdBy) {
    history.add(createdBy);
    return this;
  }

  public ImageBuilder user(String user) {
    this.user = user;
    return this;
  }

  public ImageBuilder entrypoint(String... args) {
    this.entrypoint = List.of(args);
    return this;
  }

  public ImageBuilder cmd(String... args) {
    this.cmd = List.of(args);
    return this;
  }

  public ImageBuilder env(String keyValue) {
    env.add(keyValue);
    return this;
  }

  public ImageBuilder label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public ImageBuilder exposedPort(String port) {
    ports.add(port);
    return this;
  }

  public ImageBuilder healthcheck(String... test) {
    this.healthcheck = List.of(test);
    return this;
  }

  public ImageBuilder workingDir(String dir) {
    this.workingDir = dir;
    return this;
  }

  /** Use Docker schema 2 media types for the manifest, config and layers instead of OCI's. */
  public ImageBuilder dockerMediaTypes() {
    this.dockerMediaTypes = true;
    return this;
  }

  /** Writes every layer blob, the config and the manifest. */
  public BuiltImage build() {
    List<BuiltImage.BuiltLayer> built = new ArrayList<>();
    for (LayerBuilder l : layers) {
      built.add(BuiltImage.BuiltLayer.of(l, dockerMediaTypes));
    }
    return new BuiltImage(platform, config(built.stream().map(BuiltImage.BuiltLayer::diffId).toList()), built,
        dockerMediaTypes);
  }

  /**
   * Writes the image as an OCI layout directory, streaming each layer to its blob file, so an
   * image of any size costs no memory (for benchmarks). Returns the manifest's digest.
   */
  public io.imagegate.image.Digest writeOciLayoutStreaming(java.nio.file.Path dir, String tag) throws java.io.IOException {
    java.nio.file.Path blobs = java.nio.file.Files.createDirectories(dir.resolve("blobs/sha256"));
    List<io.imagegate.image.Digest> diffIds = new ArrayList<>();
    com.fasterxml.jackson.databind.node.ArrayNode layerDescriptors = JSON.createArrayNode();
    for (LayerBuilder l : layers) {
      BuiltImage.StreamedLayer s = BuiltImage.StreamedLayer.write(l, blobs);
      diffIds.add(s.diffId());
      ObjectNode d = layerDescriptors.addObject();
      d.put("mediaType", s.mediaType());
      d.put("digest", s.digest().toString());
      d.put("size", s.size());
    }
    byte[] configBytes = BuiltImage.json(config(diffIds));
    io.imagegate.image.Digest configDigest = io.imagegate.image.Digest.sha256Of(configBytes);
    java.nio.file.Files.write(blobs.resolve(configDigest.hex()), configBytes);
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", io.imagegate.image.MediaTypes.OCI_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", io.imagegate.image.MediaTypes.OCI_CONFIG);
    c.put("digest", configDigest.toString());
    c.put("size", configBytes.length);
    m.set("layers", layerDescriptors);
    byte[] manifest = BuiltImage.json(m);
    io.imagegate.image.Digest manifestDigest = io.imagegate.image.Digest.sha256Of(manifest);
    java.nio.file.Files.write(blobs.resolve(manifestDigest.hex()), manifest);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", io.imagegate.image.MediaTypes.OCI_INDEX);
    ObjectNode d = index.putArray("manifests").addObject();
    d.put("mediaType", io.imagegate.image.MediaTypes.OCI_MANIFEST);
    d.put("digest", manifestDigest.toString());
    d.put("size", manifest.length);
    if (!tag.isEmpty()) {
      d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    }
    java.nio.file.Files.write(dir.resolve("index.json"), BuiltImage.json(index));
    java.nio.file.Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return manifestDigest;
  }

  private ObjectNode config(List<io.imagegate.image.Digest> layerDiffIds) {
    ObjectNode config = JSON.createObjectNode();
    config.put("created", "2026-01-01T00:00:00Z");
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      config.put("variant", platform.variant());
    }
    ObjectNode c = config.putObject("config");
    if (user != null) {
      c.put("User", user);
    }
    if (entrypoint != null) {
      strings(c.putArray("Entrypoint"), entrypoint);
    }
    if (cmd != null) {
      strings(c.putArray("Cmd"), cmd);
    }
    if (!env.isEmpty()) {
      strings(c.putArray("Env"), env);
    }
    if (!labels.isEmpty()) {
      ObjectNode l = c.putObject("Labels");
      labels.forEach(l::put);
    }
    if (!ports.isEmpty()) {
      ObjectNode p = c.putObject("ExposedPorts");
      ports.forEach(port -> p.putObject(port));
    }
    if (healthcheck != null) {
      strings(c.putObject("Healthcheck").putArray("Test"), healthcheck);
    }
    if (workingDir != null) {
      c.put("WorkingDir", workingDir);
    }
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layerDiffIds.forEach(d -> diffIds.add(d.toString()));
    ArrayNode h = config.putArray("history");
    for (Object entry : history) {
      ObjectNode e = h.addObject();
      e.put("created", "2026-01-01T00:00:00Z");
      if (entry instanceof Integer i) {
        String by = layers.get(i).createdBy();
        e.put("created_by", by.isEmpty() ? "layer " + i : by);
      } else {
        e.put("created_by", (String) entry);
        e.put("empty_layer", true);
      }
    }
    return config;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** The compression used when none is set. */
  static Compression defaultCompression() {
    return Compression.GZIP;
  }
}
