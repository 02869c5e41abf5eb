package io.imagegate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import io.imagegate.image.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The JSON Schema of the policy format ({@code policy-v1.json}, draft 2020-12), applied by the
 * {@link PolicyLoader} to every policy document it reads, before its own checks.
 *
 * <p>The composed YAML is converted to a JSON tree (scalars typed by their YAML tag: plain
 * {@code 12} is a number, {@code true} a boolean, {@code 2025-06-30} stays text) and validated.
 * Each schema error is mapped back through its instance location to the YAML node it is about,
 * and so to {@code file:line:column}, and worded like the loader's own messages: the key, what
 * was expected (the failing subschema's {@code title}), what was found, and a suggestion for an
 * unknown key.
 *
 * <p>Errors come in two kinds. Structural ones — unknown keys, missing keys, wrong kinds of
 * value, a value not among the allowed ones — are reported at once (the first in the document).
 * Value ones — a pattern or a minimum length not met — are reported only if the loader's own
 * checks, which say more precisely what is wrong with a size, a glob or a date, found nothing:
 * a policy is accepted only when both agree.
 */
public final class PolicySchema {
  /** Where the {@code rules} module ships the schema on the classpath. */
  public static final String RESOURCE = "io/imagegate/schema/policy-v1.json";

  /** No schema: the loader's own checks only. */
  public static final PolicySchema NONE = new PolicySchema();

  /** Values a document may expand to through aliases before it is refused. */
  static final int MAX_VALUES = 100_000;

  private static final Set<String> STRUCTURAL = Set.of("additionalProperties", "unevaluatedProperties", "required",
      "type", "const", "enum");
  private static final ObjectMapper JSON = Json.MAPPER;

  private static volatile Optional<PolicySchema> bundled;

  private final String text;
  /** The parsed and compiled schema, made on first use: most runs load only built-in packs and never need it. */
  private volatile Compiled compiled;

  private record Compiled(JsonNode document, Schema schema) {}

  private PolicySchema() {
    this.text = "";
    this.compiled = null;
  }

  private PolicySchema(String text, Compiled compiled) {
    this.text = text;
    this.compiled = compiled;
  }

  /** A schema from its JSON text; throws {@link IllegalArgumentException} when it is not valid JSON. */
  public static PolicySchema parse(String json) {
    return new PolicySchema(json, compile(json));
  }

  private static Compiled compile(String json) {
    JsonNode document;
    try {
      document = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the policy schema is not valid JSON: " + e.getMessage(), e);
    }
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));
    return new Compiled(document, registry.getSchema(document));
  }

  /** The compiled schema; null for {@link #NONE}. */
  private Compiled compiled() {
    Compiled c = compiled;
    if (c == null && !text.isEmpty()) {
      synchronized (this) {
        c = compiled;
        if (c == null) {
          c = compile(text);
          compiled = c;
        }
      }
    }
    return c;
  }

  /** The schema shipped on the classpath at {@link #RESOURCE} (by the {@code rules} module), if there. */
  public static Optional<PolicySchema> bundled() {
    Optional<PolicySchema> b = bundled;
    if (b == null) {
      synchronized (PolicySchema.class) {
        b = bundled;
        if (b == null) {
          b = load();
          bundled = b;
        }
      }
    }
    return b;
  }

  private static Optional<PolicySchema> load() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    InputStream in = loader == null ? null : loader.getResourceAsStream(RESOURCE);
    if (in == null) {
      in = PolicySchema.class.getClassLoader().getResourceAsStream(RESOURCE);
    }
    if (in == null) {
      return Optional.empty();
    }
    try (InputStream i = in) {
      // compiled when first needed (the build's tests compile and apply it to every pack)
      return Optional.of(new PolicySchema(new String(i.readAllBytes(), StandardCharsets.UTF_8), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether this is {@link #NONE}. */
  public boolean isNone() {
    return text.isEmpty();
  }

  /** The schema's JSON text ({@code ""} for {@link #NONE}). */
  public String text() {
    return text;
  }

  // ---- checking a document ----------------------------------------------------------------------

  /**
   * Checks a composed document: throws the first structural error at once, and returns the
   * value errors for {@link Result#throwRemaining()} to raise after the loader's own checks.
   */
  Result check(String file, Node root) {
    JsonNode tree = toJson(file, root, new ArrayList<>(), Collections.newSetFromMap(new IdentityHashMap<>()),
        new int[] {0});
    if (isNone()) {
      return new Result(List.of());
    }
    List<Problem> problems = new ArrayList<>();
    for (Error e : compiled().schema().validate(tree)) {
      problems.add(problem(file, root, e));
    }
    problems.sort(Comparator.comparingInt((Problem p) -> p.line).thenComparingInt(p -> p.column)
        .thenComparingInt(p -> p.structural ? 0 : 1));
    for (Problem p : problems) {
      if (p.structural) {
        throw p.exception;
      }
    }
    return new Result(problems);
  }

  /** The value errors of a checked document, raised once the loader's own checks have passed. */
  static final class Result {
    private final List<Problem> problems;

    /** Nothing to report: a document not checked (a built-in pack, or one checked before). */
    static final Result PASSED = new Result(List.of());

    private Result(List<Problem> problems) {
      this.problems = problems;
    }

    void throwRemaining() {
      if (!problems.isEmpty()) {
        throw problems.get(0).exception;
      }
    }
  }

  private record Problem(int line, int column, boolean structural, PolicyException exception) {}

  private Problem problem(String file, Node root, Error e) {
    List<Object> path = elements(e.getInstanceLocation());
    Node at = locate(root, path);
    String where = where(root, path);
    String keyword = e.getKeyword();
    JsonNode subschema = parentOf(e);
    String message;
    switch (keyword) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String key = e.getProperty();
        if (at instanceof MappingNode m) {
          Node keyNode = keyNode(m, key);
          at = keyNode == null ? at : keyNode;
        }
        Set<String> known = new TreeSet<>();
        subschema.path("properties").fieldNames().forEachRemaining(known::add);
        String forType = ruleType(root, path).filter(t -> pointer(e).contains("/then/")).map(t -> " for type " + t)
            .orElse("");
        message = prefix(where) + "unknown key '" + key + "'" + forType + PolicyLoader.suggestion(key, known)
            + " (known: " + String.join(", ", known) + ")";
      }
      case "required" -> message = (where.isEmpty() ? "" : where + ".") + e.getProperty() + ": required key is missing";
      case "type" -> message = prefix(where) + "expected " + expected(subschema) + ", found " + found(at);
      case "const" -> message = prefix(where) + "expected " + subschema.path("const").asText() + ", found " + found(at);
      case "enum" -> {
        List<String> values = new ArrayList<>();
        subschema.path("enum").forEach(v -> values.add(v.asText()));
        message = prefix(where) + found(at) + " is not " + title(subschema).orElse("allowed") + " (expected "
            + oneOf(values) + ")";
      }
      default -> message = prefix(where) + found(at) + " is not "
          + title(subschema).orElse("valid") + " (" + e.getMessage() + ")";
    }
    Mark mark = at == null ? null : at.getStartMark();
    int line = mark == null ? 1 : mark.getLine() + 1;
    int column = mark == null ? 1 : mark.getColumn() + 1;
    return new Problem(line, column, STRUCTURAL.contains(keyword), new PolicyException(file, line, column, message));
  }

  /** The subschema holding the failing keyword, read from the schema document. */
  private JsonNode parentOf(Error e) {
    String pointer = pointer(e);
    int slash = pointer.lastIndexOf('/');
    JsonNode document = compiled().document();
    return slash <= 0 ? document : document.at(pointer.substring(0, slash));
  }

  private static String pointer(Error e) {
    NodePath fragment = e.getSchemaLocation().getFragment();
    return fragment == null ? "" : fragment.toString();
  }

  private static Optional<String> title(JsonNode subschema) {
    return subschema.hasNonNull("title") ? Optional.of(subschema.get("title").asText()) : Optional.empty();
  }

  /** The subschema's title, else its types in words. */
  private static String expected(JsonNode subschema) {
    Optional<String> title = title(subschema);
    if (title.isPresent()) {
      return title.get();
    }
    JsonNode type = subschema.path("type");
    List<String> words = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> words.add(typeWord(t.asText())));
    } else {
      words.add(typeWord(type.asText()));
    }
    return String.join(" or ", words);
  }

  private static String typeWord(String jsonType) {
    return switch (jsonType) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "string" -> "a text value";
      case "boolean" -> "true or false";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "null" -> "nothing";
      default -> jsonType;
    };
  }

  private static String found(Node n) {
    if (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      return "nothing";
    }
    return PolicyLoader.kind(n);
  }

  private static String oneOf(List<String> values) {
    if (values.size() <= 1) {
      return String.join("", values);
    }
    return String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.get(values.size() - 1);
  }

  private static String prefix(String where) {
    return where.isEmpty() ? "" : where + ": ";
  }

  private static List<Object> elements(NodePath path) {
    List<Object> out = new ArrayList<>();
    if (path != null) {
      for (int i = 0; i < path.getNameCount(); i++) {
        out.add(path.getElement(i));
      }
    }
    return out;
  }

  /** The YAML node at a JSON path; the deepest existing one when the path runs out. */
  private static Node locate(Node root, List<Object> path) {
    Node n = root;
    for (Object step : path) {
      Node next = null;
      if (n instanceof MappingNode m && step instanceof String key) {
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
            next = t.getValueNode();
          }
        }
      } else if (n instanceof SequenceNode s && step instanceof Integer i && i < s.getValue().size()) {
        next = s.getValue().get(i);
      }
      if (next == null) {
        return n;
      }
      n = next;
    }
    return n;
  }

  private static Node keyNode(MappingNode m, String key) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return k;
      }
    }
    return null;
  }

  /**
   * The path as the loader's messages name it: {@code rules.<id>.key} inside a rule with an id,
   * else {@code rules[0].key}, {@code exceptions[1].until}, {@code failOn}.
   */
  static String where(Node root, List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      Object step = path.get(i);
      if (step instanceof Integer index) {
        Optional<String> id = i == 1 && "rules".equals(path.get(0)) ? ruleId(locate(root, path.subList(0, 2)))
            : Optional.empty();
        if (id.isPresent()) {
          sb.append('.').append(id.get());
        } else {
          sb.append('[').append(index).append(']');
        }
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(step);
      }
    }
    return sb.toString();
  }

  private static Optional<String> ruleId(Node rule) {
    if (rule instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id") && t.getValueNode() instanceof ScalarNode v
            && !v.getValue().isEmpty()) {
          return Optional.of(v.getValue());
        }
      }
    }
    return Optional.empty();
  }

  /** The {@code type} of the rule at {@code path} ({@code rules/N}), if it has one. */
  private static Optional<String> ruleType(Node root, List<Object> path) {
    if (path.size() != 2 || !"rules".equals(path.get(0))) {
      return Optional.empty();
    }
    if (locate(root, path) instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("type") && t.getValueNode() instanceof ScalarNode v) {
          return Optional.of(v.getValue());
        }
      }
    }
    return Optional.empty();
  }

  // ---- YAML nodes to JSON -----------------------------------------------------------------------

  /**
   * The JSON tree of a composed YAML node. Refuses keys that are not plain text, duplicate keys,
   * an alias that contains itself, and documents that expand (through aliases) to more than
   * {@link #MAX_VALUES} values.
   */
  static JsonNode toJson(String file, Node n, List<Object> path, Set<Node> ancestors, int[] count) {
    if (++count[0] > MAX_VALUES) {
      throw PolicyLoader.error(file, n, "the document expands to more than " + MAX_VALUES
          + " values (through aliases); write it out plainly");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n instanceof ScalarNode s) {
      return scalar(s);
    }
    if (!ancestors.add(n)) {
      throw PolicyLoader.error(file, n, "an alias that contains itself; write the value out plainly");
    }
    try {
      if (n instanceof MappingNode m) {
        ObjectNode o = f.objectNode();
        Set<String> seen = new LinkedHashSet<>();
        for (NodeTuple t : m.getValue()) {
          if (!(t.getKeyNode() instanceof ScalarNode k)) {
            throw PolicyLoader.error(file, t.getKeyNode(), prefix(whereOf(path)) + "keys must be plain text");
          }
          if (!seen.add(k.getValue())) {
            throw PolicyLoader.error(file, k, prefix(whereOf(path)) + "duplicate key '" + k.getValue() + "'");
          }
          path.add(k.getValue());
          o.set(k.getValue(), toJson(file, t.getValueNode(), path, ancestors, count));
          path.remove(path.size() - 1);
        }
        return o;
      }
      SequenceNode seq = (SequenceNode) n;
      ArrayNode a = f.arrayNode();
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        path.add(i);
        a.add(toJson(file, items.get(i), path, ancestors, count));
        path.remove(path.size() - 1);
      }
      return a;
    } finally {
      ancestors.remove(n);
    }
  }

  /** Duplicate-key messages name the mapping as the loader does (rules by index here). */
  private static String whereOf(List<Object> path) {
    return path.stream().map(p -> p instanceof Integer i ? "[" + i + "]" : "." + p).collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /**
   * A scalar typed by its YAML tag, as an editor's YAML language server reads it: decimal
   * integers and floats as numbers, {@code true}/{@code false} as booleans, {@code null}/{@code ~}
   * and empty values as null, everything else (dates, {@code yes}, octal, quoted text) as text.
   */
  private static JsonNode scalar(ScalarNode s) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String v = s.getValue();
    Tag tag = s.getTag();
    if (tag.equals(Tag.INT) && v.matches("[-+]?(0|[1-9][0-9]*)")) {
      return f.numberNode(new BigInteger(v));
    }
    if (tag.equals(Tag.FLOAT) && v.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
      return f.numberNode(new java.math.BigDecimal(v));
    }
    if (tag.equals(Tag.BOOL) && (v.equals("true") || v.equals("false"))) {
      return f.booleanNode(v.equals("true"));
    }
    if (tag.equals(Tag.NULL)) {
      return f.nullNode();
    }
    return f.textNode(v);
  }
}
