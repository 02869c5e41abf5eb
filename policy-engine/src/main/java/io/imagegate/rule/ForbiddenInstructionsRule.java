package io.imagegate.rule;

import io.imagegate.image.HistoryInstruction;
import io.imagegate.policy.Check;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code forbidden-instructions}: Dockerfile instructions that must not appear in the image's
 * build history, e.g. {@code ADD} where {@code COPY} will do (CIS Docker 4.9).
 */
public final class ForbiddenInstructionsRule implements RuleType {
  /** {@code ADD file:… in /} (classic) or {@code ADD rootfs.tar.gz / # buildkit}: a base image's root filesystem. */
  private static final Pattern ROOTFS_ADD = Pattern.compile("(?:.*\\s)?(?:in\\s+)?/(?:\\s+#.*)?");

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "No forbidden Dockerfile instructions",
      "The image's build history (config history created_by) must not show the listed instructions. The usual one "
          + "is ADD (CIS Docker Benchmark 4.9: use COPY instead of ADD): ADD fetches URLs and unpacks archives "
          + "implicitly, so what lands in the image is less obvious and can come from the network unverified. A base "
          + "image's own root filesystem import (ADD into /) is allowed by default. The history is what the builder "
          + "recorded; an image built without history cannot be checked this way.",
      "Use COPY for local files; for remote files, RUN curl with a checksum check (or ADD --checksum) in a builder "
          + "stage, and unpack archives explicitly.",
      List.of(
          new RuleDocumentation.Parameter("instructions", "list of instructions", "Instructions that must not appear, e.g. [ADD].", ""),
          new RuleDocumentation.Parameter("allow-base-rootfs", "boolean", "Allow ADD whose destination is / (a base image's root filesystem).", "true")),
      List.of("security", "supply-chain", "cis-docker-4.9"));

  @Override
  public String name() {
    return "forbidden-instructions";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Set<String> instructions = new LinkedHashSet<>();
    for (String i : p.strings("instructions")) {
      String u = i.toUpperCase(Locale.ROOT);
      if (!HistoryInstruction.KEYWORDS.contains(u)) {
        throw p.error("instructions", "'" + i + "' is not a Dockerfile instruction (known: "
            + HistoryInstruction.KEYWORDS.stream().sorted().toList() + ")");
      }
      instructions.add(u);
    }
    if (instructions.isEmpty()) {
      throw p.error("instructions", "forbidden-instructions needs at least one instruction (e.g. instructions: [ADD])");
    }
    boolean allowRootfs = p.bool("allow-base-rootfs").orElse(true);
    return facts -> {
      List<Violation> out = new ArrayList<>();
      for (History.Step s : History.steps(facts)) {
        if (s.instruction().isEmpty() || !instructions.contains(s.instruction().get())) {
          continue;
        }
        if (allowRootfs && s.instruction().get().equals("ADD") && ROOTFS_ADD.matcher(s.arguments()).matches()) {
          continue;
        }
        String text = MaxSizeRule.abbreviate(s.createdBy());
        out.add(new Violation(s.describe() + " uses " + s.instruction().get() + ": " + text, s.location(),
            Map.of("instruction", s.instruction().get())));
      }
      return out;
    };
  }
}
