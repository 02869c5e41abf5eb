package io.imagegate.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.image.Json;
import io.imagegate.report.BuildSteps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line-level parser, following BuildKit's {@code frontend/dockerfile/parser}: directives,
 * comments, continuations, here-documents, flags and exec form.
 */
final class DockerfileParser {
  /** {@code # name=value} at the very top; BuildKit's regex. */
  private static final Pattern DIRECTIVE = Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
  private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
  /** Instructions that may carry here-documents (BuildKit 1.4+). */
  private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");
  /** Instructions whose leading {@code --flag}s are flags rather than arguments. */
  private static final Set<String> FLAG_INSTRUCTIONS = Set.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");
  /** Instructions with a JSON (exec) form. */
  private static final Set<String> JSON_INSTRUCTIONS = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME");
  /**
   * A here-document marker as a word of the line: {@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"},
   * {@code <<'EOF'}, optionally after a file descriptor ({@code 3<<EOF}); not {@code <<<} (a here-string).
   */
  private static final Pattern HEREDOC = Pattern.compile("(?<![<\\S])\\d*<<(-?)([\"']?)([A-Za-z0-9_][A-Za-z0-9_.-]*)\\2(?=\\s|$)");
  private static final ObjectMapper JSON = Json.MAPPER;

  record Parsed(Map<String, String> directives, List<Instruction> instructions, int lines) {}

  private final List<String> lines;
  private char escape = '\\';
  private Pattern continuation;

  DockerfileParser(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<String> split = new ArrayList<>(List.of(t.split("\n", -1)));
    if (!split.isEmpty() && split.get(split.size() - 1).isEmpty()) {
      split.remove(split.size() - 1); // the final newline ends the last line, it doesn't start one
    }
    for (int i = 0; i < split.size(); i++) {
      String l = split.get(i);
      if (l.endsWith("\r")) {
        split.set(i, l.substring(0, l.length() - 1));
      }
    }
    this.lines = split;
  }

  Parsed parse() {
    Map<String, String> directives = new LinkedHashMap<>();
    int i = 0;
    // directives: only before any comment, blank line or instruction; an unknown one is a comment and ends them
    for (; i < lines.size(); i++) {
      Matcher m = DIRECTIVE.matcher(lines.get(i));
      if (!m.matches()) {
        break;
      }
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (!KNOWN_DIRECTIVES.contains(name)) {
        break;
      }
      if (directives.putIfAbsent(name, m.group(2)) != null) {
        throw new DockerfileException(i + 1, "only one " + name + " parser directive can be used");
      }
    }
    String esc = directives.getOrDefault("escape", "\\");
    if (!esc.equals("\\") && !esc.equals("`")) {
      throw new DockerfileException(1, "invalid escape token '" + esc + "' does not validate: must be ` or \\");
    }
    escape = esc.charAt(0);
    continuation = Pattern.compile("^(.*?)" + Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");

    List<Instruction> out = new ArrayList<>();
    while (i < lines.size()) {
      String first = lines.get(i).stripLeading();
      int start = i + 1;
      i++;
      if (first.isEmpty() || first.startsWith("#")) {
        continue;
      }
      StringBuilder joined = new StringBuilder();
      boolean more = appendPiece(joined, first);
      int end = start;
      while (more && i < lines.size()) {
        String next = lines.get(i);
        i++;
        String stripped = next.stripLeading();
        if (stripped.startsWith("#") || stripped.isEmpty()) {
          continue; // comments and empty lines inside a continuation are dropped, as BuildKit does
        }
        more = appendPiece(joined, next);
        end = i;
      }
      String line = joined.toString();
      int sp = indexOfWhitespace(line);
      String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
      if (!keyword.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '_')) {
        throw new DockerfileException(start, "'" + BuildSteps.abbreviate(Text.collapse(line), 60) + "' is not an instruction");
      }
      String rest = sp < 0 ? "" : line.substring(sp).strip();
      List<String> flags = new ArrayList<>();
      if (FLAG_INSTRUCTIONS.contains(keyword)) {
        rest = flags(rest, flags);
      }
      List<Heredoc> heredocs = new ArrayList<>();
      if (HEREDOC_INSTRUCTIONS.contains(keyword)) {
        Matcher m = HEREDOC.matcher(rest);
        while (m.find()) {
          boolean stripTabs = !m.group(1).isEmpty();
          String name = m.group(3);
          StringBuilder body = new StringBuilder();
          boolean terminated = false;
          while (i < lines.size()) {
            String l = lines.get(i);
            i++;
            String cmp = stripTabs ? l.replaceFirst("^\t+", "") : l;
            if (cmp.equals(name)) {
              terminated = true;
              break;
            }
            body.append(cmp).append('\n');
          }
          if (!terminated) {
            throw new DockerfileException(start, "here-document <<" + name + " is not terminated by a line '" + name + "'");
          }
          end = i;
          heredocs.add(new Heredoc(name, body.toString(), stripTabs, !m.group(2).isEmpty()));
        }
      }
      Optional<List<String>> exec = JSON_INSTRUCTIONS.contains(keyword) ? jsonArray(rest) : Optional.empty();
      out.add(new Instruction(keyword, rest, flags, exec, heredocs, start, end));
    }
    return new Parsed(directives, out, lines.size());
  }

  /** Appends a physical line without its continuation; returns whether the instruction continues. */
  private boolean appendPiece(StringBuilder joined, String line) {
    Matcher m = continuation.matcher(line);
    if (m.matches()) {
      joined.append(m.group(1));
      return true;
    }
    joined.append(line);
    return false;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Moves leading {@code --name[=value]} words into {@code flags}; returns the rest. */
  private static String flags(String rest, List<String> flags) {
    String r = rest;
    while (r.startsWith("--")) {
      int sp = indexOfWhitespace(r);
      String word = sp < 0 ? r : r.substring(0, sp);
      if (word.equals("--")) {
        break;
      }
      flags.add(word);
      r = sp < 0 ? "" : r.substring(sp).stripLeading();
    }
    return r;
  }

  /** The arguments as a JSON array of strings, when they are exactly one. */
  private static Optional<List<String>> jsonArray(String rest) {
    String r = rest.strip();
    if (!r.startsWith("[") || !r.endsWith("]")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(r);
      if (!node.isArray()) {
        return Optional.empty();
      }
      List<String> out = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          return Optional.empty();
        }
        out.add(n.asText());
      }
      return Optional.of(out);
    } catch (JsonProcessingException e) {
      return Optional.empty(); // not JSON: shell form, as the builder falls back
    }
  }
}
