package io.imagegate.registry;

import io.imagegate.image.RegistryReference;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * How {@link RegistrySource} talks to registries.
 *
 * @param credentials asked when a registry demands authentication
 * @param insecureRegistries {@code host} or {@code host:port} entries that may be spoken to over plain
 *     HTTP; loopback hosts always may. TLS, when spoken, is always verified.
 * @param retry for 429, 5xx, broken connections and timeouts
 * @param connectTimeout for opening a connection
 * @param readTimeout for the response headers, and for any pause while a body streams in
 * @param sslContext the trust to verify registries with; empty for the JVM's default trust store
 * @param userAgent sent with every request
 */
public record RegistryOptions(
    CredentialSource credentials,
    Set<String> insecureRegistries,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration readTimeout,
    Optional<SSLContext> sslContext,
    String userAgent) {

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(?:\\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
  private static final Set<String> IPV6_LOOPBACK = Set.of("[::1]", "[0:0:0:0:0:0:0:1]");

  public RegistryOptions {
    insecureRegistries = insecureRegistries.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /** Credentials from the environment and the Docker config, no insecure registries, default retries and timeouts. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(CredentialSources.standard(), Set.of(), RetryPolicy.DEFAULT, Duration.ofSeconds(15),
        Duration.ofSeconds(60), Optional.empty(), "imagegate");
  }

  public RegistryOptions withCredentials(CredentialSource c) {
    return new RegistryOptions(c, insecureRegistries, retry, connectTimeout, readTimeout, sslContext, userAgent);
  }

  public RegistryOptions withInsecureRegistries(Set<String> hosts) {
    return new RegistryOptions(credentials, hosts, retry, connectTimeout, readTimeout, sslContext, userAgent);
  }

  public RegistryOptions withTimeouts(Duration connect, Duration read) {
    return new RegistryOptions(credentials, insecureRegistries, retry, connect, read, sslContext, userAgent);
  }

  public RegistryOptions withSslContext(SSLContext context) {
    return new RegistryOptions(credentials, insecureRegistries, retry, connectTimeout, readTimeout,
        Optional.of(context), userAgent);
  }

  public RegistryOptions withUserAgent(String agent) {
    return new RegistryOptions(credentials, insecureRegistries, retry, connectTimeout, readTimeout, sslContext, agent);
  }

  /**
   * Whether {@code authority} ({@code host[:port]}) may be spoken to over plain HTTP: a loopback host
   * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) or one listed, with or without its port.
   * Names are not resolved: a DNS name that happens to point at 127.0.0.1 is not loopback.
   */
  public boolean allowsPlainHttp(String authority) {
    String a = authority.toLowerCase(Locale.ROOT);
    String host = RegistryReference.hostOf(a);
    return isLoopback(host) || insecureRegistries.contains(a) || insecureRegistries.contains(host);
  }

  /** Whether {@code host} (no port; IPv6 in brackets) is a loopback literal or {@code localhost}. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || IPV6_LOOPBACK.contains(h);
  }
}
