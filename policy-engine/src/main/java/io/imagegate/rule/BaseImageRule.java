package io.imagegate.rule;

import io.imagegate.image.Digest;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.NameGlob;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code base-image}: the image is built on an approved base, recognised by the OCI base-image
 * labels ({@code org.opencontainers.image.base.name} / {@code .base.digest}) or, more strongly, by
 * its leading layers' diff ids being exactly those of an approved base.
 *
 * <p>Matching by reference (pulling the approved base to read its diff ids) is not done here: the
 * rule takes the diff ids as parameters, and the labels as the builder wrote them.
 */
public final class BaseImageRule implements RuleType {
  static final String BASE_NAME = "org.opencontainers.image.base.name";
  static final String BASE_DIGEST = "org.opencontainers.image.base.digest";

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Built on an approved base image",
      "The image must be built on one of the approved bases. An approved base is given by name (a reference, "
          + "where * matches anything, e.g. gcr.io/distroless/*; without a tag any tag matches; Docker Hub short "
          + "names like alpine mean docker.io/library/alpine), by digest, and/or by its layers' diff ids. The image "
          + "matches by labels when its " + BASE_NAME + " (and " + BASE_DIGEST + ") labels match every name and "
          + "digest the entry gives, and by layers when its first layers' diff ids are exactly the entry's diff ids. "
          + "Labels are what the builder claims (docker buildx and the OCI annotations set them; anyone can set them "
          + "by hand); diff ids prove the layers are the base's. Set trust-labels: false to accept only diff ids.",
      "Rebuild FROM an approved base (find its diff ids with docker inspect --format '{{json .RootFS.Layers}}' BASE or "
          + "crane config BASE), or ask for the base to be approved. Let the builder record the base: docker buildx "
          + "build writes the base labels when given --label or via docker/metadata-action.",
      List.of(
          new RuleDocumentation.Parameter("allowed", "list of {name, digest, diff-ids}", "Approved bases: name (reference glob), digest (manifest digest), diff-ids (the base's layer diff ids, in order).", ""),
          new RuleDocumentation.Parameter("trust-labels", "boolean", "Accept the base labels as evidence; when false only diff ids count.", "true")),
      List.of("security", "supply-chain", "cis-docker-4.2"));

  @Override
  public String name() {
    return "base-image";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  /** One approved base. */
  private record Approved(Optional<Reference> name, Optional<Digest> digest, List<Digest> diffIds) {
    String describe() {
      List<String> parts = new ArrayList<>();
      name.ifPresent(n -> parts.add(n.text));
      digest.ifPresent(d -> parts.add(d.toString()));
      if (!diffIds.isEmpty()) {
        parts.add("diff ids " + diffIds.get(0).toString().substring(0, Math.min(19, diffIds.get(0).toString().length()))
            + "… (" + diffIds.size() + " layers)");
      }
      return String.join(" ", parts);
    }
  }

  @Override
  public Check configure(RuleParameters p) {
    List<Approved> approved = new ArrayList<>();
    for (RuleParameters a : p.objects("allowed", Set.of("name", "digest", "diff-ids"))) {
      Optional<Reference> name = a.string("name").map(n -> {
        if (n.isBlank()) {
          throw a.error("name", "expected an image reference such as gcr.io/distroless/static-debian12");
        }
        try {
          return Reference.parse(n, true);
        } catch (IllegalArgumentException e) {
          throw a.error("name", e.getMessage());
        }
      });
      Optional<Digest> digest = a.string("digest").map(d -> digest(a, "digest", d));
      List<Digest> diffIds = a.strings("diff-ids").stream().map(d -> digest(a, "diff-ids", d)).toList();
      if (name.isEmpty() && digest.isEmpty() && diffIds.isEmpty()) {
        throw a.error("an approved base needs name, digest or diff-ids");
      }
      approved.add(new Approved(name, digest, diffIds));
    }
    if (approved.isEmpty()) {
      throw p.error("allowed", "base-image needs at least one approved base (e.g. allowed: [{name: gcr.io/distroless/*}])");
    }
    boolean trustLabels = p.bool("trust-labels").orElse(true);
    return facts -> {
      Map<String, String> labels = facts.config().labels();
      Optional<Reference> baseName = Optional.ofNullable(labels.get(BASE_NAME)).filter(s -> !s.isBlank()).flatMap(s -> {
        try {
          return Optional.of(Reference.parse(s, false));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      });
      Optional<String> baseDigest = Optional.ofNullable(labels.get(BASE_DIGEST)).filter(s -> !s.isBlank());
      List<Digest> diffIds = facts.config().diffIds();
      for (Approved a : approved) {
        if (!a.diffIds.isEmpty() && diffIds.size() >= a.diffIds.size() && diffIds.subList(0, a.diffIds.size()).equals(a.diffIds)) {
          return List.of();
        }
        if (trustLabels && (a.name.isPresent() || a.digest.isPresent())
            && a.name.map(n -> baseName.map(n::matches).orElse(false)).orElse(true)
            && a.digest.map(d -> baseDigest.map(d.toString()::equals).orElse(false)
                || baseName.flatMap(b -> b.digest).map(d.toString()::equals).orElse(false)).orElse(true)) {
          return List.of();
        }
      }
      String list = approved.stream().map(Approved::describe).collect(Collectors.joining("; "));
      String claimed = labels.containsKey(BASE_NAME) ? labels.get(BASE_NAME)
          : baseDigest.map(d -> "digest " + d).orElse(null);
      String message;
      if (claimed != null && trustLabels) {
        message = "base image " + claimed + " is not approved (approved: " + list + ")";
      } else if (claimed != null) {
        message = "base image cannot be verified: the labels say " + claimed + " but labels are not trusted, and the "
            + "image's layers do not start with the diff ids of an approved base (approved: " + list + ")";
      } else {
        message = "cannot tell the base image: the image has no " + BASE_NAME + " or " + BASE_DIGEST
            + " label, and its layers do not start with the diff ids of an approved base (approved: " + list + ")";
      }
      return List.of(new Violation(message, Location.config("Labels"), Map.of("base", claimed == null ? "" : claimed)));
    };
  }

  private static Digest digest(RuleParameters p, String key, String text) {
    try {
      return Digest.parse(text);
    } catch (IllegalArgumentException e) {
      throw p.error(key, e.getMessage());
    }
  }

  /**
   * An image reference split as Docker does: registry domain (docker.io when the first component
   * is not a host), repository path (library/ for a one-part Docker Hub name), tag, digest.
   */
  record Reference(String text, String repository, Optional<String> tag, Optional<String> digest,
      Optional<NameGlob> repositoryGlob, Optional<NameGlob> tagGlob) {

    static Reference parse(String text, boolean pattern) {
      String s = text.trim();
      Optional<String> digest = Optional.empty();
      int at = s.indexOf('@');
      if (at >= 0) {
        digest = Optional.of(s.substring(at + 1));
        s = s.substring(0, at);
      }
      int slash = s.indexOf('/');
      String domain = "docker.io";
      String path = s;
      if (slash > 0) {
        String first = s.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          domain = first.equals("index.docker.io") ? "docker.io" : first;
          path = s.substring(slash + 1);
        }
      }
      Optional<String> tag = Optional.empty();
      int colon = path.lastIndexOf(':');
      if (colon >= 0 && colon > path.lastIndexOf('/')) {
        tag = Optional.of(path.substring(colon + 1));
        path = path.substring(0, colon);
      }
      if (path.isEmpty()) {
        throw new IllegalArgumentException("'" + text + "' has no repository name");
      }
      if (domain.equals("docker.io") && !path.contains("/")) {
        path = "library/" + path;
      }
      String repository = domain + "/" + path;
      return new Reference(text, repository, tag, digest,
          pattern ? Optional.of(NameGlob.compile(repository)) : Optional.empty(),
          pattern ? tag.map(NameGlob::compile) : Optional.empty());
    }

    /** Whether {@code actual} (a label's reference) matches this pattern. */
    boolean matches(Reference actual) {
      if (!repositoryGlob.orElseThrow().matches(actual.repository)) {
        return false;
      }
      if (tagGlob.isPresent() && (actual.tag.isEmpty() || !tagGlob.get().matches(actual.tag.get()))) {
        return false;
      }
      return digest.isEmpty() || digest.equals(actual.digest);
    }
  }
}
