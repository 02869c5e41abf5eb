package io.imagegate.engine;

import io.imagegate.image.Digest;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Waiver;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.report.WaiverSummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a policy's exceptions: marks the findings they waive, and afterwards tells, for the
 * whole run, which exceptions were in force, which expired and which matched nothing (stale).
 */
final class Waivers {
  private static final List<String> ARCHIVE_TRANSPORTS = List.of("docker-archive:", "oci-archive:", "oci:");

  private Waivers() {}

  /**
   * The names an exception's {@code images} globs are matched against: the reference as typed,
   * the report's name for it (which adds the platform for one of several), the repository (the
   * reference without transport, tag or digest, for registry and daemon references and bare
   * names), and the manifest digest.
   */
  static Set<String> imageNames(String reference, String name, Optional<Digest> manifestDigest) {
    Set<String> names = new LinkedHashSet<>();
    names.add(reference);
    names.add(name);
    repository(reference).ifPresent(names::add);
    manifestDigest.ifPresent(d -> names.add(d.toString()));
    return names;
  }

  static Set<String> imageNames(ImageReport image) {
    return imageNames(image.reference(), image.name(), image.manifestDigest());
  }

  /** {@code registry.example.com:5000/team/app} from {@code docker://registry.example.com:5000/team/app:1.2@sha256:…}. */
  static Optional<String> repository(String reference) {
    for (String t : ARCHIVE_TRANSPORTS) {
      if (reference.startsWith(t)) {
        return Optional.empty();
      }
    }
    String r = reference;
    if (r.startsWith("docker://")) {
      r = r.substring("docker://".length());
    } else if (r.startsWith("docker-daemon:")) {
      r = r.substring("docker-daemon:".length());
    }
    int at = r.indexOf('@');
    if (at >= 0) {
      r = r.substring(0, at);
    }
    int colon = r.lastIndexOf(':');
    if (colon > r.lastIndexOf('/')) {
      r = r.substring(0, colon);
    }
    return r.isEmpty() ? Optional.empty() : Optional.of(r);
  }

  /**
   * The findings with the first exception in force that matches each marked as its suppression.
   * Expired exceptions mark nothing.
   */
  static List<Finding> apply(List<Finding> findings, List<Waiver> waivers, Set<String> imageNames, LocalDate today) {
    if (waivers.isEmpty()) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Optional<Waiver> match = waivers.stream()
          .filter(w -> !w.expired(today) && w.matches(f.ruleId(), f.location().path(), imageNames))
          .findFirst();
      out.add(match.map(w -> suppressed(f, w)).orElse(f));
    }
    return out;
  }

  private static Finding suppressed(Finding f, Waiver w) {
    return new Finding(f.ruleId(), f.ruleType(), f.severity(), f.message(), f.location(), f.layer(),
        Optional.of(new Finding.Suppression(w.reason(), w.origin(), w.until())), f.source());
  }

  /** Every exception of the policy with what became of it over these images. */
  static List<WaiverSummary> summarize(Policy policy, List<ImageReport> images, LocalDate today) {
    List<WaiverSummary> out = new ArrayList<>();
    for (Waiver w : policy.exceptions()) {
      int matched = 0;
      boolean unreadableInScope = false;
      for (ImageReport image : images) {
        Set<String> names = imageNames(image);
        if (image.verdict() == Verdict.ERROR && image.error().isPresent() && w.matchesImage(names)) {
          unreadableInScope = true;
        }
        for (Finding f : image.findings()) {
          if (w.matches(f.ruleId(), f.location().path(), names)) {
            matched++;
          }
        }
      }
      String what = "exception for " + w.rule() + " (" + w.origin() + ")";
      if (w.expired(today)) {
        String message = what + " expired after " + w.until().orElseThrow() + ": "
            + (matched == 0 ? "it matches no finding in this run; remove it"
                : matched == 1 ? "the finding it matches counts again; fix it or renew the exception"
                : "the " + matched + " findings it matches count again; fix them or renew the exception")
            + " (reason: " + w.reason() + ")";
        out.add(WaiverSummary.of(w, WaiverSummary.Status.EXPIRED, matched, message));
      } else if (matched == 0 && !unreadableInScope) {
        Optional<String> noRule = policy.unmatchedRule(w);
        String message = noRule.map(problem -> what + " " + problem + "; it can never apply: fix or remove it")
            .orElse(what + " matched no finding in this run; remove it if it is no longer needed");
        out.add(WaiverSummary.of(w, WaiverSummary.Status.STALE, 0, message));
      } else {
        out.add(WaiverSummary.of(w, WaiverSummary.Status.ACTIVE, matched,
            what + " waives " + plural(matched, "finding") + " until " + w.until().map(Object::toString).orElse("further notice")));
      }
    }
    return out;
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
