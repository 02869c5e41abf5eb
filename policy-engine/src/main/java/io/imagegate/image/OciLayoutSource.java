package io.imagegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code oci:DIR[:TAG]} and {@code oci-archive:PATH[:TAG]}: an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/ALG/HEX}) as a directory or a tar of one.
 */
public final class OciLayoutSource implements ImageSource {

  @Override
  public Set<ImageReference.Transport> transports() {
    return Set.of(ImageReference.Transport.OCI, ImageReference.Transport.OCI_ARCHIVE);
  }

  @Override
  public List<Image> open(ImageReference reference, PlatformSelection platforms) {
    Path path = Path.of(reference.location());
    if (!Files.exists(path)) {
      throw new ImageReadException(path + ": no such file or directory");
    }
    boolean dir = Files.isDirectory(path);
    if (reference.transport() == ImageReference.Transport.OCI && !dir) {
      throw new ImageReadException(path + ": oci: needs a layout directory; for a tar use oci-archive:");
    }
    if (reference.transport() == ImageReference.Transport.OCI_ARCHIVE && dir) {
      throw new ImageReadException(path + ": oci-archive: needs a tar; for a directory use oci:");
    }
    ArchiveFiles files = ArchiveFiles.open(path);
    return read(files, reference, platforms);
  }

  static List<Image> read(ArchiveFiles files, ImageReference reference, PlatformSelection platforms) {
    if (!files.contains("oci-layout")) {
      throw new ImageReadException(files.describe() + ": not an OCI image layout (no oci-layout file)");
    }
    JsonNode layout = ManifestResolver.parse(files.readSmall("oci-layout", 4096), files.describe() + " oci-layout");
    String version = layout.path("imageLayoutVersion").asText("");
    if (!version.startsWith("1.")) {
      throw new ImageReadException(files.describe() + ": unsupported imageLayoutVersion '" + version + "'");
    }
    if (!files.contains("index.json")) {
      throw new ImageReadException(files.describe() + ": OCI layout without index.json");
    }
    JsonNode index = ManifestResolver.parse(files.readSmall("index.json", Blobs.MAX_MANIFEST_BYTES),
        files.describe() + " index.json");
    List<Descriptor> roots = new ArrayList<>();
    for (JsonNode m : index.path("manifests")) {
      roots.add(ManifestResolver.descriptor(m, files.describe() + " index.json"));
    }
    return new ManifestResolver(files.blobStore(), reference).resolveRoots(roots, reference.selector(), platforms);
  }
}
