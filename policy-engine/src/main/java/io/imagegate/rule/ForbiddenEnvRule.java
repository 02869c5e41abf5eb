package io.imagegate.rule;

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

/** {@code forbidden-env}: no environment variable whose key matches a glob; the value is never printed. */
public final class ForbiddenEnvRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "No forbidden environment variables",
      "The image config must not set an environment variable whose key matches one of the globs (e.g. *_PASSWORD, "
          + "*_TOKEN, AWS_*), unless it also matches an exception (e.g. *_FILE). ENV values are stored in the image "
          + "config and history in clear text: anyone who can pull the image can read them. Findings name the key "
          + "only, never the value.",
      "Do not bake credentials into the image: pass them at run time (docker run -e, Kubernetes secrets), or mount "
          + "them as files and point a *_FILE variable at the file. For build-time secrets use RUN --mount=type=secret.",
      List.of(
          new RuleDocumentation.Parameter("keys", "list of name globs", "Forbidden keys, e.g. ['*_PASSWORD', '*_TOKEN', 'AWS_*'].", ""),
          new RuleDocumentation.Parameter("except", "list of name globs", "Keys allowed although they match, e.g. ['*_FILE'].", ""),
          new RuleDocumentation.Parameter("case-sensitive", "boolean", "Match keys case-sensitively.", "false")),
      List.of("security", "secrets"));

  @Override
  public String name() {
    return "forbidden-env";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    boolean caseSensitive = p.bool("case-sensitive").orElse(false);
    List<NameGlob> keys = p.nameGlobs("keys", !caseSensitive);
    if (keys.isEmpty()) {
      throw p.error("keys", "forbidden-env needs at least one key glob (e.g. keys: ['*_PASSWORD', '*_TOKEN'])");
    }
    List<NameGlob> except = p.nameGlobs("except", !caseSensitive);
    return facts -> {
      List<Violation> out = new ArrayList<>();
      for (String kv : facts.config().env()) {
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv : kv.substring(0, eq);
        if (except.stream().anyMatch(g -> g.matches(key))) {
          continue;
        }
        keys.stream().filter(g -> g.matches(key)).findFirst().ifPresent(g -> out.add(new Violation(
            "ENV " + key + " is set (matches " + g + "); its value is not shown", Location.config("Env"),
            Map.of("key", key, "glob", g.toString()))));
      }
      return out;
    };
  }
}
