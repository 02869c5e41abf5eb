package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;

/** Stream helpers shared by the verifying and digesting streams. */
public final class Streams {
  private Streams() {}

  /**
   * Skips by reading through {@code in}'s own {@code read}, so every skipped byte is still
   * hashed and counted: {@code InputStream.skip} of the wrapped stream would bypass the digest.
   */
  public static long skipByReading(InputStream in, long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    byte[] scratch = new byte[(int) Math.min(n, 65536)];
    long done = 0;
    while (done < n) {
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }
}
