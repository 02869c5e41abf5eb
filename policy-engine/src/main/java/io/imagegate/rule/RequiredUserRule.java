package io.imagegate.rule;

import io.imagegate.facts.Accounts;
import io.imagegate.facts.ImageFacts;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code required-user}: the config's {@code User} must be set and must not be root. Empty,
 * {@code root}, {@code 0}, {@code 0:0}, {@code root:root}, {@code 0:root} and any name the image's
 * {@code /etc/passwd} maps to uid 0 all fail.
 */
public final class RequiredUserRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Runs as a non-root user",
      "The image config must set USER to a user that is not root. An unset USER, root, uid 0 (0, 0:0, root:root, "
          + "0:root) and any name that the image's /etc/passwd maps to uid 0 fail. A named user that the image's "
          + "/etc/passwd does not define fails too: the container would not start, and the gate cannot tell its uid. "
          + "A process running as root in the container is root on the host if it escapes.",
      "Create an unprivileged user in the build and switch to it in the final stage, e.g. "
          + "`RUN useradd --uid 10001 --no-create-home app` then `USER 10001`. In a scratch image, COPY an "
          + "/etc/passwd with the user from the builder stage. Kubernetes runAsNonRoot needs a numeric uid.",
      List.of(
          new RuleDocumentation.Parameter("numeric", "boolean", "Require a numeric uid (as Kubernetes runAsNonRoot needs to verify it).", "false"),
          new RuleDocumentation.Parameter("must-resolve", "boolean", "Require the user (name or uid) to exist in the image's /etc/passwd.", "false"),
          new RuleDocumentation.Parameter("allowed", "list of users", "Only these users (names or uids, as written in USER before any ':group') are accepted.", "")),
      List.of("security", "cis-docker-4.1"));

  @Override
  public String name() {
    return "required-user";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    boolean numeric = p.bool("numeric").orElse(false);
    boolean mustResolve = p.bool("must-resolve").orElse(false);
    List<String> allowed = p.strings("allowed");
    return facts -> evaluate(facts, numeric, mustResolve, allowed);
  }

  private static List<Violation> evaluate(ImageFacts facts, boolean numeric, boolean mustResolve, List<String> allowed) {
    Location where = Location.config("User");
    String spec = facts.config().user().trim();
    List<Violation> out = new ArrayList<>();
    if (spec.isEmpty()) {
      out.add(new Violation("USER is not set: the container runs as root", where, Map.of("user", "")));
      return out;
    }
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    Optional<Accounts> accounts = facts.accounts();
    Optional<Long> numericUid = Accounts.parseId(user);
    Optional<Long> uid = numericUid.isPresent() ? numericUid : accounts.flatMap(a -> a.uid(user));
    Map<String, String> values = Map.of("user", spec);

    if (user.equals("root") || uid.map(u -> u == 0).orElse(false)) {
      String how = user.equals("root") || numericUid.isPresent() ? "" : " (/etc/passwd maps " + user + " to uid 0)";
      out.add(new Violation("USER " + spec + " is root" + how, where, values));
      return out;
    }
    if (!allowed.isEmpty() && !allowed.contains(user) && !allowed.contains(spec)) {
      out.add(new Violation("USER " + spec + " is not one of the allowed users " + allowed, where, values));
    }
    if (numeric && numericUid.isEmpty()) {
      out.add(new Violation("USER " + spec + " is a name, not a numeric uid (Kubernetes runAsNonRoot cannot verify a name)"
          + uid.map(u -> "; use USER " + u + (colon < 0 ? "" : spec.substring(colon))).orElse(""), where, values));
    }
    if (numericUid.isEmpty() && uid.isEmpty()) {
      String why = accounts.isEmpty() ? "the image has no /etc/passwd" : "/etc/passwd has no user " + user;
      out.add(new Violation("USER " + spec + " cannot be resolved (" + why
          + "): the container would fail to start and its uid cannot be checked", where, values));
    } else if (mustResolve && numericUid.isPresent()
        && accounts.flatMap(a -> a.userName(numericUid.get())).isEmpty()) {
      String why = accounts.isEmpty() ? "the image has no /etc/passwd" : "/etc/passwd has no uid " + numericUid.get();
      out.add(new Violation("USER " + spec + " does not resolve to a user in the image (" + why + ")", where, values));
    }
    return out;
  }
}
