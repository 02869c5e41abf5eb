package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Blobs addressed by digest, as an OCI layout (directory or tar), a Docker 25+ save or a registry
 * repository holds them.
 */
public interface BlobStore {
  /** Opens the raw bytes of a blob; a missing blob is an {@link ImageReadException} naming it. */
  InputStream open(Digest digest) throws IOException;

  /**
   * Opens a manifest or index. A layout keeps them among the blobs; a registry serves them from
   * its own endpoint and needs the media type to negotiate the format.
   */
  default InputStream openManifest(Descriptor descriptor) throws IOException {
    return open(descriptor.digest());
  }

  /**
   * Whether the store holds the blob. A remote store that can only tell by asking answers true and
   * reports a missing blob when it is opened.
   */
  boolean contains(Digest digest);

  /** Where the blobs are, for messages. */
  String describe();
}
