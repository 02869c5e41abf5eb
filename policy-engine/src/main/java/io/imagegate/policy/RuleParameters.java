package io.imagegate.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A rule's parameters as written in YAML, with their positions. A {@link RuleType} reads what it
 * takes; every key it did not read is reported as unknown, with its line and column, once it
 * returns. Errors name {@code file:line:column}, the key, and what was expected.
 */
public final class RuleParameters {
  private final String file;
  private final String ruleId;
  private final Node ruleNode;
  private final Map<String, NodeTuple> values = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  RuleParameters(String file, String ruleId, MappingNode rule, Set<String> reserved) {
    this.file = file;
    this.ruleId = ruleId;
    this.ruleNode = rule;
    for (NodeTuple t : rule.getValue()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (!reserved.contains(key)) {
        values.put(key, t);
      }
    }
  }

  /** A text parameter. */
  public Optional<String> string(String key) {
    Node n = node(key);
    if (n == null) {
      return Optional.empty();
    }
    if (!(n instanceof ScalarNode s)) {
      throw error(key, "expected a text value");
    }
    return Optional.of(s.getValue());
  }

  /** A list of texts; a single text is taken as a list of one. Empty when absent. */
  public List<String> strings(String key) {
    Node n = node(key);
    if (n == null) {
      return List.of();
    }
    if (n instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(key, "expected a list of texts");
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (!(item instanceof ScalarNode s)) {
        throw PolicyLoader.error(file, item, "rules." + ruleId + "." + key + ": expected a list of texts, found a nested "
            + PolicyLoader.kind(item));
      }
      out.add(s.getValue());
    }
    return out;
  }

  /** A boolean ({@code true} / {@code false}). */
  public Optional<Boolean> bool(String key) {
    return string(key).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(key, "expected true or false, found '" + v + "'");
    });
  }

  /** A byte size with units ({@code 100MB}, {@code 60MiB}). */
  public Optional<Long> size(String key) {
    return string(key).map(v -> {
      try {
        return ByteSize.parse(v);
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
    });
  }

  /** A list of path globs. */
  public List<Glob> globs(String key) {
    List<Glob> out = new ArrayList<>();
    for (String g : strings(key)) {
      try {
        out.add(Glob.compile(g));
      } catch (IllegalArgumentException e) {
        throw error(key, "bad glob: " + e.getMessage());
      }
    }
    return out;
  }

  /** A whole number within {@code [min, max]}. */
  public Optional<Long> integer(String key, long min, long max) {
    return string(key).map(v -> {
      long n;
      try {
        n = Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        throw error(key, "expected a whole number, found '" + v + "'");
      }
      if (n < min || n > max) {
        throw error(key, "expected a whole number from " + min + " to " + max + ", found " + n);
      }
      return n;
    });
  }

  /**
   * A share from 0 to 1, written as a ratio ({@code 0.1}, as dive writes it) or a percentage
   * ({@code 10%}).
   */
  public Optional<Double> fraction(String key) {
    return string(key).map(v -> {
      String t = v.trim();
      boolean percent = t.endsWith("%");
      double d;
      try {
        d = Double.parseDouble(percent ? t.substring(0, t.length() - 1).trim() : t);
      } catch (NumberFormatException e) {
        throw error(key, "expected a ratio from 0 to 1 (e.g. 0.1) or a percentage (e.g. 10%), found '" + v + "'");
      }
      if (percent) {
        d /= 100;
      }
      if (!(d >= 0 && d <= 1)) {
        throw error(key, "expected a ratio from 0 to 1 (or 0% to 100%), found '" + v + "'");
      }
      return d;
    });
  }

  /** A non-negative number, written plainly ({@code 10}) or as a percentage ({@code 10%}): the number either way. */
  public Optional<Double> percentage(String key) {
    return string(key).map(v -> {
      String t = v.trim();
      if (t.endsWith("%")) {
        t = t.substring(0, t.length() - 1).trim();
      }
      double d;
      try {
        d = Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error(key, "expected a percentage such as 10 or 10%, found '" + v + "'");
      }
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw error(key, "expected a percentage of 0 or more, found '" + v + "'");
      }
      return d;
    });
  }

  /** A Java regular expression; a bad one is an error that says what is wrong and where. */
  public Optional<Pattern> regex(String key) {
    Node n = node(key);
    if (n == null) {
      return Optional.empty();
    }
    if (!(n instanceof ScalarNode s)) {
      throw error(key, "expected a regular expression");
    }
    return Optional.of(compileRegex(s, key, s.getValue()));
  }

  private Pattern compileRegex(Node at, String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw PolicyLoader.error(file, at, "rules." + ruleId + "." + key + ": bad regular expression '" + regex + "': "
          + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    }
  }

  /** A list of name globs (see {@link NameGlob}). */
  public List<NameGlob> nameGlobs(String key, boolean ignoreCase) {
    List<NameGlob> out = new ArrayList<>();
    for (String g : strings(key)) {
      try {
        out.add(NameGlob.compile(g, ignoreCase));
      } catch (IllegalArgumentException e) {
        throw error(key, "bad glob: " + e.getMessage());
      }
    }
    return out;
  }

  /** Whether the key's value is a mapping. Does not count as reading it. */
  public boolean isMapping(String key) {
    NodeTuple t = values.get(key);
    return t != null && t.getValueNode() instanceof MappingNode;
  }

  /**
   * Names, each with an optional regular expression: written either as a list of names
   * ({@code [a, b]}) or as a mapping from name to expression ({@code {a: "^v\d+", b: ""}}, an
   * empty value meaning any). Empty when absent.
   */
  public Map<String, Optional<Pattern>> namesWithRegexes(String key) {
    if (!isMapping(key)) {
      Map<String, Optional<Pattern>> out = new LinkedHashMap<>();
      strings(key).forEach(n -> out.put(n, Optional.empty()));
      return out;
    }
    MappingNode m = (MappingNode) node(key);
    Map<String, Optional<Pattern>> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw PolicyLoader.error(file, t.getKeyNode(), "rules." + ruleId + "." + key + ": keys must be plain text");
      }
      if (!(t.getValueNode() instanceof ScalarNode v)) {
        throw PolicyLoader.error(file, t.getValueNode(), "rules." + ruleId + "." + key + "." + k.getValue()
            + ": expected a regular expression, found " + PolicyLoader.kind(t.getValueNode()));
      }
      boolean blank = v.getValue().isEmpty() || v.getTag().getValue().endsWith(":null");
      if (out.put(k.getValue(), blank ? Optional.empty()
          : Optional.of(compileRegex(v, key + "." + k.getValue(), v.getValue()))) != null) {
        throw PolicyLoader.error(file, k, "rules." + ruleId + "." + key + ": duplicate key '" + k.getValue() + "'");
      }
    }
    return out;
  }

  /**
   * A list of mappings, each read like a rule's parameters. Keys outside {@code allowed} are
   * errors at once, with a suggestion; errors inside name {@code key[index]}.
   */
  public List<RuleParameters> objects(String key, Set<String> allowed) {
    Node n = node(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(key, "expected a list of mappings");
    }
    List<RuleParameters> out = new ArrayList<>();
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      String where = key + "[" + i + "]";
      if (!(items.get(i) instanceof MappingNode m)) {
        throw PolicyLoader.error(file, items.get(i), "rules." + ruleId + "." + where + ": expected a mapping (with "
            + allowed.stream().sorted().collect(Collectors.joining(", ")) + "), found " + PolicyLoader.kind(items.get(i)));
      }
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw PolicyLoader.error(file, t.getKeyNode(), "rules." + ruleId + "." + where + ": keys must be plain text");
        }
        if (!allowed.contains(k.getValue())) {
          throw PolicyLoader.error(file, k, "rules." + ruleId + "." + where + ": unknown key '" + k.getValue() + "'"
              + PolicyLoader.suggestion(k.getValue(), allowed) + " (known: "
              + allowed.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
      }
      out.add(new RuleParameters(file, ruleId + "." + where, m, Set.of()));
    }
    return out;
  }

  /** Whether the key was written. Does not count as reading it. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** An error located at {@code key}'s value. */
  public PolicyException error(String key, String message) {
    NodeTuple t = values.get(key);
    Node at = t == null ? ruleNode : t.getValueNode();
    return PolicyLoader.error(file, at, "rules." + ruleId + "." + key + ": " + message);
  }

  /** An error about the rule as a whole. */
  public PolicyException error(String message) {
    return PolicyLoader.error(file, ruleNode, "rules." + ruleId + ": " + message);
  }

  private Node node(String key) {
    read.add(key);
    NodeTuple t = values.get(key);
    return t == null ? null : t.getValueNode();
  }

  /** The keys written but never read, with their key nodes. */
  List<NodeTuple> unread() {
    List<NodeTuple> out = new ArrayList<>();
    values.forEach((k, t) -> {
      if (!read.contains(k)) {
        out.add(t);
      }
    });
    return out;
  }
}
