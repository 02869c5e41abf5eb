package io.imagegate.image;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Layer compression, recognised from the blob's first bytes (media types are often wrong). */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  /** Peeks at the magic number of a stream that supports mark/reset. */
  public static Compression sniff(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** The uncompressed content of {@code in}. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      // buffered: the tar reader asks for 512-byte headers and padding, and one inflate call per
      // small read costs more than the copy out of a buffer
      case GZIP -> new BufferedInputStream(new GZIPInputStream(in, 65536), 65536);
      case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), 65536);
    };
  }
}
