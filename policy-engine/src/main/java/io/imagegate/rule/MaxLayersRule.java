package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.List;
import java.util.Map;

/** {@code max-layers}: a limit on the number of filesystem layers. */
public final class MaxLayersRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Layer count within limit",
      "The image must not have more filesystem layers than the limit (metadata-only steps such as ENV or USER make "
          + "no layer and do not count). Every layer is a blob to pull, unpack and keep; many small layers slow "
          + "pulls and usually mean RUN steps that could be combined.",
      "Combine related RUN steps with && (and clean up in the same step), copy the application in one COPY, and use "
          + "a multi-stage build so the final stage has only a few layers on top of its base.",
      List.of(new RuleDocumentation.Parameter("max", "whole number", "The most layers allowed.", "")),
      List.of("size", "efficiency"));

  @Override
  public String name() {
    return "max-layers";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    long max = p.integer("max", 1, 10_000).orElseThrow(() -> p.error("max-layers needs max (e.g. max: 20)"));
    return facts -> {
      int count = facts.layers().size();
      if (count <= max) {
        return List.of();
      }
      return List.of(new Violation("the image has " + count + " layers, more than the " + max + " allowed",
          Location.image(), Map.of("actual", String.valueOf(count), "budget", String.valueOf(max))));
    };
  }
}
