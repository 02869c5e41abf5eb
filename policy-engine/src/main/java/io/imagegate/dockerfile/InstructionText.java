package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares an instruction's text with a history entry's, per instruction kind, as far as builders
 * record it faithfully: {@code RUN} commands verbatim, {@code COPY}/{@code ADD} destinations (the
 * classic builder hashes the sources), {@code USER}/{@code WORKDIR} values, {@code CMD}/
 * {@code ENTRYPOINT} argv, {@code ENV}/{@code LABEL}/{@code ARG} names. A {@code $VAR} in the
 * Dockerfile matches any text, since builders record some values expanded.
 */
final class InstructionText {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern CLASSIC_COPY = Pattern.compile("^(?:file|dir|multi):[0-9a-f]+ in (.*)$");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** What may come before a RUN command: a shell and its options, e.g. {@code /bin/bash -o pipefail -c}. */
  private static final Pattern SHELL_PREFIX = Pattern.compile("^(?:\\S+\\s+){0,4}(?:-c|/c|/C|-Command)$");
  /** The same shell at the start of a recorded command. */
  private static final Pattern SHELL_START = Pattern.compile("^(?:\\S+\\s+){0,4}?(?:-c|/c|/C|-Command)\\s+");

  private InstructionText() {}

  /**
   * @param workdir the working directory in effect before the instruction, when the Dockerfile tells
   */
  static Agreement compare(Instruction in, HistoryStep step, Optional<String> workdir) {
    return switch (in.keyword()) {
      case "RUN" -> run(in, step.body());
      case "COPY", "ADD" -> copy(in, step.body(), workdir);
      case "USER", "STOPSIGNAL", "MAINTAINER" -> value(Text.collapse(in.arguments()), step.body());
      case "WORKDIR" -> workdir(in, step.body(), workdir);
      case "CMD", "ENTRYPOINT" -> argv(in, step.body());
      case "ENV", "LABEL", "ARG" -> names(in.arguments()).equals(names(step.body())) ? Agreement.EXACT : Agreement.DIFFERENT;
      default -> Agreement.COMPATIBLE; // EXPOSE, VOLUME, HEALTHCHECK, SHELL, ONBUILD: recorded in builder-specific shapes
    };
  }

  private static Agreement run(Instruction in, String body) {
    List<String> candidates = new ArrayList<>();
    if (in.execForm().isPresent()) {
      candidates.add(Text.collapse(String.join(" ", in.execForm().get())));
    } else {
      String command = Text.collapse(in.arguments());
      candidates.add(command);
      if (!in.heredocs().isEmpty()) {
        StringBuilder bodies = new StringBuilder();
        in.heredocs().forEach(h -> bodies.append(h.content()).append(' '));
        candidates.add(Text.collapse(command + " " + bodies));
        candidates.add(Text.collapse(bodies.toString()));
      }
    }
    for (String c : candidates) {
      if (c.isEmpty()) {
        continue;
      }
      if (matches(c, body)) {
        return Agreement.EXACT;
      }
      // the recorded command carries the shell: "/bin/sh -c <command>"
      Matcher m = Pattern.compile("^(.*?)\\s" + pattern(c) + "$", Pattern.DOTALL).matcher(body);
      if (m.matches() && SHELL_PREFIX.matcher(m.group(1)).matches()) {
        return Agreement.EXACT;
      }
    }
    // a heredoc or an edited command: alike enough when most words are shared (the shell's words left out)
    Matcher shell = SHELL_START.matcher(body);
    String command = shell.find() ? body.substring(shell.end()) : body;
    return similarity(String.join(" ", candidates), command) >= 0.6 ? Agreement.SIMILAR : Agreement.DIFFERENT;
  }

  private static Agreement copy(Instruction in, String body, Optional<String> workdir) {
    List<String> words = in.execForm().orElseGet(() -> List.of(Text.collapse(in.arguments()).split(" ")));
    if (words.size() < 2) {
      return Agreement.COMPATIBLE;
    }
    String dest = words.get(words.size() - 1);
    List<String> sources = words.subList(0, words.size() - 1);
    String recorded = body;
    while (recorded.startsWith("--")) { // e.g. the classic builder's --chown=
      int sp = recorded.indexOf(' ');
      recorded = sp < 0 ? "" : recorded.substring(sp + 1);
    }
    Matcher classic = CLASSIC_COPY.matcher(recorded);
    String recordedDest;
    List<String> recordedSources = List.of();
    if (classic.matches()) {
      recordedDest = classic.group(1).strip();
    } else {
      List<String> r = List.of(recorded.split(" "));
      if (r.size() < 2) {
        return Agreement.COMPATIBLE;
      }
      recordedDest = r.get(r.size() - 1);
      recordedSources = r.subList(0, r.size() - 1);
    }
    boolean destAgrees = samePath(dest, recordedDest)
        || (!dest.startsWith("/") && workdir.map(w -> samePath(resolve(w, dest), recordedDest)).orElse(false));
    if (!destAgrees) {
      boolean unknowable = !dest.startsWith("/") && workdir.isEmpty();
      return unknowable ? Agreement.COMPATIBLE : Agreement.DIFFERENT;
    }
    if (classic.matches() || recordedSources.isEmpty()) {
      return Agreement.EXACT;
    }
    return normalise(sources).equals(normalise(recordedSources)) || VARIABLE.matcher(String.join(" ", sources)).find()
        ? Agreement.EXACT : Agreement.COMPATIBLE;
  }

  private static Agreement workdir(Instruction in, String body, Optional<String> before) {
    String dir = Text.collapse(in.arguments());
    if (matches(dir, body) || before.map(b -> samePath(resolve(b, dir), body)).orElse(false)) {
      return Agreement.EXACT;
    }
    return !dir.startsWith("/") && before.isEmpty() ? Agreement.COMPATIBLE : Agreement.DIFFERENT;
  }

  private static Agreement value(String expected, String recorded) {
    return matches(expected, recorded) ? Agreement.EXACT : Agreement.DIFFERENT;
  }

  private static Agreement argv(Instruction in, String body) {
    if (!body.startsWith("[")) {
      return Agreement.COMPATIBLE;
    }
    List<String> recorded = quoted(body);
    if (in.execForm().isPresent()) {
      List<String> expected = in.execForm().get().stream().map(Text::collapse).toList();
      return matches(String.join("\u0000", expected), String.join("\u0000", recorded))
          ? Agreement.EXACT : Agreement.DIFFERENT;
    }
    // shell form: the builder records [shell..., "-c", command]
    return !recorded.isEmpty() && matches(Text.collapse(in.arguments()), recorded.get(recorded.size() - 1))
        ? Agreement.EXACT : Agreement.DIFFERENT;
  }

  /** Whether {@code text} is {@code expected}, where each {@code $VAR} of {@code expected} matches anything. */
  static boolean matches(String expected, String text) {
    String e = Text.collapse(expected);
    String t = Text.collapse(text);
    if (e.equals(t)) {
      return true;
    }
    return VARIABLE.matcher(e).find() && Pattern.compile(pattern(e), Pattern.DOTALL).matcher(t).matches();
  }

  /** A regex for {@code text}: literal, except that each variable matches any text. */
  private static String pattern(String text) {
    StringBuilder sb = new StringBuilder();
    Matcher m = VARIABLE.matcher(text);
    int last = 0;
    while (m.find()) {
      sb.append(Pattern.quote(text.substring(last, m.start()))).append(".*?");
      last = m.end();
    }
    return sb.append(Pattern.quote(text.substring(last))).toString();
  }

  /** The strings of a Go-formatted {@code ["a" "b"]} (or a JSON array), unescaped. */
  static List<String> quoted(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = QUOTED.matcher(s);
    while (m.find()) {
      out.add(Text.collapse(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")));
    }
    return out;
  }

  /** The variable or label names of {@code ENV}, {@code LABEL} or {@code ARG} arguments, in either syntax. */
  static Set<String> names(String arguments) {
    List<String> words = words(arguments);
    Set<String> out = new LinkedHashSet<>();
    if (words.isEmpty()) {
      return out;
    }
    if (!words.get(0).contains("=")) {
      // legacy "ENV NAME value with spaces" — or ARG NAME without a default
      if (words.stream().noneMatch(w -> w.contains("="))) {
        out.add(words.get(0));
        return out;
      }
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      out.add(eq < 0 ? w : w.substring(0, eq));
    }
    return out;
  }

  /** Shell-like words: whitespace separates, quotes group, a backslash escapes. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
          w.append(s.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        any = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || w.length() > 0) {
          out.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(c);
      }
    }
    if (any || w.length() > 0) {
      out.add(w.toString());
    }
    return out;
  }

  private static boolean samePath(String a, String b) {
    return matches(trimSlash(a), trimSlash(b));
  }

  private static String trimSlash(String p) {
    String s = p.startsWith("./") ? p.substring(2) : p;
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static String resolve(String dir, String path) {
    if (path.startsWith("/")) {
      return path;
    }
    String p = trimSlash(path);
    if (p.equals(".") || p.isEmpty()) {
      return dir;
    }
    return (dir.endsWith("/") ? dir : dir + "/") + p;
  }

  private static List<String> normalise(List<String> paths) {
    return paths.stream().map(InstructionText::trimSlash).toList();
  }

  /** Shared words over all words (Jaccard), 0 when either side has none. */
  private static double similarity(String a, String b) {
    Set<String> x = new HashSet<>(List.of(a.split("\\s+")));
    Set<String> y = new HashSet<>(List.of(b.split("\\s+")));
    x.remove("");
    y.remove("");
    if (x.isEmpty() || y.isEmpty()) {
      return 0;
    }
    Set<String> both = new HashSet<>(x);
    both.retainAll(y);
    Set<String> all = new HashSet<>(x);
    all.addAll(y);
    return (double) both.size() / all.size();
  }
}
