package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link VerifyingInputStream}: a wrong stream fails <em>before</em> its reader sees
 * end of stream, and a stream longer than declared fails as soon as it passes the size.
 */
class VerifyingInputStreamTest {
  private static final byte[] CONTENT = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256Of(CONTENT);

  private static VerifyingInputStream over(byte[] bytes, Digest expected, long size) {
    return new VerifyingInputStream(new ByteArrayInputStream(bytes), expected, size, "blob " + expected.shortHex());
  }

  private static byte[] tampered() {
    byte[] b = CONTENT.clone();
    b[4] ^= 0x01;
    return b;
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 43})
  void read_matchingContent_endsCleanly(long size) throws IOException {
    try (VerifyingInputStream in = over(CONTENT, DIGEST, size)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.count()).isEqualTo(CONTENT.length);
    }
  }

  @Test
  void read_mismatch_throwsInsteadOfEndOfStream() throws IOException {
    try (VerifyingInputStream in = over(tampered(), DIGEST, -1)) {
      // every byte is delivered; it is the end of the stream that is refused
      assertThat(in.readNBytes(CONTENT.length)).hasSize(CONTENT.length);
      assertThatThrownBy(in::read)
          .isInstanceOf(ImageReadException.class)
          .hasMessage("blob " + DIGEST.shortHex() + ": digest mismatch: content is " + Digest.sha256Of(tampered())
              + ", expected " + DIGEST);
    }
  }

  @Test
  void read_mismatchWithBulkReads_throwsOnTheReadThatWouldReturnMinusOne() throws IOException {
    try (VerifyingInputStream in = over(tampered(), DIGEST, CONTENT.length)) {
      byte[] buf = new byte[1024];
      assertThat(in.read(buf, 0, buf.length)).isEqualTo(CONTENT.length);
      assertThatThrownBy(() -> in.read(buf, 0, buf.length)).isInstanceOf(ImageReadException.class)
          .hasMessageContaining("digest mismatch");
    }
  }

  @Test
  void read_afterAFailedVerification_keepsFailing() throws IOException {
    // sha256 of nothing: a verifier that forgot its failure would now see a digest that matches
    Digest empty = Digest.sha256Of(new byte[0]);
    try (VerifyingInputStream in = over(CONTENT, empty, -1)) {
      in.readNBytes(CONTENT.length);
      assertThatThrownBy(in::read).isInstanceOf(ImageReadException.class).hasMessageContaining("digest mismatch");
      assertThatThrownBy(in::read).isInstanceOf(ImageReadException.class).hasMessageContaining("digest mismatch");
      assertThatThrownBy(in::drain).isInstanceOf(ImageReadException.class).hasMessageContaining("digest mismatch");
    }
  }

  @Test
  void read_pastTheDeclaredSize_throwsBeforeReturningTheExtraBytes() throws IOException {
    byte[] longer = (new String(CONTENT, StandardCharsets.UTF_8) + " and more").getBytes(StandardCharsets.UTF_8);
    try (VerifyingInputStream in = over(longer, Digest.sha256Of(longer), CONTENT.length)) {
      assertThat(in.readNBytes(CONTENT.length)).isEqualTo(Arrays.copyOf(longer, CONTENT.length));
      assertThatThrownBy(in::read)
          .isInstanceOf(ImageReadException.class)
          .hasMessage("blob " + Digest.sha256Of(longer).shortHex() + ": more data than the declared size of "
              + CONTENT.length + " bytes");
    }
  }

  @Test
  void drain_afterReadingPastTheDeclaredSize_keepsSayingSo() throws IOException {
    // a caller looking for the root cause drains the stream: it must not now hear "truncated"
    byte[] longer = new byte[1000];
    try (VerifyingInputStream in = over(longer, Digest.sha256Of(longer), 900)) {
      assertThatThrownBy(() -> in.read(new byte[4096], 0, 4096)).hasMessageContaining("more data than the declared size");
      assertThatThrownBy(in::drain).isInstanceOf(ImageReadException.class)
          .hasMessageContaining("more data than the declared size of 900 bytes");
      assertThatThrownBy(in::read).hasMessageContaining("more data than the declared size");
    }
  }

  @Test
  void read_bulkReadCrossingTheDeclaredSize_throws() {
    byte[] longer = new byte[100_000];
    VerifyingInputStream in = over(longer, Digest.sha256Of(longer), 10);

    assertThatThrownBy(() -> in.read(new byte[65536], 0, 65536))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("more data than the declared size of 10 bytes");
  }

  @Test
  void read_shorterThanDeclared_throwsTruncatedBeforeEndOfStream() throws IOException {
    try (VerifyingInputStream in = over(CONTENT, DIGEST, CONTENT.length + 5)) {
      assertThat(in.readNBytes(CONTENT.length)).isEqualTo(CONTENT);
      assertThatThrownBy(in::read)
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining("truncated: read 43 bytes, the descriptor declares 48");
    }
  }

  @Test
  void skip_stillHashesTheSkippedBytes() throws IOException {
    try (VerifyingInputStream in = over(tampered(), DIGEST, -1)) {
      assertThat(in.skip(CONTENT.length)).isEqualTo(CONTENT.length);
      assertThat(in.count()).isEqualTo(CONTENT.length);
      assertThatThrownBy(in::read).isInstanceOf(ImageReadException.class).hasMessageContaining("digest mismatch");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void skip_nothingOrNegative_skipsNothing(long n) throws IOException {
    try (VerifyingInputStream in = over(CONTENT, DIGEST, -1)) {
      assertThat(in.skip(n)).isZero();
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void drain_readsToTheEndAndVerifies() throws IOException {
    try (VerifyingInputStream in = over(CONTENT, DIGEST, CONTENT.length)) {
      in.readNBytes(3);
      assertThat(in.drain()).isEqualTo(CONTENT.length);
    }
    try (VerifyingInputStream in = over(tampered(), DIGEST, CONTENT.length)) {
      assertThatThrownBy(in::drain).isInstanceOf(ImageReadException.class);
    }
  }

  @Test
  void markSupported_isFalseEvenOverAMarkableStream() throws IOException {
    try (InputStream in = over(CONTENT, DIGEST, -1)) {
      assertThat(in.markSupported()).isFalse();
    }
  }
}
