package io.imagegate.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as a blocking stream, with an idle timeout: the JDK client's own
 * {@code ofInputStream()} waits for ever when a server stops sending mid-body, and a stalled
 * layer download must fail (and be resumed) instead. Demand runs {@value #READ_AHEAD} buffer
 * lists ahead of the reader, so the client keeps receiving while the scanner works (one list at
 * a time made every buffer a round trip between the two threads) and memory stays bounded however
 * fast the server sends and however slowly the scanner reads.
 */
final class BodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
  private static final Object END = new Object();
  /** Buffer lists requested ahead of the reader. */
  static final int READ_AHEAD = 4;

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Duration idleTimeout;
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> pending = Collections.emptyIterator();
  private ByteBuffer current;
  private boolean done;

  BodyStream(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(READ_AHEAD);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    ByteBuffer b = buffer();
    return b == null ? -1 : b.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    ByteBuffer buf = buffer();
    if (buf == null) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  private ByteBuffer buffer() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (pending.hasNext()) {
        current = pending.next();
        continue;
      }
      if (done) {
        return null;
      }
      if (closed) {
        throw new IOException("response body closed");
      }
      Object next;
      try {
        next = queue.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new InterruptedIOException("interrupted while reading a response body");
      }
      if (next == null) {
        close();
        throw new HttpTimeoutException("no data received for " + idleTimeout.toMillis() + " ms");
      }
      if (next == END) {
        done = true;
        return null;
      }
      if (next instanceof Throwable t) {
        done = true;
        throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> buffers = (List<ByteBuffer>) next;
      pending = buffers.iterator();
      subscription.request(1);
    }
    return current;
  }

  /** Reads at most {@code max} bytes; more is an error (the caller names the limit). */
  byte[] readAtMost(int max) throws IOException {
    byte[] bytes = readNBytes(max + 1);
    close();
    return bytes;
  }

  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
