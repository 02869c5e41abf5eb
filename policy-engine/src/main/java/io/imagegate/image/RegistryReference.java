package io.imagegate.image;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image name in a registry, {@code [HOST[:PORT]/]REPO[:TAG][@DIGEST]}, parsed with the rules
 * the Docker CLI and the distribution project's {@code reference} package apply: the first path
 * component is a registry host only when it holds a dot or a colon or is {@code localhost} (or is
 * an IPv6 literal in brackets); otherwise the image is on Docker Hub, where a one-component
 * repository lives under {@code library/}. With neither tag nor digest the tag is {@code latest};
 * with both, the digest decides what is fetched and the tag is kept for messages.
 *
 * @param registry the registry as named, lower-cased; Docker Hub is always {@code docker.io}
 * @param repository the repository path, e.g. {@code library/alpine} or {@code team/app/api}
 * @param tag the tag; empty only when a digest is given without one
 * @param digest the manifest digest, when pinned
 */
public record RegistryReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  /** Docker Hub's name in references. */
  public static final String DOCKER_HUB = "docker.io";
  /** The host that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern HOST = Pattern.compile(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+(?:%[a-zA-Z0-9]+)?]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final int MAX_NAME_LENGTH = 255;

  public RegistryReference {
    if (tag.isEmpty() && digest.isEmpty()) {
      throw new IllegalArgumentException("a registry reference needs a tag or a digest");
    }
  }

  /**
   * Parses what follows {@code docker://} (or a bare name); throws {@link IllegalArgumentException}
   * with a one-line message naming the offending part.
   */
  public static RegistryReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty image name");
    }
    String rest = text;
    Optional<Digest> digest = Optional.empty();
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad digest in image name " + text + ": " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/') && colon > rest.lastIndexOf(']')) {
      String t = rest.substring(colon + 1);
      if (!TAG.matcher(t).matches()) {
        throw new IllegalArgumentException("bad tag '" + t + "' in image name " + text
            + " (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
      }
      tag = Optional.of(t);
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.startsWith("[") || first.equals("localhost")
          || !first.toLowerCase(Locale.ROOT).equals(first)) {
        registry = checkRegistry(first, text);
        repository = rest.substring(slash + 1);
      }
    }
    if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API)) {
      registry = DOCKER_HUB;
    }
    if (repository.isEmpty()) {
      throw new IllegalArgumentException("no repository in image name " + text);
    }
    for (String component : repository.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException("bad repository name '" + repository + "' in image name " + text
            + " (lower-case letters and digits, separated by '.', '_', '__' or '-', components joined by '/')");
      }
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("image name longer than " + MAX_NAME_LENGTH + " characters: " + text);
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new RegistryReference(registry, repository, tag, digest);
  }

  private static String checkRegistry(String registry, String text) {
    String host = registry;
    String port = null;
    if (registry.startsWith("[")) {
      int close = registry.indexOf(']');
      host = close < 0 ? registry : registry.substring(0, close + 1);
      String after = close < 0 ? "" : registry.substring(close + 1);
      if (!IPV6.matcher(host).matches() || !(after.isEmpty() || after.startsWith(":"))) {
        throw new IllegalArgumentException("bad registry host '" + registry + "' in image name " + text);
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else if (registry.contains(":")) {
      host = registry.substring(0, registry.indexOf(':'));
      port = registry.substring(registry.indexOf(':') + 1);
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("bad registry host '" + registry + "' in image name " + text);
      }
    } else if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("bad registry host '" + registry + "' in image name " + text);
    }
    if (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535)) {
      throw new IllegalArgumentException("bad port in registry '" + registry + "' in image name " + text);
    }
    return registry.toLowerCase(Locale.ROOT);
  }

  /** The {@code host[:port]} the registry API is served from ({@code registry-1.docker.io} for Docker Hub). */
  public String apiAuthority() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** The host without the port (IPv6 literals keep their brackets). */
  public static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.indexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** What to ask the registry for: the digest when pinned, else the tag. */
  public String manifestSelector() {
    return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
  }

  @Override
  public String toString() {
    return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
