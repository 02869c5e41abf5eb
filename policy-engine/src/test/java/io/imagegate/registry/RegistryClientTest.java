package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Tests for {@link RegistryClient}'s small decisions: {@code Retry-After}, origins, backoff. */
class RegistryClientTest {
  @Test
  void retryAfter_secondsOrHttpDate() {
    assertThat(RegistryClient.retryAfter("7")).contains(Duration.ofSeconds(7));
    assertThat(RegistryClient.retryAfter(" 0 ")).contains(Duration.ZERO);
    String inAMinute = ZonedDateTime.now().plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(RegistryClient.retryAfter(inAMinute)).hasValueSatisfying(d ->
        assertThat(d).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
    assertThat(RegistryClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    assertThat(RegistryClient.retryAfter("")).isEmpty();
    assertThat(RegistryClient.retryAfter("soon")).isEmpty();
  }

  @Test
  void sameOrigin_schemeHostAndEffectivePort() {
    assertThat(RegistryClient.sameOrigin(URI.create("https://r.io/v2/a"), URI.create("https://R.IO:443/v2/b"))).isTrue();
    assertThat(RegistryClient.sameOrigin(URI.create("https://r.io/"), URI.create("https://s3.amazonaws.com/x"))).isFalse();
    assertThat(RegistryClient.sameOrigin(URI.create("https://r.io/"), URI.create("http://r.io/"))).isFalse();
    assertThat(RegistryClient.sameOrigin(URI.create("http://127.0.0.1:5000/"), URI.create("http://localhost:5000/"))).isFalse();
    assertThat(RegistryClient.sameOrigin(URI.create("http://r.io:5000/"), URI.create("http://r.io:5001/"))).isFalse();
  }

  @Test
  void backoff_doublesUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10));

    assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoff(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.backoff(60)).isEqualTo(Duration.ofMillis(500));
  }
}
