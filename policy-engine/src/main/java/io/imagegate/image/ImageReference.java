package io.imagegate.image;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the user typed to name an image, parsed into a transport (spelled as skopeo spells them)
 * and its location.
 *
 * <ul>
 *   <li>{@code docker-archive:PATH[:NAME:TAG|:@INDEX]} — a {@code docker save} tar;
 *   <li>{@code oci:DIR[:TAG]} and {@code oci-archive:PATH[:TAG]} — an OCI image layout;
 *   <li>{@code docker-daemon:NAME[:TAG|@DIGEST]} — a Docker engine;
 *   <li>{@code docker://HOST/REPO[:TAG|@DIGEST]} — a registry;
 *   <li>a bare path that exists is sniffed ({@link Transport#PATH}); a bare name means a registry.
 * </ul>
 *
 * @param location the path, or the image name for daemon and registry transports
 * @param selector the tag, {@code NAME:TAG} or {@code @INDEX} after the path; empty when none
 * @param text what the user typed, used to name the image in reports
 */
public record ImageReference(Transport transport, String location, String selector, String text) {

  /** The ways an image can be reached. */
  public enum Transport {
    DOCKER_ARCHIVE("docker-archive"),
    OCI("oci"),
    OCI_ARCHIVE("oci-archive"),
    DOCKER_DAEMON("docker-daemon"),
    DOCKER("docker"),
    /** A bare path whose format is sniffed from its content. */
    PATH("path");

    private final String prefix;

    Transport(String prefix) {
      this.prefix = prefix;
    }

    /** The transport's name as written before the colon. */
    public String prefix() {
      return prefix;
    }
  }

  /** Parses a reference; throws {@link IllegalArgumentException} with a one-line message when malformed. */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty image reference");
    }
    if (text.startsWith("docker://")) {
      String name = text.substring("docker://".length());
      if (name.isEmpty()) {
        throw new IllegalArgumentException("no image after docker:// in " + text);
      }
      RegistryReference.parse(name); // malformed names fail here, before any network
      return new ImageReference(Transport.DOCKER, name, "", text);
    }
    for (Transport t : new Transport[] {Transport.DOCKER_ARCHIVE, Transport.OCI_ARCHIVE, Transport.OCI}) {
      String prefix = t.prefix() + ":";
      if (text.startsWith(prefix)) {
        return pathWithSelector(t, text.substring(prefix.length()), text);
      }
    }
    if (text.startsWith("docker-daemon:")) {
      String name = text.substring("docker-daemon:".length());
      if (name.isEmpty()) {
        throw new IllegalArgumentException("no image name after docker-daemon: in " + text);
      }
      return new ImageReference(Transport.DOCKER_DAEMON, name, "", text);
    }
    Path path = Path.of(text);
    if (Files.exists(path)) {
      return new ImageReference(Transport.PATH, text, "", text);
    }
    if (text.startsWith("/") || text.startsWith("./") || text.startsWith("../") || text.endsWith(".tar")) {
      throw new IllegalArgumentException("no such file or directory: " + text);
    }
    try {
      RegistryReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("neither an existing path nor an image name: " + e.getMessage());
    }
    return new ImageReference(Transport.DOCKER, text, "", text);
  }

  /**
   * Splits {@code PATH[:SELECTOR]}. A path may itself hold colons, so the longest prefix that
   * exists on disk is the path; when none exists the first colon splits (and opening then
   * reports the missing path).
   */
  private static ImageReference pathWithSelector(Transport transport, String rest, String text) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("no path after " + transport.prefix() + ": in " + text);
    }
    if (Files.exists(Path.of(rest))) {
      return new ImageReference(transport, rest, "", text);
    }
    for (int i = rest.lastIndexOf(':'); i > 0; i = rest.lastIndexOf(':', i - 1)) {
      String candidate = rest.substring(0, i);
      if (Files.exists(Path.of(candidate))) {
        return new ImageReference(transport, candidate, rest.substring(i + 1), text);
      }
    }
    int first = rest.indexOf(':');
    return first > 0
        ? new ImageReference(transport, rest.substring(0, first), rest.substring(first + 1), text)
        : new ImageReference(transport, rest, "", text);
  }

  @Override
  public String toString() {
    return text;
  }
}
