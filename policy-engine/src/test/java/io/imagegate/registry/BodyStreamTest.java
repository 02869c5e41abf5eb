package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tests for {@link BodyStream}: bounded read-ahead demand, end, errors and the idle timeout. */
class BodyStreamTest {
  /** Counts what the stream asks for; the test plays the client and sends only what was asked. */
  private static final class Demand implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    volatile boolean cancelled;

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private static List<ByteBuffer> chunk(String s) {
    return List.of(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void demandRunsAheadOfTheReader_byABoundedNumberOfBufferLists() throws IOException {
    BodyStream body = new BodyStream(Duration.ofSeconds(5));
    Demand demand = new Demand();
    body.onSubscribe(demand);
    assertThat(demand.requested.get()).as("asked ahead before any read").isEqualTo(BodyStream.READ_AHEAD);
    long sent = 0;
    StringBuilder expected = new StringBuilder();
    StringBuilder read = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      // the client sends all it was asked for; the stream never asks for more than READ_AHEAD unread lists
      while (sent < demand.requested.get()) {
        String s = "chunk" + sent + ";";
        expected.append(s);
        body.onNext(chunk(s));
        sent++;
      }
      assertThat(demand.requested.get() - read.toString().chars().filter(c -> c == ';').count())
          .isLessThanOrEqualTo(BodyStream.READ_AHEAD + 1);
      byte[] b = new byte[64];
      int n = body.read(b, 0, b.length);
      read.append(new String(b, 0, n, StandardCharsets.UTF_8));
    }
    body.onComplete();
    read.append(new String(body.readAllBytes(), StandardCharsets.UTF_8));
    assertThat(read.toString()).isEqualTo(expected.toString());
  }

  @Test
  void anError_isThrownToTheReader_afterWhatCameBefore() throws IOException {
    BodyStream body = new BodyStream(Duration.ofSeconds(5));
    body.onSubscribe(new Demand());
    body.onNext(chunk("abc"));
    body.onError(new IOException("connection reset"));
    byte[] b = new byte[3];
    assertThat(body.readNBytes(b, 0, 3)).isEqualTo(3);
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
  }

  @Test
  void aServerThatStopsSending_timesOut_andCancels() {
    BodyStream body = new BodyStream(Duration.ofMillis(50));
    Demand demand = new Demand();
    body.onSubscribe(demand);
    assertThatThrownBy(body::read).isInstanceOf(HttpTimeoutException.class);
    assertThat(demand.cancelled).isTrue();
  }
}
