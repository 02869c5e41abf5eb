package io.imagegate.registry;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

/**
 * A user name and secret for one registry, and where they came from (named in error messages,
 * so a user learns which credentials were refused). {@link #toString()} never shows the secret.
 *
 * @param username the user, or {@code <token>} when {@code secret} is an OAuth2 refresh ("identity") token
 * @param source where they came from, e.g. {@code --username/--password-stdin} or {@code ~/.docker/config.json (auths)}
 */
public record RegistryCredentials(String username, String secret, String source) {
  /** The user name credential helpers and {@code docker login} use for an identity token. */
  public static final String IDENTITY_TOKEN_USER = "<token>";

  /** Whether the secret is an OAuth2 refresh token to trade at the token endpoint, not a password. */
  public boolean identityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  /** The value of an HTTP basic {@code Authorization} header. */
  String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** Who, for messages: the user name (not secret) and the source. */
  public String describe() {
    return (identityToken() ? "an identity token" : "user '" + username + "'") + " from " + source;
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", secret=***, source=" + source + "]";
  }
}
