package io.imagegate.policy;

import io.imagegate.image.ImageConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.emitter.Emitter;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.serializer.Serializer;

/**
 * Reads policy YAML into an effective {@link Policy}: validates every key and value with its
 * {@code file:line:column}, resolves {@code extends} (built-in packs by name, other files by
 * relative path), merges rules by id and appends exceptions in order.
 *
 * <p>YAML is only composed into nodes, never constructed into objects, so no tag can instantiate
 * a type; aliases, nesting and document size are bounded.
 */
public final class PolicyLoader {
  /** The only {@code apiVersion} this loader reads. */
  public static final String API_VERSION = "imagegate/v1";

  private static final Set<String> TOP_KEYS =
      Set.of("apiVersion", "kind", "name", "description", "extends", "failOn", "rules", "exceptions");
  private static final Set<String> RULE_KEYS = Set.of("id", "type", "severity", "message", "help", "enabled");
  private static final Set<String> EXCEPTION_KEYS = Set.of("rule", "images", "paths", "reason", "until");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  /** A rule id, or a glob over ids: the id characters plus {@code * ? [ ] !}. */
  private static final Pattern RULE_GLOB = Pattern.compile("[A-Za-z0-9._*?\\[\\]!-]+");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final int MAX_DOCUMENT_CHARS = 1 << 20;
  private static final int MAX_EXTENDS_DEPTH = 16;

  private final RuleTypes types;
  private final PackResolver packs;
  private final PolicySchema schema;
  private final CheckedDocuments checked;

  /**
   * A loader that checks documents against the bundled JSON Schema ({@link PolicySchema#bundled()},
   * shipped by the {@code rules} module) when it is on the classpath, and with its own checks only
   * when not.
   */
  public PolicyLoader(RuleTypes types, PackResolver packs) {
    this(types, packs, PolicySchema.bundled().orElse(PolicySchema.NONE));
  }

  /** A loader that checks every document against {@code schema} before its own checks. */
  public PolicyLoader(RuleTypes types, PackResolver packs, PolicySchema schema) {
    this(types, packs, schema, CheckedDocuments.NONE);
  }

  private PolicyLoader(RuleTypes types, PackResolver packs, PolicySchema schema, CheckedDocuments checked) {
    this.types = types;
    this.packs = packs;
    this.schema = schema;
    this.checked = checked;
  }

  /**
   * This loader, skipping the schema for documents {@code checked} says passed it before, and
   * recording those that pass now. Its own checks still run on every document.
   */
  public PolicyLoader remembering(CheckedDocuments checked) {
    return new PolicyLoader(types, packs, schema, checked);
  }

  /** The schema documents are checked against ({@link PolicySchema#NONE} when none). */
  public PolicySchema schema() {
    return schema;
  }

  /** Loads a policy file. */
  public Policy load(Path file) {
    return loadFile(file, new ArrayDeque<>());
  }

  /** Loads a built-in pack by name. */
  public Policy loadPack(String name) {
    return toPolicy(name, loadPack(name, new ArrayDeque<>(), null, null));
  }

  /** Loads policy text; {@code name} names it in messages, {@code baseDir} anchors relative {@code extends}. */
  public Policy load(String name, String text, Path baseDir) {
    return toPolicy(name, parse(name, text, baseDir, new ArrayDeque<>(), false));
  }

  private Policy loadFile(Path file, Deque<String> stack) {
    return toPolicy(file.toString(), parseFile(file, stack, null, null));
  }

  private static Policy toPolicy(String name, Parsed parsed) {
    return new Policy(parsed.name.orElse(name), parsed.failOn, List.copyOf(parsed.rules.values()), parsed.exceptions);
  }

  /** A parsed document: its rules after its own extends, by id in order, and its exceptions after theirs. */
  private record Parsed(Optional<String> name, Optional<Severity> failOn, LinkedHashMap<String, PolicyRule> rules,
      List<Waiver> exceptions) {}

  private Parsed parseFile(Path file, Deque<String> stack, String fromFile, Node fromNode) {
    String key = file.toAbsolutePath().normalize().toString();
    if (stack.contains(key)) {
      throw error(fromFile, fromNode, "extends: cycle: " + String.join(" -> ", stack) + " -> " + key);
    }
    if (!Files.isRegularFile(file)) {
      if (fromFile != null) {
        throw error(fromFile, fromNode, "extends: no such policy file " + file);
      }
      throw new PolicyException(file.toString(), "no such policy file");
    }
    String text;
    try {
      if (Files.size(file) > MAX_DOCUMENT_CHARS) {
        throw new PolicyException(file.toString(), "larger than " + MAX_DOCUMENT_CHARS + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException(file.toString(), "cannot read: " + e.getMessage());
    }
    stack.push(key);
    try {
      Path base = file.toAbsolutePath().getParent();
      return parse(file.toString(), text, base, stack, false);
    } finally {
      stack.pop();
    }
  }

  private Parsed loadPack(String name, Deque<String> stack, String fromFile, Node fromNode) {
    String key = "pack:" + name;
    if (stack.contains(key)) {
      throw error(fromFile, fromNode, "extends: cycle: " + String.join(" -> ", stack) + " -> " + key);
    }
    String text = packs.text(name).orElseThrow(() -> fromFile == null
        ? new PolicyException(name, "no built-in policy pack named '" + name + "' (available: " + sorted(packs.names()) + ")")
        : error(fromFile, fromNode, "extends: no built-in policy pack named '" + name + "'"
            + suggestion(name, packs.names()) + " (available: " + sorted(packs.names())
            + "; a file must be a path ending in .yaml or .yml)"));
    stack.push(key);
    try {
      return parse("builtin:" + name, text, null, stack, true);
    } finally {
      stack.pop();
    }
  }

  private Parsed parse(String file, String text, Path baseDir, Deque<String> stack, boolean builtin) {
    if (stack.size() > MAX_EXTENDS_DEPTH) {
      throw new PolicyException(file, "extends nests deeper than " + MAX_EXTENDS_DEPTH + " levels");
    }
    Node root = compose(file, text);
    // the schema's structural errors first; its value errors only if our more specific checks pass.
    // A built-in pack ships in the jar and is checked against the schema by the build
    // (PolicySchemaFileTest): it is not checked again on every run.
    // A document whose exact text passed the schema before (same schema) passes again.
    String checkedKey = builtin || schema.isNone() ? null : CheckedDocuments.key(schema, text);
    PolicySchema.Result schemaResult = builtin || checkedKey != null && checked.contains(checkedKey)
        ? PolicySchema.Result.PASSED : schema.check(file, root);
    if (!(root instanceof MappingNode top)) {
      throw error(file, root, "a policy is a mapping with apiVersion, kind and rules; found " + kind(root));
    }
    Map<String, NodeTuple> keys = mapping(file, top, TOP_KEYS, "");
    ScalarNode api = scalar(file, keys.get("apiVersion"), "apiVersion", top);
    if (!api.getValue().equals(API_VERSION)) {
      throw error(file, api, "apiVersion: expected " + API_VERSION + ", found '" + api.getValue() + "'");
    }
    ScalarNode kindNode = scalar(file, keys.get("kind"), "kind", top);
    if (!kindNode.getValue().equals("Policy")) {
      throw error(file, kindNode, "kind: expected Policy, found '" + kindNode.getValue() + "'");
    }
    Optional<String> name = optionalScalar(file, keys.get("name"), "name").map(ScalarNode::getValue);
    optionalScalar(file, keys.get("description"), "description");
    Optional<Severity> failOn = optionalScalar(file, keys.get("failOn"), "failOn").map(s -> severity(file, s, "failOn"));

    LinkedHashMap<String, PolicyRule> rules = new LinkedHashMap<>();
    List<Waiver> exceptions = new ArrayList<>();
    NodeTuple ext = keys.get("extends");
    if (ext != null) {
      for (Node item : sequence(file, ext.getValueNode(), "extends")) {
        if (!(item instanceof ScalarNode s)) {
          throw error(file, item, "extends: expected a pack name or a file path, found " + kind(item));
        }
        String ref = s.getValue();
        Parsed parent;
        if (ref.endsWith(".yaml") || ref.endsWith(".yml") || ref.contains("/")) {
          if (baseDir == null) {
            throw error(file, item, "extends: a built-in pack can only extend other built-in packs");
          }
          parent = parseFile(baseDir.resolve(ref), stack, file, item);
        } else {
          parent = loadPack(ref, stack, file, item);
        }
        parent.rules.forEach(rules::put);
        exceptions.addAll(parent.exceptions);
        if (failOn.isEmpty() && parent.failOn.isPresent()) {
          failOn = parent.failOn;
        }
      }
    }

    NodeTuple rulesTuple = keys.get("rules");
    Set<String> ownIds = new HashSet<>();
    if (rulesTuple != null) {
      List<Node> items = sequence(file, rulesTuple.getValueNode(), "rules");
      for (int i = 0; i < items.size(); i++) {
        rule(file, items.get(i), i, rules, ownIds);
      }
    }
    NodeTuple exceptionsTuple = keys.get("exceptions");
    if (exceptionsTuple != null) {
      List<Node> items = sequence(file, exceptionsTuple.getValueNode(), "exceptions");
      for (int i = 0; i < items.size(); i++) {
        exceptions.add(exception(file, items.get(i), i));
      }
    }
    schemaResult.throwRemaining();
    if (checkedKey != null) {
      checked.add(checkedKey);
    }
    return new Parsed(name, failOn, rules, List.copyOf(exceptions));
  }

  private static Waiver exception(String file, Node node, int index) {
    String where = "exceptions[" + index + "]";
    if (!(node instanceof MappingNode m)) {
      throw error(file, node, where + ": expected an exception (a mapping with rule and reason), found " + kind(node));
    }
    Map<String, NodeTuple> keys = mapping(file, m, EXCEPTION_KEYS, where);
    ScalarNode ruleNode = scalar(file, keys.get("rule"), where + ".rule", m);
    String rule = ruleNode.getValue();
    if (!RULE_GLOB.matcher(rule).matches()) {
      throw error(file, ruleNode, where + ".rule: '" + rule + "' is not a rule id or a glob over rule ids (e.g. no-shell, no-*)");
    }
    try {
      NameGlob.compile(rule);
    } catch (IllegalArgumentException e) {
      throw error(file, ruleNode, where + ".rule: bad glob: " + e.getMessage());
    }
    List<String> images = new ArrayList<>();
    for (ScalarNode s : texts(file, keys.get("images"), where + ".images")) {
      try {
        NameGlob.compile(s.getValue());
      } catch (IllegalArgumentException e) {
        throw error(file, s, where + ".images: bad glob: " + e.getMessage());
      }
      images.add(s.getValue());
    }
    List<String> paths = new ArrayList<>();
    for (ScalarNode s : texts(file, keys.get("paths"), where + ".paths")) {
      try {
        Glob.compile(s.getValue());
      } catch (IllegalArgumentException e) {
        throw error(file, s, where + ".paths: bad glob: " + e.getMessage());
      }
      paths.add(s.getValue());
    }
    ScalarNode reasonNode = scalar(file, keys.get("reason"), where + ".reason", m);
    if (reasonNode.getValue().isBlank()) {
      throw error(file, reasonNode, where + ".reason: say why the findings are acceptable (a ticket, a risk owner)");
    }
    Optional<LocalDate> until = optionalScalar(file, keys.get("until"), where + ".until").map(s -> {
      try {
        if (!DATE.matcher(s.getValue()).matches()) {
          throw new DateTimeParseException("not YYYY-MM-DD", s.getValue(), 0);
        }
        return LocalDate.parse(s.getValue());
      } catch (DateTimeParseException e) {
        throw error(file, s, where + ".until: '" + s.getValue() + "' is not a date (expected YYYY-MM-DD, e.g. 2025-06-30)");
      }
    });
    Mark mark = m.getStartMark();
    return Waiver.of(rule, images, paths, reasonNode.getValue(), until, file + ":" + (mark.getLine() + 1));
  }

  /** A text or a list of texts, with their nodes; empty when absent. */
  private static List<ScalarNode> texts(String file, NodeTuple t, String key) {
    if (t == null) {
      return List.of();
    }
    Node n = t.getValueNode();
    if (n instanceof ScalarNode s) {
      return List.of(s);
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(file, n, key + ": expected a list of texts, found " + kind(n));
    }
    List<ScalarNode> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (!(item instanceof ScalarNode s)) {
        throw error(file, item, key + ": expected a list of texts, found a nested " + kind(item));
      }
      out.add(s);
    }
    return out;
  }

  private void rule(String file, Node node, int index, LinkedHashMap<String, PolicyRule> rules, Set<String> ownIds) {
    String where = "rules[" + index + "]";
    if (!(node instanceof MappingNode m)) {
      throw error(file, node, where + ": expected a rule (a mapping with id and type), found " + kind(node));
    }
    Map<String, NodeTuple> keys = mapping(file, m, null, where);
    ScalarNode idNode = scalar(file, keys.get("id"), where + ".id", m);
    String id = idNode.getValue();
    if (!ID.matcher(id).matches()) {
      throw error(file, idNode, where + ".id: '" + id + "' is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)");
    }
    if (!ownIds.add(id)) {
      throw error(file, idNode, where + ".id: duplicate rule id '" + id + "' in this file");
    }
    Optional<Severity> severity = optionalScalar(file, keys.get("severity"), where + ".severity")
        .map(s -> severity(file, s, "rules." + id + ".severity"));
    Optional<String> message = optionalScalar(file, keys.get("message"), where + ".message").map(ScalarNode::getValue);
    Optional<String> help = optionalScalar(file, keys.get("help"), where + ".help").map(ScalarNode::getValue);
    Optional<ScalarNode> enabledNode = optionalScalar(file, keys.get("enabled"), where + ".enabled");
    boolean enabled = enabledNode.map(s -> switch (s.getValue()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(file, s, "rules." + id + ".enabled: expected true or false, found '" + s.getValue() + "'");
    }).orElse(true);

    NodeTuple typeTuple = keys.get("type");
    if (typeTuple == null) {
      // no type: adjust a rule inherited through extends
      PolicyRule inherited = rules.get(id);
      if (inherited == null) {
        throw error(file, m, where + ": rule '" + id + "' has no type (and no rule with that id is inherited to adjust)");
      }
      Set<String> allowed = Set.of("id", "severity", "message", "help", "enabled");
      for (NodeTuple t : m.getValue()) {
        String k = ((ScalarNode) t.getKeyNode()).getValue();
        if (!allowed.contains(k)) {
          throw error(file, t.getKeyNode(), "rules." + id + "." + k
              + ": an inherited rule can only be adjusted (severity, message, help, enabled); give a type to redefine it");
        }
      }
      if (!enabled) {
        rules.remove(id);
        return;
      }
      PolicyRule adjusted = inherited;
      if (severity.isPresent()) {
        adjusted = adjusted.withSeverity(severity.get());
      }
      if (message.isPresent()) {
        adjusted = adjusted.withMessage(message.get());
      }
      if (help.isPresent()) {
        adjusted = adjusted.withHelp(help.get());
      }
      rules.put(id, adjusted);
      return;
    }
    ScalarNode typeNode = scalar(file, typeTuple, where + ".type", m);
    RuleType type = types.get(typeNode.getValue()).orElseThrow(() -> error(file, typeNode,
        "rules." + id + ".type: unknown rule type '" + typeNode.getValue() + "'"
            + suggestion(typeNode.getValue(), types.all().stream().map(RuleType::name).collect(Collectors.toSet()))
            + " (known: " + types.all().stream().map(RuleType::name).collect(Collectors.joining(", ")) + ")"));
    RuleParameters params = new RuleParameters(file, id, m, RULE_KEYS);
    Check check = type.configure(params);
    List<NodeTuple> unread = params.unread();
    if (!unread.isEmpty()) {
      NodeTuple t = unread.get(0);
      String k = ((ScalarNode) t.getKeyNode()).getValue();
      Set<String> known = new HashSet<>(RULE_KEYS);
      type.documentation().parameters().forEach(p -> known.add(p.name()));
      throw error(file, t.getKeyNode(), "rules." + id + ": unknown key '" + k + "' for type " + type.name()
          + suggestion(k, known) + " (known: " + sorted(known) + ")");
    }
    if (!enabled) {
      rules.remove(id);
      return;
    }
    Mark mark = m.getStartMark();
    rules.remove(id); // a redefinition moves to where it was redefined
    rules.put(id, new PolicyRule(id, type, severity.orElse(Severity.ERROR), message, help, check,
        file + ":" + (mark.getLine() + 1), parametersYaml(m)));
  }

  /**
   * A rule's parameters (every key but the common ones) as a YAML block mapping. The value nodes
   * are serialised as they were composed, so each scalar keeps its style and reads back with the
   * same type.
   */
  private static String parametersYaml(MappingNode rule) {
    List<NodeTuple> params = new ArrayList<>();
    for (NodeTuple t : rule.getValue()) {
      if (!RULE_KEYS.contains(((ScalarNode) t.getKeyNode()).getValue())) {
        params.add(t);
      }
    }
    if (params.isEmpty()) {
      return "";
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(1000);
    options.setIndent(2);
    StringWriter out = new StringWriter();
    // what Yaml.serialize does, without a Yaml (whose constructor and representer cost start-up)
    Serializer serializer = new Serializer(new Emitter(out, options), new Resolver(), options, null);
    try {
      serializer.open();
      serializer.serialize(new MappingNode(Tag.MAP, params, DumperOptions.FlowStyle.BLOCK));
      serializer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  // ---- YAML helpers ----------------------------------------------------------------------------

  private static Node compose(String file, String text) {
    if (text.length() > MAX_DOCUMENT_CHARS) {
      throw new PolicyException(file, "larger than " + MAX_DOCUMENT_CHARS + " characters");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(32);
    options.setCodePointLimit(MAX_DOCUMENT_CHARS);
    options.setAllowRecursiveKeys(false);
    try {
      // compose only (never construct objects): a parser and a composer, as Yaml.compose uses
      Node node = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options)
          .getSingleNode();
      if (node == null) {
        throw new PolicyException(file, 1, 1, "empty policy: expected apiVersion, kind and rules");
      }
      return node;
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new PolicyException(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
          "YAML syntax error: " + ImageConfig.oneLine(problem + context));
    } catch (YAMLException e) {
      throw new PolicyException(file, 1, 1, "YAML error: " + ImageConfig.oneLine(e.getMessage()));
    }
  }

  /** Checks a mapping's keys (scalar, unique, known when {@code allowed} is given). */
  private static Map<String, NodeTuple> mapping(String file, MappingNode m, Set<String> allowed, String where) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw error(file, t.getKeyNode(), prefix(where) + "keys must be plain text");
      }
      if (out.put(k.getValue(), t) != null) {
        throw error(file, k, prefix(where) + "duplicate key '" + k.getValue() + "'");
      }
      if (allowed != null && !allowed.contains(k.getValue())) {
        throw error(file, k, prefix(where) + "unknown key '" + k.getValue() + "'" + suggestion(k.getValue(), allowed)
            + " (known: " + sorted(allowed) + ")");
      }
    }
    return out;
  }

  private static String prefix(String where) {
    return where.isEmpty() ? "" : where + ": ";
  }

  private static ScalarNode scalar(String file, NodeTuple t, String key, Node parent) {
    if (t == null) {
      throw error(file, parent, key + ": required key is missing");
    }
    if (!(t.getValueNode() instanceof ScalarNode s)) {
      throw error(file, t.getValueNode(), key + ": expected a text value, found " + kind(t.getValueNode()));
    }
    return s;
  }

  private static Optional<ScalarNode> optionalScalar(String file, NodeTuple t, String key) {
    if (t == null) {
      return Optional.empty();
    }
    if (!(t.getValueNode() instanceof ScalarNode s)) {
      throw error(file, t.getValueNode(), key + ": expected a text value, found " + kind(t.getValueNode()));
    }
    return Optional.of(s);
  }

  private static List<Node> sequence(String file, Node n, String key) {
    if (!(n instanceof SequenceNode s)) {
      throw error(file, n, key + ": expected a list, found " + kind(n));
    }
    return s.getValue();
  }

  private static Severity severity(String file, ScalarNode s, String key) {
    try {
      return Severity.parse(s.getValue());
    } catch (IllegalArgumentException e) {
      throw error(file, s, key + ": " + e.getMessage());
    }
  }

  static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return n instanceof ScalarNode s ? "'" + s.getValue() + "'" : "nothing";
  }

  static PolicyException error(String file, Node at, String message) {
    Mark mark = at == null ? null : at.getStartMark();
    return new PolicyException(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
        message);
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }

  /** "; did you mean 'x'?" for a close known name (edit distance at most 2), else "". */
  static String suggestion(String wrong, Set<String> known) {
    return known.stream()
        .filter(k -> distance(wrong, k) <= 2)
        .min(Comparator.comparingInt(k -> distance(wrong, k)))
        .map(k -> "; did you mean '" + k + "'?")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
