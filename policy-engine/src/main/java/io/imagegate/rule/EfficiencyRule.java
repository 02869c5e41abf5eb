package io.imagegate.rule;

import io.imagegate.facts.Efficiency;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code efficiency}: dive's CI rules ({@code lowestEfficiency}, {@code highestWastedBytes},
 * {@code highestUserWastedPercent}) over dive's own measures (see {@link Efficiency}).
 */
public final class EfficiencyRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Layers used efficiently (dive)",
      "dive's CI checks, with dive's definitions so the same thresholds mean the same thing. Efficiency is the "
          + "share of bytes written to the layers that are not duplicated or deleted: for each path, its smallest "
          + "size in any layer over its sizes summed across layers. Wasted bytes sums, over every path written (or "
          + "deleted) by more than one layer, its size in each of those layers, the final copy included. The user "
          + "wasted share is wasted bytes over the size of every layer but the first. Files overwritten or deleted by "
          + "a later layer still cost pull time and storage.",
      "Delete temporary files in the same RUN that creates them (a later rm only hides them), do not copy files "
          + "that a later step replaces, and do chmod/chown in the COPY (--chmod, --chown) rather than a separate "
          + "RUN that duplicates every file. The finding lists the biggest offenders.",
      List.of(
          new RuleDocumentation.Parameter("lowest-efficiency", "ratio or percentage", "Fail below this efficiency (dive's lowestEfficiency), e.g. 0.9.", ""),
          new RuleDocumentation.Parameter("highest-wasted-bytes", "size", "Fail above this many wasted bytes (dive's highestWastedBytes), e.g. 20MB.", ""),
          new RuleDocumentation.Parameter("highest-user-wasted-percent", "ratio or percentage", "Fail above this share of the user layers wasted (dive's highestUserWastedPercent), e.g. 0.1.", ""),
          new RuleDocumentation.Parameter("offenders", "whole number", "How many of the biggest offenders a finding names.", "5")),
      List.of("size", "efficiency"));

  @Override
  public String name() {
    return "efficiency";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Optional<Double> lowestEfficiency = p.fraction("lowest-efficiency");
    Optional<Long> highestWasted = p.size("highest-wasted-bytes");
    Optional<Double> highestUserWasted = p.fraction("highest-user-wasted-percent");
    long offenders = p.integer("offenders", 0, 1000).orElse(5L);
    if (lowestEfficiency.isEmpty() && highestWasted.isEmpty() && highestUserWasted.isEmpty()) {
      throw p.error("efficiency needs at least one of lowest-efficiency, highest-wasted-bytes, "
          + "highest-user-wasted-percent (dive's defaults are 0.9, disabled and 0.1)");
    }
    return facts -> {
      Efficiency e = facts.efficiency();
      String worst = offenders(e, (int) offenders);
      List<Violation> out = new ArrayList<>();
      Map<String, String> values = Map.of("efficiency", percent(e.score()), "wasted", ByteSize.format(e.wastedBytes()),
          "userWasted", percent(e.userWastedShare()));
      lowestEfficiency.filter(min -> e.score() < min).ifPresent(min -> out.add(new Violation(
          "image efficiency " + percent(e.score()) + " is below the lowest allowed " + percent(min) + worst,
          Location.image(), values)));
      highestWasted.filter(max -> e.wastedBytes() > max).ifPresent(max -> out.add(new Violation(
          ByteSize.format(e.wastedBytes()) + " wasted, more than the " + ByteSize.format(max) + " allowed" + worst,
          Location.image(), values)));
      highestUserWasted.filter(max -> e.userWastedShare() > max).ifPresent(max -> out.add(new Violation(
          percent(e.userWastedShare()) + " of the bytes added on top of the first layer ("
              + ByteSize.format(e.userSizeBytes()) + ") are wasted, more than the " + percent(max) + " allowed" + worst,
          Location.image(), values)));
      return out;
    };
  }

  private static String offenders(Efficiency e, int n) {
    if (n == 0 || e.inefficiencies().isEmpty()) {
      return "";
    }
    return "; biggest offenders: " + e.inefficiencies().stream().limit(n)
        .map(i -> i.path() + " " + ByteSize.format(i.cumulativeSize()) + " (layers "
            + i.layers().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
        .collect(Collectors.joining(", "));
  }

  static String percent(double ratio) {
    if (Double.isInfinite(ratio)) {
      return "all";
    }
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }
}
