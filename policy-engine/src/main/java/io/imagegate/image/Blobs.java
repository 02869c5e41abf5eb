package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;

/** Reading small blobs (manifests, indexes, configs) whole, bounded and verified. */
public final class Blobs {
  /** The largest manifest or index we read. Registries cap manifests at 4 MiB too. */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;
  /** The largest config we read. */
  public static final int MAX_CONFIG_BYTES = 16 << 20;

  private Blobs() {}

  /**
   * Reads a whole blob, verifying digest and (when {@code size >= 0}) size, refusing more than
   * {@code max} bytes.
   */
  public static byte[] readVerified(InputStream in, Digest digest, long size, int max, String what) {
    if (size > max) {
      throw new ImageReadException(what + ": declared size " + size + " exceeds the limit of " + max + " bytes");
    }
    try (VerifyingInputStream v = new VerifyingInputStream(in, digest, size, what)) {
      byte[] bytes = v.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new ImageReadException(what + ": larger than the limit of " + max + " bytes");
      }
      v.drain();
      return bytes;
    } catch (IOException e) {
      throw new ImageReadException(what + ": read error: " + e.getMessage(), e);
    }
  }

  /** Reads and verifies a blob of a {@link BlobStore}. */
  public static byte[] readVerified(BlobStore store, Descriptor d, int max, String what) {
    return read(store, d, max, what, () -> store.open(d.digest()));
  }

  /** Reads and verifies a manifest or index of a {@link BlobStore}, at most {@link #MAX_MANIFEST_BYTES}. */
  public static byte[] readManifest(BlobStore store, Descriptor d) {
    return read(store, d, MAX_MANIFEST_BYTES, "manifest", () -> store.openManifest(d));
  }

  private static byte[] read(BlobStore store, Descriptor d, int max, String what, BlobOpener opener) {
    if (!store.contains(d.digest())) {
      throw new ImageReadException(what + " " + d.digest() + " is missing from " + store.describe());
    }
    try {
      return readVerified(opener.open(), d.digest(), d.size(), max, what + " " + d.digest());
    } catch (IOException e) {
      throw new ImageReadException(what + " " + d.digest() + ": cannot open: " + e.getMessage(), e);
    }
  }
}
