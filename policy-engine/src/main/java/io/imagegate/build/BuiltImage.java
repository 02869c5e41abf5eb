package io.imagegate.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.imagegate.image.Compression;
import io.imagegate.image.Digest;
import io.imagegate.image.Image;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReference;
import io.imagegate.image.Layer;
import io.imagegate.image.MediaTypes;
import io.imagegate.image.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image {@link ImageBuilder} made: compressed layer blobs in memory, the config and the
 * manifest. Writes itself in every on-disk format the offline sources read.
 */
public final class BuiltImage {
  /** How {@code docker save} lays out its tar. */
  public enum DockerLayout {
    /** {@code manifest.json}, {@code <hex>.json}, {@code <id>/layer.tar} (Docker before 25). */
    CLASSIC,
    /** An OCI layout plus {@code manifest.json}, blobs under {@code blobs/sha256/} (Docker 25+). */
    OCI
  }

  /** One layer: the blob as compressed, its digests, and the recipe to regenerate its tar. */
  public record BuiltLayer(LayerBuilder recipe, String mediaType, byte[] blob, Digest digest, Digest diffId,
      long uncompressedSize) {

    static BuiltLayer of(LayerBuilder l, boolean dockerTypes) {
      try {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        MessageDigest tarDigest = MessageDigest.getInstance("SHA-256");
        CountingOutputStream counter;
        try (OutputStream compressed = compress(blob, l.compression());
             DigestOutputStream tar = new DigestOutputStream(compressed, tarDigest)) {
          counter = new CountingOutputStream(tar);
          l.writeTar(counter);
        }
        byte[] bytes = blob.toByteArray();
        Digest diffId = Digest.parse("sha256:" + HexFormat.of().formatHex(tarDigest.digest()));
        return new BuiltLayer(l, mediaType(l.compression(), dockerTypes), bytes, Digest.sha256Of(bytes), diffId,
            counter.count);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    static String mediaType(Compression c, boolean docker) {
      if (docker) {
        return c == Compression.NONE ? "application/vnd.docker.image.rootfs.diff.tar" : MediaTypes.DOCKER_LAYER_GZIP;
      }
      return switch (c) {
        case NONE -> MediaTypes.OCI_LAYER;
        case GZIP -> MediaTypes.OCI_LAYER_GZIP;
        case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
      };
    }

    /** Writes the uncompressed tar again (it is deterministic) to {@code out}. */
    public void writeTar(OutputStream out) throws IOException {
      recipe.writeTar(out);
    }
  }

  /** A layer written straight to a blob file: only its digests and size are kept. */
  record StreamedLayer(String mediaType, Digest digest, long size, Digest diffId) {
    static StreamedLayer write(LayerBuilder l, Path blobDir) throws IOException {
      Path tmp = Files.createTempFile(blobDir, ".layer-", ".tmp");
      try {
        MessageDigest blobDigest = MessageDigest.getInstance("SHA-256");
        MessageDigest tarDigest = MessageDigest.getInstance("SHA-256");
        CountingOutputStream blobCount;
        try (OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
             DigestOutputStream blob = new DigestOutputStream(file, blobDigest)) {
          blobCount = new CountingOutputStream(blob);
          try (OutputStream compressed = compress(blobCount, l.compression());
               DigestOutputStream tar = new DigestOutputStream(compressed, tarDigest)) {
            l.writeTar(tar);
          }
        }
        Digest digest = Digest.parse("sha256:" + HexFormat.of().formatHex(blobDigest.digest()));
        Files.move(tmp, blobDir.resolve(digest.hex()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new StreamedLayer(BuiltLayer.mediaType(l.compression(), false), digest, blobCount.count,
            Digest.parse("sha256:" + HexFormat.of().formatHex(tarDigest.digest())));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private final Platform platform;
  private final ObjectNode config;
  private final List<BuiltLayer> layers;
  private final boolean dockerMediaTypes;
  private final byte[] configBytes;
  private final byte[] manifestBytes;

  BuiltImage(Platform platform, ObjectNode config, List<BuiltLayer> layers, boolean dockerMediaTypes) {
    this.platform = platform;
    this.config = config;
    this.layers = List.copyOf(layers);
    this.dockerMediaTypes = dockerMediaTypes;
    this.configBytes = json(config);
    this.manifestBytes = json(manifest(layers, dockerMediaTypes));
  }

  private ObjectNode manifest(List<BuiltLayer> blobs, boolean docker) {
    ObjectNode m = ImageBuilder.JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG);
    c.put("digest", configDigest().toString());
    c.put("size", configBytes.length);
    ArrayNode ls = m.putArray("layers");
    for (BuiltLayer l : blobs) {
      ObjectNode d = ls.addObject();
      d.put("mediaType", l.mediaType());
      d.put("digest", l.digest().toString());
      d.put("size", l.blob().length);
    }
    return m;
  }

  static byte[] json(Object node) {
    try {
      return ImageBuilder.JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static OutputStream compress(OutputStream out, Compression c) throws IOException {
    return switch (c) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, 65536) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      };
      case ZSTD -> new ZstdOutputStream(out, 3);
    };
  }

  public Platform platform() {
    return platform;
  }

  public List<BuiltLayer> layers() {
    return layers;
  }

  public byte[] configBytes() {
    return configBytes.clone();
  }

  public Digest configDigest() {
    return Digest.sha256Of(configBytes);
  }

  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  public Digest manifestDigest() {
    return Digest.sha256Of(manifestBytes);
  }

  public String manifestMediaType() {
    return dockerMediaTypes ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
  }

  /** Sum of the compressed layer blobs. */
  public long compressedSize() {
    return layers.stream().mapToLong(l -> l.blob().length).sum();
  }

  /** The image in memory, as a source would deliver it, named {@code name}. */
  public Image toImage(String name) {
    ImageConfig parsed = ImageConfig.parse(configBytes, name + " config");
    List<Layer> ls = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      BuiltLayer l = layers.get(i);
      ls.add(new Layer(i, l.mediaType(), Optional.of(l.digest()), l.blob().length, l.diffId(),
          () -> new ByteArrayInputStream(l.blob())));
    }
    ImageReference ref = new ImageReference(ImageReference.Transport.OCI, name, "", name);
    return new Image(ref, name, manifestDigest(), Optional.empty(), configDigest(), parsed, ls);
  }

  // ---- writers -------------------------------------------------------------------------------

  /** Writes an OCI image layout directory; {@code tag} becomes {@code org.opencontainers.image.ref.name} unless empty. */
  public void writeOciLayout(Path dir, String tag) throws IOException {
    try (LayoutWriter w = LayoutWriter.directory(dir)) {
      writeLayout(w, tag);
    }
  }

  /** Writes an OCI layout as a tar ({@code oci-archive:}). */
  public void writeOciArchive(Path tar, String tag) throws IOException {
    try (LayoutWriter w = LayoutWriter.tar(tar)) {
      writeLayout(w, tag);
    }
  }

  private void writeLayout(LayoutWriter w, String tag) throws IOException {
    w.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    writeBlobs(w);
    ObjectNode index = ImageBuilder.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ObjectNode d = index.putArray("manifests").addObject();
    d.put("mediaType", manifestMediaType());
    d.put("digest", manifestDigest().toString());
    d.put("size", manifestBytes.length);
    if (!tag.isEmpty()) {
      d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    }
    w.file("index.json", json(index));
  }

  /** Writes this image's blobs (layers, config, manifest) under {@code blobs/sha256/}. */
  void writeBlobs(LayoutWriter w) throws IOException {
    for (BuiltLayer l : layers) {
      w.blob(l.digest(), l.blob());
    }
    w.blob(configDigest(), configBytes);
    w.blob(manifestDigest(), manifestBytes);
  }

  /** Writes a {@code docker save} tar with {@code repoTag} (e.g. {@code app:1}; empty for none). */
  public void writeDockerArchive(Path tar, DockerLayout layout, String repoTag) throws IOException {
    try (LayoutWriter w = LayoutWriter.tar(tar)) {
      writeDockerArchive(w, layout, repoTag);
    }
  }

  /** Writes the same files into a directory (a {@code docker save} tar unpacked). */
  public void writeDockerArchiveDirectory(Path dir, DockerLayout layout, String repoTag) throws IOException {
    try (LayoutWriter w = LayoutWriter.directory(dir)) {
      writeDockerArchive(w, layout, repoTag);
    }
  }

  private void writeDockerArchive(LayoutWriter w, DockerLayout layout, String repoTag) throws IOException {
    ObjectNode entry = ImageBuilder.JSON.createObjectNode();
    ArrayNode layerNames = ImageBuilder.JSON.createArrayNode();
    if (layout == DockerLayout.CLASSIC) {
      String configName = configDigest().hex() + ".json";
      w.file(configName, configBytes);
      for (BuiltLayer l : layers) {
        String name = l.diffId().hex() + "/layer.tar";
        w.stream(name, l.uncompressedSize(), l::writeTar);
        layerNames.add(name);
      }
      entry.put("Config", configName);
    } else {
      // Docker 25+: uncompressed layers as OCI blobs, an OCI manifest and index beside manifest.json
      ObjectNode m = ImageBuilder.JSON.createObjectNode();
      m.put("schemaVersion", 2);
      m.put("mediaType", MediaTypes.OCI_MANIFEST);
      ObjectNode c = m.putObject("config");
      c.put("mediaType", MediaTypes.OCI_CONFIG);
      c.put("digest", configDigest().toString());
      c.put("size", configBytes.length);
      ArrayNode ls = m.putArray("layers");
      for (BuiltLayer l : layers) {
        w.streamBlob(l.diffId(), l.uncompressedSize(), l::writeTar);
        ObjectNode d = ls.addObject();
        d.put("mediaType", MediaTypes.OCI_LAYER);
        d.put("digest", l.diffId().toString());
        d.put("size", l.uncompressedSize());
        layerNames.add("blobs/sha256/" + l.diffId().hex());
      }
      w.blob(configDigest(), configBytes);
      byte[] manifest = json(m);
      Digest md = Digest.sha256Of(manifest);
      w.blob(md, manifest);
      ObjectNode index = ImageBuilder.JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaTypes.OCI_INDEX);
      ObjectNode d = index.putArray("manifests").addObject();
      d.put("mediaType", MediaTypes.OCI_MANIFEST);
      d.put("digest", md.toString());
      d.put("size", manifest.length);
      if (!repoTag.isEmpty()) {
        ObjectNode a = d.putObject("annotations");
        a.put("io.containerd.image.name", "docker.io/library/" + repoTag);
        a.put("org.opencontainers.image.ref.name", repoTag.substring(repoTag.lastIndexOf(':') + 1));
      }
      w.file("index.json", json(index));
      w.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      entry.put("Config", "blobs/sha256/" + configDigest().hex());
    }
    ArrayNode tags = entry.putArray("RepoTags");
    if (!repoTag.isEmpty()) {
      tags.add(repoTag);
    }
    entry.set("Layers", layerNames);
    ArrayNode manifest = ImageBuilder.JSON.createArrayNode();
    manifest.add(entry);
    w.file("manifest.json", json(manifest));
  }

  /**
   * Writes a multi-platform OCI layout: one index over {@code images}, each with its platform.
   */
  public static void writeOciIndexLayout(Path dir, String tag, List<BuiltImage> images) throws IOException {
    try (LayoutWriter w = LayoutWriter.directory(dir)) {
      w.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ObjectNode index = ImageBuilder.JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaTypes.OCI_INDEX);
      ArrayNode manifests = index.putArray("manifests");
      for (BuiltImage img : images) {
        img.writeBlobs(w);
        ObjectNode d = manifests.addObject();
        d.put("mediaType", img.manifestMediaType());
        d.put("digest", img.manifestDigest().toString());
        d.put("size", img.manifestBytes.length);
        ObjectNode p = d.putObject("platform");
        p.put("architecture", img.platform.architecture());
        p.put("os", img.platform.os());
        if (!img.platform.variant().isEmpty()) {
          p.put("variant", img.platform.variant());
        }
      }
      byte[] indexBytes = json(index);
      Digest indexDigest = Digest.sha256Of(indexBytes);
      w.blob(indexDigest, indexBytes);
      ObjectNode top = ImageBuilder.JSON.createObjectNode();
      top.put("schemaVersion", 2);
      top.put("mediaType", MediaTypes.OCI_INDEX);
      ObjectNode d = top.putArray("manifests").addObject();
      d.put("mediaType", MediaTypes.OCI_INDEX);
      d.put("digest", indexDigest.toString());
      d.put("size", indexBytes.length);
      if (!tag.isEmpty()) {
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
      }
      w.file("index.json", json(top));
    }
  }

  static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Writes files into a directory or a tar. */
  abstract static class LayoutWriter implements AutoCloseable {
    interface Body {
      void writeTo(OutputStream out) throws IOException;
    }

    abstract void stream(String name, long size, Body body) throws IOException;

    void file(String name, byte[] bytes) throws IOException {
      stream(name, bytes.length, out -> out.write(bytes));
    }

    void blob(Digest d, byte[] bytes) throws IOException {
      file("blobs/" + d.algorithm() + "/" + d.hex(), bytes);
    }

    void streamBlob(Digest d, long size, Body body) throws IOException {
      stream("blobs/" + d.algorithm() + "/" + d.hex(), size, body);
    }

    @Override
    public abstract void close() throws IOException;

    static LayoutWriter directory(Path dir) throws IOException {
      Files.createDirectories(dir);
      return new LayoutWriter() {
        @Override
        void stream(String name, long size, Body body) throws IOException {
          Path p = dir.resolve(name);
          Files.createDirectories(p.getParent());
          try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(p))) {
            body.writeTo(out);
          }
        }

        @Override
        public void close() {}
      };
    }

    static LayoutWriter tar(Path file) throws IOException {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      TarArchiveOutputStream tar = new TarArchiveOutputStream(
          new java.io.BufferedOutputStream(Files.newOutputStream(file), 65536));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      java.util.Set<String> dirs = new java.util.HashSet<>();
      return new LayoutWriter() {
        @Override
        void stream(String name, long size, Body body) throws IOException {
          String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
          if (!parent.isEmpty() && dirs.add(parent)) {
            TarArchiveEntry d = new TarArchiveEntry(parent + "/");
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
          }
          TarArchiveEntry e = new TarArchiveEntry(name);
          e.setSize(size);
          tar.putArchiveEntry(e);
          body.writeTo(new java.io.FilterOutputStream(tar) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() {}
          });
          tar.closeArchiveEntry();
        }

        @Override
        public void close() throws IOException {
          tar.finish();
          tar.close();
        }
      };
    }
  }
}
