package io.imagegate.registry;

import io.imagegate.image.ImageReadException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * A blob download that survives a broken connection: when the body fails mid-way (reset, early
 * end, a stall past the read timeout) it asks again from the byte it got to, with an HTTP
 * {@code Range}, within the retry policy. The bytes it returns are each delivered once, so the
 * digest verification above it sees the blob exactly as if it had come in one piece.
 */
final class ResumingStream extends InputStream {
  /** Opens the blob from {@code offset} (0 for the whole). */
  interface Opener {
    InputStream open(long offset);
  }

  private final Opener opener;
  private final RetryPolicy retry;
  private final String what;
  private InputStream current;
  private long offset;
  private int failures;

  /** Opens at once, so a missing blob or a refused request fails here rather than at the first read. */
  ResumingStream(Opener opener, RetryPolicy retry, String what) {
    this.opener = opener;
    this.retry = retry;
    this.what = what;
    this.current = opener.open(0);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          offset += n;
        }
        return n;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        failures++;
        current.close();
        if (failures >= retry.maxAttempts()) {
          throw new ImageReadException(String.format(Locale.ROOT, "%s: download broke off at byte %d; gave up after %d attempts: %s",
              what, offset, failures, RegistryClient.describe(e)), e);
        }
        RegistryClient.sleep(retry.backoff(failures), what);
        current = opener.open(offset);
      }
    }
  }

  @Override
  public void close() throws IOException {
    current.close();
  }
}
