package io.imagegate.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Computes the sha256 of every byte read and counts them, for content whose digest is learnt only
 * afterwards (a {@code save} stream names its layers' diff ids at its end). Refuses to read past
 * {@code max} bytes, so a stream without a declared size cannot make a reader run without bound.
 * Unlike {@link VerifyingInputStream} it checks nothing itself: the caller compares
 * {@link #digest()} once the stream is read to its end. Closing it leaves the underlying stream open.
 */
public final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest md = Digest.newSha256();
  private final long max;
  private final String what;
  private long count;

  /**
   * @param max the most bytes this stream may deliver
   * @param what names the content in error messages
   */
  public DigestingInputStream(InputStream in, long max, String what) {
    super(in);
    this.max = max;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      md.update(b, off, n);
      count += n;
      if (count > max) {
        throw new ImageReadException(what + ": more than " + max + " bytes");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return Streams.skipByReading(this, n);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // the caller owns the underlying stream
  }

  /** Reads what is left, then returns the digest of everything read. */
  public Digest finish() throws IOException {
    byte[] buf = new byte[65536];
    while (read(buf, 0, buf.length) >= 0) {
      // hashed on the way
    }
    return Digest.sha256(md.digest());
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }
}
