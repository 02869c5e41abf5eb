package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;

/** Blobs addressed by digest, as an OCI layout (directory or tar) or a Docker 25+ save holds them. */
public interface BlobStore {
  /** Opens the raw bytes of a blob; a missing blob is an {@link ImageReadException} naming it. */
  InputStream open(Digest digest) throws IOException;

  /** Whether the store holds the blob. */
  boolean contains(Digest digest);

  /** Where the blobs are, for messages. */
  String describe();
}
