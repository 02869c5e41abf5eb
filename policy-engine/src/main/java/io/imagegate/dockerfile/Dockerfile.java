package io.imagegate.dockerfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed Dockerfile: its parser directives, global {@code ARG}s and build stages. Built by
 * {@link #parse}; there is no way to hold a Dockerfile without a stage.
 */
public final class Dockerfile {
  private final Map<String, String> directives;
  private final List<Instruction> globalArgs;
  private final List<Stage> stages;

  private Dockerfile(Map<String, String> directives, List<Instruction> globalArgs, List<Stage> stages) {
    this.directives = Map.copyOf(directives);
    this.globalArgs = List.copyOf(globalArgs);
    this.stages = List.copyOf(stages);
  }

  /**
   * Parses Dockerfile text as BuildKit's parser reads it: parser directives ({@code # syntax=},
   * {@code # escape=}, {@code # check=}) at the top, comments, line continuations with the escape
   * character, here-documents on {@code RUN}/{@code COPY}/{@code ADD}, JSON (exec) and shell forms,
   * and stages started by {@code FROM … [AS name]}.
   *
   * @throws DockerfileException naming the line when the text is not a Dockerfile a builder would accept
   */
  public static Dockerfile parse(String text) {
    DockerfileParser.Parsed p = new DockerfileParser(text).parse();
    List<Instruction> global = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Instruction from = null;
    List<Instruction> current = new ArrayList<>();
    for (Instruction i : p.instructions()) {
      if (i.keyword().equals("FROM")) {
        if (from != null) {
          stages.add(stage(stages.size(), from, current));
        }
        from = i;
        current = new ArrayList<>();
      } else if (from == null) {
        if (!i.keyword().equals("ARG")) {
          throw new DockerfileException(i.line(), i.keyword() + " before the first FROM (only ARG may come before it)");
        }
        global.add(i);
      } else {
        current.add(i);
      }
    }
    if (from == null) {
      throw new DockerfileException(Math.max(1, p.lines()), "no FROM instruction");
    }
    stages.add(stage(stages.size(), from, current));
    return new Dockerfile(p.directives(), global, stages);
  }

  /** Reads and parses a file (UTF-8). */
  public static Dockerfile read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static Stage stage(int index, Instruction from, List<Instruction> instructions) {
    String[] words = from.arguments().strip().split("\\s+");
    Optional<String> name;
    if (words.length == 1 && !words[0].isEmpty()) {
      name = Optional.empty();
    } else if (words.length == 3 && words[1].equalsIgnoreCase("as")) {
      name = Optional.of(words[2].toLowerCase(Locale.ROOT));
    } else {
      throw new DockerfileException(from.line(), "FROM takes an image and optionally AS name, got '"
          + Text.collapse(from.arguments()) + "'");
    }
    return new Stage(index, name, words[0], from, instructions);
  }

  /** The parser directives found at the top, names in lower case (e.g. {@code syntax}, {@code escape}). */
  public Map<String, String> directives() {
    return directives;
  }

  /** The escape character: {@code \} unless an {@code # escape=} directive chose {@code `}. */
  public char escape() {
    return directives.getOrDefault("escape", "\\").charAt(0);
  }

  /** The {@code ARG}s before the first {@code FROM}. */
  public List<Instruction> globalArgs() {
    return globalArgs;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The last stage: what {@code docker build} produces without {@code --target}. */
  public Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  /** The stage named {@code name} (case-insensitive) defined before stage {@code before}, if any. */
  public Optional<Stage> stageNamed(String name, int before) {
    String lower = name.toLowerCase(Locale.ROOT);
    Optional<Stage> found = Optional.empty();
    for (Stage s : stages.subList(0, before)) {
      if (s.name().filter(lower::equals).isPresent()) {
        found = Optional.of(s); // a later stage of the same name wins, as in BuildKit
      }
    }
    return found;
  }

  /**
   * The stages whose instructions end up in {@code stage}'s image, base first: {@code FROM base}
   * naming an earlier stage continues that stage's image, so its instructions are in the
   * history too. The first stage of the chain is the one built from an outside image (or scratch).
   */
  public List<Stage> chain(Stage stage) {
    List<Stage> out = new ArrayList<>();
    Stage s = stage;
    while (true) {
      out.add(0, s);
      Optional<Stage> parent = stageNamed(s.base(), s.index());
      if (parent.isEmpty() || out.contains(parent.get())) {
        return out;
      }
      s = parent.get();
    }
  }

  /** Every instruction in file order, {@code FROM}s included. */
  public List<Instruction> instructions() {
    List<Instruction> out = new ArrayList<>(globalArgs);
    for (Stage s : stages) {
      out.add(s.from());
      out.addAll(s.instructions());
    }
    out.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return out;
  }
}
