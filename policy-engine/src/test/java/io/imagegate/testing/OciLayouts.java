package io.imagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Edits OCI image layout directories the way a broken or hostile writer would, keeping
 * everything else consistent: a rewritten manifest gets its new digest and size written into
 * {@code index.json}, so only the intended defect remains.
 */
public final class OciLayouts {
  private OciLayouts() {}

  public static Path blob(Path layout, Digest d) {
    return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  /** The digest of the first manifest {@code index.json} lists. */
  public static Digest manifestDigest(Path layout) {
    return Digest.parse(Json.read(layout.resolve("index.json")).path("manifests").get(0).path("digest").asText());
  }

  public static ObjectNode manifest(Path layout) {
    return (ObjectNode) Json.read(blob(layout, manifestDigest(layout)));
  }

  /** Writes {@code bytes} as a blob and returns its digest. */
  public static Digest writeBlob(Path layout, byte[] bytes) {
    Digest d = Digest.sha256Of(bytes);
    try {
      Files.createDirectories(blob(layout, d).getParent());
      Files.write(blob(layout, d), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d;
  }

  /** Applies {@code edit} to the first manifest and points {@code index.json} at the result. */
  public static void editManifest(Path layout, Consumer<ObjectNode> edit) {
    ObjectNode manifest = manifest(layout);
    edit.accept(manifest);
    byte[] bytes = Json.bytes(manifest);
    Digest d = writeBlob(layout, bytes);
    ObjectNode index = (ObjectNode) Json.read(layout.resolve("index.json"));
    ObjectNode descriptor = (ObjectNode) index.path("manifests").get(0);
    descriptor.put("digest", d.toString());
    descriptor.put("size", bytes.length);
    Json.write(layout.resolve("index.json"), index);
  }

  /** Applies {@code edit} to the config and points the manifest at the result. */
  public static void editConfig(Path layout, Consumer<ObjectNode> edit) {
    ObjectNode manifest = manifest(layout);
    ObjectNode config = (ObjectNode) Json.read(blob(layout, Digest.parse(manifest.path("config").path("digest").asText())));
    edit.accept(config);
    byte[] bytes = Json.bytes(config);
    Digest d = writeBlob(layout, bytes);
    editManifest(layout, m -> {
      ((ObjectNode) m.path("config")).put("digest", d.toString());
      ((ObjectNode) m.path("config")).put("size", bytes.length);
    });
  }

  /** The layer descriptors of the first manifest. */
  public static ArrayNode layers(Path layout) {
    return (ArrayNode) manifest(layout).path("layers");
  }

  public static Digest layerDigest(Path layout, int i) {
    return Digest.parse(layers(layout).get(i).path("digest").asText());
  }

  /**
   * Copies the blobs of every layout in {@code sources} into {@code target} and writes one
   * {@code index.json} listing all their manifests (with their tags), as one layout holding
   * several images.
   */
  public static void combine(Path target, Path... sources) {
    try {
      Files.createDirectories(target.resolve("blobs/sha256"));
      Files.writeString(target.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      ObjectNode index = Json.MAPPER.createObjectNode();
      index.put("schemaVersion", 2);
      ArrayNode manifests = index.putArray("manifests");
      for (Path source : sources) {
        try (Stream<Path> blobs = Files.list(source.resolve("blobs/sha256"))) {
          for (Path b : blobs.toList()) {
            Files.copy(b, target.resolve("blobs/sha256").resolve(b.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        for (JsonNode m : Json.read(source.resolve("index.json")).path("manifests")) {
          manifests.add(m);
        }
      }
      Json.write(target.resolve("index.json"), index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
