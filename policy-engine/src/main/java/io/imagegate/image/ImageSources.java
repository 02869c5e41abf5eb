package io.imagegate.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sources by transport, and the sniffing of bare paths: a tar or directory holding
 * {@code manifest.json} is a {@code docker save}, one holding {@code oci-layout} an OCI layout.
 */
public final class ImageSources {
  private final Map<ImageReference.Transport, ImageSource> byTransport = new EnumMap<>(ImageReference.Transport.class);

  private ImageSources(List<ImageSource> sources) {
    for (ImageSource s : sources) {
      for (ImageReference.Transport t : s.transports()) {
        if (byTransport.put(t, s) != null) {
          throw new IllegalStateException("two sources for transport " + t.prefix());
        }
      }
    }
  }

  /** The sources that need no daemon or network: docker-archive, oci, oci-archive. */
  public static ImageSources offline() {
    return new ImageSources(List.of(new DockerArchiveSource(), new OciLayoutSource()));
  }

  /** These sources plus {@code more} (e.g. a daemon or registry source). */
  public ImageSources with(ImageSource... more) {
    List<ImageSource> all = new java.util.ArrayList<>(byTransport.values().stream().distinct().toList());
    all.addAll(List.of(more));
    return new ImageSources(all);
  }

  /** The source registered for {@code transport}, if any. */
  public Optional<ImageSource> source(ImageReference.Transport transport) {
    return Optional.ofNullable(byTransport.get(transport));
  }

  /** Opens what {@code reference} names. */
  public List<Image> open(ImageReference reference, PlatformSelection platforms) {
    if (reference.transport() == ImageReference.Transport.PATH) {
      return openSniffed(reference, platforms);
    }
    ImageSource source = byTransport.get(reference.transport());
    if (source == null) {
      throw new ImageReadException(reference.text() + ": the " + reference.transport().prefix()
          + " transport is not available in this build (supported: "
          + String.join(", ", byTransport.keySet().stream().map(ImageReference.Transport::prefix).sorted().toList())
          + ", or a path to a docker save tar or OCI layout)");
    }
    return source.open(reference, platforms);
  }

  private List<Image> openSniffed(ImageReference reference, PlatformSelection platforms) {
    Path path = Path.of(reference.location());
    ArchiveFiles files = ArchiveFiles.open(path);
    if (files.contains("manifest.json")) {
      return List.of(DockerArchiveSource.read(files, reference, platforms));
    }
    if (files.contains("oci-layout")) {
      return OciLayoutSource.read(files, reference, platforms);
    }
    throw new ImageReadException(path + ": not an image: neither a docker save archive (manifest.json) nor an OCI layout (oci-layout)");
  }
}
