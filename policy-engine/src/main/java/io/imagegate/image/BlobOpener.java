package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;

/** Opens a blob's raw bytes; may be called again (layers are lazy, not buffered). */
@FunctionalInterface
public interface BlobOpener {
  InputStream open() throws IOException;
}
