package io.imagegate.rule;

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
import java.util.regex.Pattern;

/**
 * {@code required-labels}: config labels that must be present and non-empty, optionally with a
 * value matching a regular expression (e.g. {@code org.opencontainers.image.source}).
 */
public final class RequiredLabelsRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Required labels present",
      "The image config must carry each listed label with a non-empty value; where a regular expression is given, "
          + "the value must contain a match (anchor it with ^ and $ to match the whole value). The OCI annotation "
          + "keys (org.opencontainers.image.source, .revision, .version, .licenses) tell scanners, registries and "
          + "people where an image came from. Only config labels are read: manifest annotations are not.",
      "Set the labels at build time, e.g. docker build --label org.opencontainers.image.source=https://github.com/org/repo "
          + "--label org.opencontainers.image.revision=$GIT_SHA, or LABEL in the Dockerfile; docker/metadata-action "
          + "sets the OCI labels in GitHub Actions.",
      List.of(new RuleDocumentation.Parameter("labels", "list of keys, or mapping of key to regular expression",
          "Labels that must be set, e.g. [org.opencontainers.image.source], or {org.opencontainers.image.version: '^\\d+\\.\\d+\\.\\d+$'}.", "")),
      List.of("metadata", "provenance"));

  @Override
  public String name() {
    return "required-labels";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Map<String, Optional<Pattern>> labels = p.namesWithRegexes("labels");
    if (labels.isEmpty()) {
      throw p.error("labels", "required-labels needs at least one label (e.g. labels: [org.opencontainers.image.source])");
    }
    return facts -> {
      List<Violation> out = new ArrayList<>();
      Map<String, String> present = facts.config().labels();
      labels.forEach((key, regex) -> {
        String value = present.get(key);
        Map<String, String> values = Map.of("label", key);
        if (value == null) {
          out.add(new Violation("label " + key + " is missing", Location.config("Labels"), values));
        } else if (value.isBlank()) {
          out.add(new Violation("label " + key + " is empty", Location.config("Labels"), values));
        } else if (regex.isPresent() && !regex.get().matcher(value).find()) {
          out.add(new Violation("label " + key + " is '" + value + "', which does not match " + regex.get().pattern(),
              Location.config("Labels"), values));
        }
      });
      return out;
    };
  }
}
