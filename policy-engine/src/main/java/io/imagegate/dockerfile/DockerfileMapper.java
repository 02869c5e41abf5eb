package io.imagegate.dockerfile;

import io.imagegate.image.HistoryEntry;
import io.imagegate.image.ImageConfig;
import io.imagegate.policy.Location;
import io.imagegate.report.BuildSteps;
import io.imagegate.report.Finding;
import io.imagegate.report.Finding.SourceLine;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points findings at the Dockerfile line that caused them: the step between evaluating an image
 * and reporting on it. Reporters only render what this sets ({@link Finding#source()}).
 *
 * <ul>
 *   <li>a file (or layer) finding → the {@code RUN}/{@code COPY}/{@code ADD} (or other instruction)
 *       whose history entry made the layer; a layer of the base image → the {@code FROM} that names it;
 *   <li>{@code User} → the last {@code USER} of the final stage (through a {@code FROM <stage>}
 *       chain), or the final {@code FROM} when there is none;
 *   <li>{@code Cmd} / {@code Entrypoint} → the last {@code CMD} / {@code ENTRYPOINT}, or the final {@code FROM};
 *   <li>{@code Env} / {@code Labels} → the {@code ENV} / {@code LABEL} that sets the key the finding names;
 *   <li>{@code history[N]} (a history entry without a layer) → the instruction that made it;
 *   <li>other config fields → the last instruction that sets them, or the final {@code FROM};
 *   <li>the image as a whole (sizes) → the final {@code FROM}.
 * </ul>
 *
 * <p>Lines come from matching the image's history with the final stage ({@link HistoryAlignment}).
 * When that match is uncertain the line carries a {@linkplain SourceLine#note() note} saying why;
 * when the history doesn't match the Dockerfile at all (or there is none), findings are left
 * without a line and {@link #apply(Report, Consumer)} says so.
 */
public final class DockerfileMapper {
  /** Longest instruction text kept on a line (a long RUN is cut, with an ellipsis). */
  static final int MAX_INSTRUCTION = 500;
  private static final Map<String, String> CONFIG_INSTRUCTIONS = Map.ofEntries(
      Map.entry("User", "USER"), Map.entry("Cmd", "CMD"), Map.entry("Entrypoint", "ENTRYPOINT"),
      Map.entry("Env", "ENV"), Map.entry("Labels", "LABEL"), Map.entry("ExposedPorts", "EXPOSE"),
      Map.entry("Healthcheck", "HEALTHCHECK"), Map.entry("WorkingDir", "WORKDIR"), Map.entry("Volumes", "VOLUME"),
      Map.entry("StopSignal", "STOPSIGNAL"), Map.entry("Shell", "SHELL"), Map.entry("OnBuild", "ONBUILD"));

  /** The pseudo config field rules use for a history entry that made no layer: {@code history[3]}. */
  private static final Pattern HISTORY_FIELD = Pattern.compile("history\\[(\\d+)]");

  private final Dockerfile dockerfile;
  private final String path;

  /**
   * @param path how reports name the Dockerfile: repository-relative, with {@code /}, for SARIF and annotations
   */
  public DockerfileMapper(Dockerfile dockerfile, String path) {
    this.dockerfile = dockerfile;
    this.path = path;
  }

  /** The report with every finding it can place pointing at its line; {@code warnings} hears of images it can't place. */
  public Report apply(Report report, Consumer<String> warnings) {
    List<ImageReport> images = new ArrayList<>();
    for (ImageReport image : report.images()) {
      images.add(apply(image, warnings));
    }
    return new Report(report.toolVersion(), report.policyName(), report.failOn(), report.rules(), images, report.verdict(),
        report.exceptions());
  }

  /** One image's findings pointed at their lines. */
  public ImageReport apply(ImageReport image, Consumer<String> warnings) {
    if (image.error().isPresent() || image.config().isEmpty()) {
      return image;
    }
    ImageConfig config = image.config().get();
    if (config.history().isEmpty()) {
      warnings.accept(image.name() + " has no build history, so its findings can't be matched to lines of " + path);
      return image;
    }
    HistoryAlignment alignment = HistoryAlignment.of(dockerfile, config.history());
    if (!alignment.confident()) {
      warnings.accept("the history of " + image.name() + " does not match the final stage of " + path + " ("
          + alignment.summary() + "); its findings are not mapped to lines");
      return image;
    }
    Placement placement = new Placement(config, alignment, image.layers().size());
    return image.withFindings(f -> f.source().isPresent() ? f : f.withSource(placement.of(f)));
  }

  /** Where one image's findings go. */
  private final class Placement {
    private final ImageConfig config;
    private final HistoryAlignment alignment;
    private final List<Instruction> chain = new ArrayList<>();
    /** History index of each layer, when the history's non-empty entries line up with the layers. */
    private final List<Integer> layerHistory = new ArrayList<>();

    Placement(ImageConfig config, HistoryAlignment alignment, int layers) {
      this.config = config;
      this.alignment = alignment;
      dockerfile.chain(dockerfile.finalStage()).forEach(s -> chain.addAll(s.instructions()));
      List<HistoryEntry> history = config.history();
      for (int h = 0; h < history.size(); h++) {
        if (!history.get(h).emptyLayer()) {
          layerHistory.add(h);
        }
      }
      if (layerHistory.size() != layers) {
        layerHistory.clear(); // can't tell which entry made which layer
      }
    }

    Optional<SourceLine> of(Finding f) {
      Location where = f.location();
      if (where.configField().isPresent()) {
        return configField(where.configField().get(), f.message());
      }
      Optional<Integer> layer = f.layer().map(Finding.LayerRef::index);
      if (layer.isEmpty() && where.layer().isPresent()) {
        layer = Optional.of(where.layer().getAsInt());
      }
      if (layer.isPresent()) {
        int index = layer.get();
        if (index < 0 || index >= layerHistory.size()) {
          return Optional.empty();
        }
        return alignment.line(layerHistory.get(index)).map(l -> line(l.instruction(), l.note()));
      }
      return Optional.of(line(finalFrom(), "")); // the image as a whole: its size, its base
    }

    private Optional<SourceLine> configField(String field, String message) {
      Matcher entry = HISTORY_FIELD.matcher(field);
      if (entry.matches()) { // a history entry that made no layer, e.g. a USER root step
        return alignment.line(Integer.parseInt(entry.group(1))).map(l -> line(l.instruction(), l.note()));
      }
      String name = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
      String keyword = CONFIG_INSTRUCTIONS.get(name);
      Optional<Instruction> last = keyword == null ? Optional.empty() : last(keyword);
      if (last.isEmpty()) {
        return Optional.of(line(finalFrom(), "")); // not set by this Dockerfile: inherited, or to be added after FROM
      }
      if (name.equals("Env") || name.equals("Labels")) {
        return Optional.of(keyed(keyword, message));
      }
      Instruction in = last.get();
      String note = switch (name) {
        case "User" -> InstructionText.matches(Text.collapse(in.arguments()), config.user()) ? ""
            : "the image runs as '" + config.user() + "', not as this USER says: the Dockerfile may not be the one the image was built from";
        case "Cmd" -> argvNote(in, config.cmd(), "Cmd");
        case "Entrypoint" -> argvNote(in, config.entrypoint(), "Entrypoint");
        default -> "";
      };
      return Optional.of(line(in, note));
    }

    /**
     * The {@code ENV} or {@code LABEL} that sets the variable or label the finding names (the last
     * one when several do); the last such instruction, with a note, when the finding names none of theirs.
     */
    private SourceLine keyed(String keyword, String message) {
      List<Instruction> all = chain.stream().filter(i -> i.keyword().equals(keyword)).toList();
      for (int i = all.size() - 1; i >= 0; i--) {
        for (String key : InstructionText.names(all.get(i).arguments())) {
          if (Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(key) + "(?![A-Za-z0-9_.-])").matcher(message).find()) {
            return line(all.get(i), "");
          }
        }
      }
      Instruction last = all.get(all.size() - 1);
      return line(last, all.size() == 1 ? "" : "the last of " + all.size() + " " + keyword
          + " instructions; the finding names none of the keys they set");
    }

    private String argvNote(Instruction in, List<String> actual, String field) {
      boolean same = in.execForm()
          .map(argv -> InstructionText.matches(String.join("\u0000", argv), String.join("\u0000", actual)))
          .orElseGet(() -> !actual.isEmpty() && InstructionText.matches(in.arguments(), actual.get(actual.size() - 1)));
      return same ? "" : "the image's " + field + " is " + actual + ", not what this " + in.keyword()
          + " says: the Dockerfile may not be the one the image was built from";
    }

    private Optional<Instruction> last(String keyword) {
      for (int i = chain.size() - 1; i >= 0; i--) {
        if (chain.get(i).keyword().equals(keyword)) {
          return Optional.of(chain.get(i));
        }
      }
      return Optional.empty();
    }
  }

  private Instruction finalFrom() {
    return dockerfile.finalStage().from();
  }

  private SourceLine line(Instruction in, String note) {
    return new SourceLine(path, in.line(), BuildSteps.abbreviate(in.text(), MAX_INSTRUCTION), note);
  }
}
