package io.imagegate.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
