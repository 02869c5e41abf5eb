package io.imagegate.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One filesystem layer of an image: where its blob is, how big it is, and the diff id (the digest
 * of its uncompressed tar) the config promises. {@link #open()} returns the uncompressed tar
 * stream and verifies both digests as it is read.
 *
 * @param index the layer's position, 0 for the base
 * @param blobDigest the compressed blob's digest; empty where the format does not record one
 *     (a classic {@code docker save} {@code layer.tar}, verified by its diff id alone)
 * @param blobSize the blob's size in bytes as stored or declared
 */
public record Layer(
    int index, String mediaType, Optional<Digest> blobDigest, long blobSize, Digest diffId, BlobOpener opener) {

  /** A name for messages: the blob digest where known, else the diff id. */
  public String describe() {
    return "layer " + index + " (" + blobDigest.orElse(diffId) + ")";
  }

  /** Opens the uncompressed tar stream. Read it to the end, then call {@link LayerStream#finish()}. */
  public LayerStream open() {
    InputStream raw;
    try {
      raw = opener.open();
    } catch (IOException e) {
      throw new ImageReadException(describe() + ": cannot open blob: " + e.getMessage(), e);
    }
    return new LayerStream(this, raw);
  }

  /**
   * The uncompressed content of a layer, verified on the way. I/O and decompression failures
   * surface as {@link ImageReadException}s that name the layer.
   */
  public static final class LayerStream extends InputStream {
    private final Layer layer;
    private final VerifyingInputStream rawVerifier;
    private final InputStream rawCounter;
    private final VerifyingInputStream tarVerifier;
    private final Compression compression;

    LayerStream(Layer layer, InputStream raw) {
      this.layer = layer;
      try {
        BufferedInputStream buffered = new BufferedInputStream(raw, 65536);
        this.compression = Compression.sniff(buffered);
        if (layer.blobDigest.isPresent()) {
          rawVerifier = new VerifyingInputStream(buffered, layer.blobDigest.get(), layer.blobSize,
              layer.describe() + " blob");
          rawCounter = rawVerifier;
        } else {
          rawVerifier = null;
          rawCounter = buffered;
        }
        if (compression == Compression.NONE && rawVerifier != null && layer.blobDigest.get().equals(layer.diffId)) {
          // an uncompressed blob is its tar: one digest over the same bytes, hashed once
          tarVerifier = rawVerifier;
        } else {
          tarVerifier = new VerifyingInputStream(compression.decompress(rawCounter), layer.diffId, -1,
              layer.describe() + " uncompressed content (diff id)");
        }
      } catch (IOException | RuntimeException e) {
        // e.g. a corrupt gzip header: no caller will get a stream to close, so close the blob here
        try {
          raw.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e instanceof IOException io ? translate(io) : (RuntimeException) e;
      }
    }

    /** How the blob was compressed. */
    public Compression compression() {
      return compression;
    }

    @Override
    public int read() {
      try {
        return tarVerifier.read();
      } catch (IOException e) {
        throw translate(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        return tarVerifier.read(b, off, len);
      } catch (IOException e) {
        throw translate(e);
      }
    }

    @Override
    public long skip(long n) {
      try {
        return Streams.skipByReading(this, n); // skipped bytes must still be hashed
      } catch (IOException e) {
        throw translate(e);
      }
    }

    /**
     * Reads what is left of the tar and of the blob, so both digests are checked even when the tar
     * reader stopped at its end-of-archive marker. Returns the uncompressed size.
     */
    public long finish() {
      try {
        long size = tarVerifier.drain();
        if (rawVerifier != null) {
          rawVerifier.drain();
        } else {
          rawCounter.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return size;
      } catch (IOException e) {
        throw translate(e);
      }
    }

    /**
     * Finds the root cause of a failure met while reading: when the blob's bytes don't match their
     * digest, a corrupt gzip or tar error is only a symptom. Reads the rest of the raw blob (or,
     * without a blob digest, of the tar) and returns the digest mismatch if there is one, else
     * {@code failure} itself.
     */
    public ImageReadException rootCause(ImageReadException failure) {
      if (!(failure instanceof CorruptContentException)) {
        return failure; // a verification or transport failure is already the cause
      }
      try {
        if (rawVerifier != null) {
          rawVerifier.drain();
        } else {
          tarVerifier.drain();
        }
      } catch (ImageReadException mismatch) {
        mismatch.addSuppressed(failure);
        return mismatch;
      } catch (IOException | RuntimeException e) {
        // the stream can't be read further; the original failure stands
      }
      return failure;
    }

    @Override
    public void close() {
      try {
        tarVerifier.close();
      } catch (IOException e) {
        // closing after a failure; the failure was already reported
      }
    }

    private CorruptContentException translate(IOException e) {
      String kind = switch (compression == null ? Compression.NONE : compression) {
        case GZIP -> "corrupt gzip data";
        case ZSTD -> "corrupt zstd data";
        case NONE -> "read error";
      };
      return new CorruptContentException(layer.describe() + ": " + kind + ": "
          + ImageConfig.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }
}
