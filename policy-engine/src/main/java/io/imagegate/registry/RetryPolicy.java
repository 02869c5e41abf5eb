package io.imagegate.registry;

import java.time.Duration;

/**
 * How often and how long a registry request is retried when the registry is busy (429), failing
 * (500, 502, 503, 504) or the connection breaks or times out: at most {@code maxAttempts} tries in
 * all, waiting {@code initialBackoff}, then twice that, and so on up to {@code maxBackoff} (or what
 * {@code Retry-After} asks), and never past {@code maxElapsed} since the first try.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {
  /** Five tries within a minute, starting at half a second. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(60));
  /** One try. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The wait before attempt {@code attempt + 1} after {@code attempt} failed tries, without jitter. */
  Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
