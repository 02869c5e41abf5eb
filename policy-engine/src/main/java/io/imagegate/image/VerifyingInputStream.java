package io.imagegate.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes every byte read and, when the underlying stream ends, compares the digest (and the byte
 * count, when one is expected) <em>before</em> reporting end of stream: a reader never sees a
 * clean end of a stream whose content is wrong. Reading past the expected size fails at once, so
 * a blob that grew cannot make us read without bound.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final String what;
  private final MessageDigest md;
  private long count;
  private boolean verified;
  private ImageReadException failure;

  /**
   * @param expectedSize the declared size, or -1 when unknown
   * @param what names the blob in error messages, e.g. {@code layer sha256:…}
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
    this.md = expected.newMessageDigest();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      // once wrong, always wrong: a later read must neither succeed nor tell another story
      throw new ImageReadException(failure.getMessage(), failure);
    }
    if (len == 0) {
      // InputStream's contract: reads nothing and returns 0 (some streams answer -1 at their end)
      return 0;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    md.update(b, off, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      failure = new ImageReadException(what + ": more data than the declared size of " + expectedSize + " bytes");
      throw failure;
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

  private void verify() {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && count != expectedSize) {
      failure = new ImageReadException(
          what + ": truncated: read " + count + " bytes, the descriptor declares " + expectedSize);
      throw failure;
    }
    // a failure is kept (see read): MessageDigest.digest() resets, so checking again would compare
    // the digest of nothing
    Digest actual = Digest.of(expected.algorithm(), md.digest());
    if (!actual.equals(expected)) {
      failure = new ImageReadException(what + ": digest mismatch: content is " + actual + ", expected " + expected);
      throw failure;
    }
    verified = true;
  }

  /** Reads to the end (verifying) and returns the number of bytes this stream has delivered in all. */
  public long drain() throws IOException {
    byte[] buf = new byte[65536];
    while (read(buf, 0, buf.length) >= 0) {
      // discard
    }
    return count;
  }

  /** Bytes delivered so far. */
  public long count() {
    return count;
  }
}
