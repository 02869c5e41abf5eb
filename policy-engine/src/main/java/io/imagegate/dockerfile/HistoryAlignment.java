package io.imagegate.dockerfile;

import io.imagegate.facts.SecretText;
import io.imagegate.image.HistoryEntry;
import io.imagegate.report.BuildSteps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Dockerfile instruction made each entry of an image's history, found by aligning the final
 * stage's instructions (through any {@code FROM <earlier stage>} chain) with the end of the
 * history: the entries before the first aligned one are the base image's.
 *
 * <p>The alignment is a small dynamic programme over (instruction, history entry): a pair may be
 * aligned only when both are the same kind of instruction, and scores by how well their texts
 * agree ({@link Agreement}); an instruction without an entry or an entry without an instruction
 * costs. When every instruction and entry pairs up one-to-one and every text agrees, each line is
 * certain. Otherwise lines matched by their text are kept with a note saying the two don't line
 * up, and pairs whose text disagrees are dropped rather than guessed.
 */
final class HistoryAlignment {
  private static final double SKIP = -3;
  /** An {@code ARG} may or may not leave a history entry, depending on the builder. */
  private static final double SKIP_OPTIONAL = -0.5;

  /** An entry's instruction and how sure the match is. */
  record Line(Instruction instruction, String note) {}

  private final Map<Integer, Line> byHistoryIndex;
  private final boolean confident;
  private final String summary;

  private HistoryAlignment(Map<Integer, Line> byHistoryIndex, boolean confident, String summary) {
    this.byHistoryIndex = Map.copyOf(byHistoryIndex);
    this.confident = confident;
    this.summary = summary;
  }

  /** The line that made history entry {@code index} (0-based, empty layers counted). */
  Optional<Line> line(int index) {
    return Optional.ofNullable(byHistoryIndex.get(index));
  }

  /** Whether the history matches the Dockerfile well enough to map anything at all. */
  boolean confident() {
    return confident;
  }

  /** How the two matched, for diagnostics. */
  String summary() {
    return summary;
  }

  static HistoryAlignment of(Dockerfile dockerfile, List<HistoryEntry> history) {
    List<Stage> chain = dockerfile.chain(dockerfile.finalStage());
    Instruction baseFrom = chain.get(0).from();
    List<Instruction> ins = new ArrayList<>();
    List<Optional<String>> workdirs = new ArrayList<>();
    Optional<String> workdir = Optional.empty();
    for (Stage s : chain) {
      for (Instruction i : s.instructions()) {
        ins.add(i);
        workdirs.add(workdir);
        if (i.keyword().equals("WORKDIR")) {
          String dir = Text.collapse(i.arguments());
          workdir = dir.startsWith("/") ? Optional.of(dir) : workdir.map(w -> InstructionText.resolve(w, dir));
        }
      }
    }
    List<HistoryStep> steps = new ArrayList<>();
    for (int h = 0; h < history.size(); h++) {
      steps.add(HistoryStep.of(h, history.get(h)));
    }
    int n = ins.size();
    int m = steps.size();
    Agreement[][] agree = new Agreement[n][m];
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < m; h++) {
        agree[i][h] = pairable(ins.get(i), steps.get(h)) ? InstructionText.compare(ins.get(i), steps.get(h), workdirs.get(i)) : null;
      }
    }
    // best[i][h]: the best score aligning instructions i.. with history entries h.. (all of them)
    double[][] best = new double[n + 1][m + 1];
    for (int i = n; i >= 0; i--) {
      for (int h = m; h >= 0; h--) {
        if (i == n && h == m) {
          continue;
        }
        double b = Double.NEGATIVE_INFINITY;
        if (i < n && h < m && agree[i][h] != null) {
          b = agree[i][h].score + best[i + 1][h + 1];
        }
        if (i < n) {
          b = Math.max(b, skipCost(ins.get(i)) + best[i + 1][h]);
        }
        if (h < m) {
          b = Math.max(b, SKIP + best[i][h + 1]);
        }
        best[i][h] = b;
      }
    }
    // the base image's entries come first and cost nothing: start where the rest aligns best
    int start = m;
    for (int s = m - 1; s >= 0; s--) {
      if (best[0][s] > best[0][start]) {
        start = s;
      }
    }
    List<int[]> pairs = new ArrayList<>();
    int gaps = 0;
    int differing = 0;
    int agreeing = 0;
    int i = 0;
    int h = start;
    while (i < n || h < m) {
      if (i < n && h < m && agree[i][h] != null && best[i][h] == agree[i][h].score + best[i + 1][h + 1]) {
        pairs.add(new int[] {i, h});
        if (agree[i][h].agrees()) {
          agreeing++;
        } else {
          differing++;
        }
        i++;
        h++;
      } else if (i < n && best[i][h] == skipCost(ins.get(i)) + best[i + 1][h]) {
        if (!optional(ins.get(i))) {
          gaps++;
        }
        i++;
      } else {
        gaps++;
        h++;
      }
    }
    long required = ins.stream().filter(x -> !optional(x)).count();
    boolean confident = required == 0 ? m > 0 : agreeing * 2 >= required;
    String summary = "the image history has " + (m - start) + " entr" + (m - start == 1 ? "y" : "ies")
        + " after the base image, the Dockerfile's final stage " + ins.size() + " instruction"
        + (ins.size() == 1 ? "" : "s") + " after FROM; " + agreeing + " matched" + (differing > 0 ? ", " + differing + " differ" : "");
    Map<Integer, Line> lines = new HashMap<>();
    if (confident) {
      String gapNote = gaps == 0 ? "" : "the image history and the Dockerfile don't line up one-to-one (" + summary + ")";
      for (int b = 0; b < start; b++) {
        lines.put(b, new Line(baseFrom, gapNote.isEmpty() ? "" : "from the base image, as far as can be told: " + gapNote));
      }
      for (int[] p : pairs) {
        Instruction in = ins.get(p[0]);
        HistoryStep step = steps.get(p[1]);
        Agreement a = agree[p[0]][p[1]];
        // a build ARG's value in created_by may be a secret: notes quote the history redacted, as findings do
        String recorded = "the image history records '"
            + BuildSteps.abbreviate(Text.collapse(SecretText.redactAll(step.createdBy())), 120) + "' for this step";
        if (gaps == 0) {
          lines.put(step.index(), new Line(in, a.same() ? "" : recorded
              + ": the Dockerfile may have changed since the image was built"));
        } else if (a.agrees()) {
          String how = switch (a) {
            case EXACT -> "matched by its text; ";
            case SIMILAR -> "matched by similar text (" + recorded + "); ";
            default -> "matched by its instruction; ";
          };
          lines.put(step.index(), new Line(in, how + gapNote));
        }
        // out of line and a different text: no line rather than a wrong one
      }
    }
    return new HistoryAlignment(lines, confident, summary);
  }

  private static boolean pairable(Instruction in, HistoryStep step) {
    if (!step.known()) {
      return false;
    }
    // an exec-form RUN of the classic builder is recorded as its bare argv
    return in.keyword().equals(step.keyword()) || (step.keyword().isEmpty() && in.keyword().equals("RUN"));
  }

  private static boolean optional(Instruction in) {
    return in.keyword().equals("ARG");
  }

  private static double skipCost(Instruction in) {
    return optional(in) ? SKIP_OPTIONAL : SKIP;
  }
}
