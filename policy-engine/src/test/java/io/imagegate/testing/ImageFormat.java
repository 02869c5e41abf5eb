package io.imagegate.testing;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.BuiltImage.DockerLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Every on-disk form the offline sources read, each paired with the reference a user would type
 * for it: the transport spelled out, or the bare path to be sniffed.
 */
public enum ImageFormat {
  DOCKER_ARCHIVE_CLASSIC("docker-archive:", "classic.tar", ""),
  DOCKER_ARCHIVE_CLASSIC_TAGGED("docker-archive:", "classic.tar", ":contract:1"),
  DOCKER_ARCHIVE_OCI("docker-archive:", "docker25.tar", ""),
  DOCKER_ARCHIVE_DIRECTORY("docker-archive:", "classic-dir", ""),
  DOCKER_ARCHIVE_OCI_DIRECTORY("docker-archive:", "docker25-dir", ""),
  OCI("oci:", "layout", ""),
  OCI_TAGGED("oci:", "layout", ":v1"),
  OCI_ARCHIVE("oci-archive:", "layout.tar", ""),
  OCI_ARCHIVE_TAGGED("oci-archive:", "layout.tar", ":v1"),
  PATH_DOCKER_ARCHIVE_CLASSIC("", "classic.tar", ""),
  PATH_DOCKER_ARCHIVE_OCI("", "docker25.tar", ""),
  PATH_DOCKER_ARCHIVE_DIRECTORY("", "classic-dir", ""),
  PATH_DOCKER_ARCHIVE_OCI_DIRECTORY("", "docker25-dir", ""),
  PATH_OCI("", "layout", ""),
  PATH_OCI_ARCHIVE("", "layout.tar", "");

  /** The tag {@link #write} gives the image in every form that carries one. */
  public static final String TAG = "v1";
  /** The repository tag {@link #write} gives the image in {@code docker save} forms. */
  public static final String REPO_TAG = "contract:1";

  private final String transport;
  private final String fileName;
  private final String selector;

  ImageFormat(String transport, String fileName, String selector) {
    this.transport = transport;
    this.fileName = fileName;
    this.selector = selector;
  }

  /** Writes {@code image} in this form under {@code dir} and returns the reference that names it. */
  public String write(BuiltImage image, Path dir) throws IOException {
    Path path = dir.resolve(fileName);
    switch (fileName) {
      case "classic.tar" -> image.writeDockerArchive(path, DockerLayout.CLASSIC, REPO_TAG);
      case "docker25.tar" -> image.writeDockerArchive(path, DockerLayout.OCI, REPO_TAG);
      case "classic-dir" -> image.writeDockerArchiveDirectory(path, DockerLayout.CLASSIC, REPO_TAG);
      case "docker25-dir" -> image.writeDockerArchiveDirectory(path, DockerLayout.OCI, REPO_TAG);
      case "layout" -> image.writeOciLayout(path, TAG);
      case "layout.tar" -> image.writeOciArchive(path, TAG);
      default -> throw new IllegalStateException(fileName);
    }
    return transport + path + selector;
  }

  /** Whether the layers are stored as built (compressed); {@code docker save} forms store them uncompressed. */
  public boolean keepsCompression() {
    return fileName.startsWith("layout");
  }
}
