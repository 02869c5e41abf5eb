package io.imagegate.registry;

import java.util.Optional;

/**
 * Where credentials for a registry come from. Asked only when a registry demands authentication,
 * so an anonymous pull never runs a credential helper.
 */
public interface CredentialSource {
  /**
   * The credentials for {@code registry} ({@code host[:port]} as the reference names it, Docker Hub
   * as {@code docker.io}), if this source has some.
   *
   * @throws io.imagegate.image.ImageReadException when the source is broken (a malformed config, a
   *     failing credential helper) rather than merely silent
   */
  Optional<RegistryCredentials> find(String registry);

  /** What this source consults, for "tried: …" in messages. */
  String describe();
}
