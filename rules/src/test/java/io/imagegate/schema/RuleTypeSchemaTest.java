package io.imagegate.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyException;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.PolicySchema;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleType;
import io.imagegate.rule.StandardRuleTypes;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The policy schema's per-type branches against the rule types themselves, for every registered
 * type: a rule using all its parameters validates (with the schema alone and through the loader),
 * an unknown parameter is refused with the loader's message (the type and its known keys), and a
 * value of the wrong kind is refused by the schema as well as by the loader's own checks.
 */
class RuleTypeSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEAD = "apiVersion: imagegate/v1\nkind: Policy\nrules:\n  - id: r\n    type: ";
  private static final Set<String> COMMON_KEYS = Set.of("id", "type", "severity", "message", "help", "enabled");
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  /**
   * For every rule type, its parameters, all of them, with valid values (block YAML, indented as a
   * rule's keys). A new type needs an entry here.
   */
  private static final Map<String, String> EVERY_PARAMETER = Map.ofEntries(
      Map.entry("max-size", """
              uncompressed: 100MB
              compressed: 40MiB
          """),
      Map.entry("max-layers", """
              max: 20
          """),
      Map.entry("max-layer-size", """
              uncompressed: 50MB
              compressed: 20 MB
          """),
      Map.entry("efficiency", """
              lowest-efficiency: 0.9
              highest-wasted-bytes: 20MB
              highest-user-wasted-percent: 10%
              offenders: 3
          """),
      Map.entry("size-regression", """
              max-growth: 5MB
              max-growth-percent: 10%
              measure: compressed
          """),
      Map.entry("forbidden-files", """
              names: [curl, wget]
              paths: ['**/.git/**']
          """),
      Map.entry("required-files", """
              paths: [/etc/ssl/certs/ca-certificates.crt, '/usr/share/zoneinfo/*']
          """),
      Map.entry("file-permissions", """
              setuid: true
              setuid-allowed: [/usr/bin/passwd]
              world-writable: false
              world-writable-allowed: ['/var/tmp/**']
              root-owned: true
              system-paths: [/bin, /usr/bin]
              owner-allowed: ['/etc/app/**']
          """),
      Map.entry("no-shell", """
              shells: [sh, bash]
              check-entrypoint: false
          """),
      Map.entry("secrets", """
              max-file-size: 2MiB
              ignore-paths: ['/opt/fixtures/**']
              default-ignores: false
              check-env: true
              check-history: false
          """),
      Map.entry("forbidden-packages", """
              names: [apt, 'gcc*']
              except: [libc-dev-bin]
          """),
      Map.entry("required-user", """
              numeric: true
              must-resolve: false
              allowed: [65532, app]
          """),
      Map.entry("required-labels", """
              labels:
                org.opencontainers.image.source: ''
                org.opencontainers.image.version: '^\\d+\\.\\d+\\.\\d+$'
          """),
      Map.entry("healthcheck", """
              exec-form: true
          """),
      Map.entry("exposed-ports", """
              allowed: [8080, 8443/tcp]
          """),
      Map.entry("entrypoint", """
              require-entrypoint: false
              exec-form: true
          """),
      Map.entry("forbidden-env", """
              keys: ['*_PASSWORD', 'AWS_*']
              except: ['*_FILE']
              case-sensitive: true
          """),
      Map.entry("base-image", """
              allowed:
                - name: gcr.io/distroless/*
                  digest: %s
                - diff-ids: [%s]
              trust-labels: false
          """.formatted(DIGEST, DIGEST)),
      Map.entry("forbidden-instructions", """
              instructions: [ADD, maintainer]
              allow-base-rootfs: false
          """));

  private static Schema compiled;

  private static synchronized Schema schema() {
    if (compiled == null) {
      String text = PolicySchema.bundled().orElseThrow().text();
      try {
        compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(JSON.readTree(text));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    return compiled;
  }

  /** The schema's errors for a policy text, validated directly (not through the loader). */
  private static List<Error> schemaErrors(String yaml) {
    return schema().validate(json(new Yaml().compose(new StringReader(yaml))));
  }

  /**
   * A YAML node as JSON, scalars typed as an editor's YAML language server (YAML 1.2) reads them:
   * decimal numbers are numbers, only {@code true}/{@code false} are booleans ({@code yes},
   * {@code off} are text), quoted scalars are text.
   */
  private static JsonNode json(Node n) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n instanceof MappingNode m) {
      ObjectNode o = f.objectNode();
      for (NodeTuple t : m.getValue()) {
        o.set(((ScalarNode) t.getKeyNode()).getValue(), json(t.getValueNode()));
      }
      return o;
    }
    if (n instanceof SequenceNode s) {
      ArrayNode a = f.arrayNode();
      s.getValue().forEach(item -> a.add(json(item)));
      return a;
    }
    ScalarNode s = (ScalarNode) n;
    String v = s.getValue();
    if (s.getTag().equals(Tag.INT) && v.matches("[-+]?(0|[1-9][0-9]*)")) {
      return f.numberNode(new BigInteger(v));
    }
    if (s.getTag().equals(Tag.FLOAT) && v.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
      return f.numberNode(new BigDecimal(v));
    }
    if (s.getTag().equals(Tag.BOOL) && (v.equals("true") || v.equals("false"))) {
      return f.booleanNode(v.equals("true"));
    }
    return s.getTag().equals(Tag.NULL) ? f.nullNode() : f.textNode(v);
  }

  private static Policy load(String yaml) {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE, PolicySchema.bundled().orElseThrow())
        .load("p.yaml", yaml, Path.of("."));
  }

  private static Policy loadWithoutSchema(String yaml) {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE, PolicySchema.NONE).load("p.yaml", yaml, Path.of("."));
  }

  private static Stream<String> types() {
    return StandardRuleTypes.all().all().stream().map(RuleType::name);
  }

  private static RuleType type(String name) {
    return StandardRuleTypes.all().get(name).orElseThrow();
  }

  private static List<String> parameters(String type) {
    return type(type).documentation().parameters().stream().map(RuleDocumentation.Parameter::name).toList();
  }

  private static String everyParameter(String type) {
    String params = EVERY_PARAMETER.get(type);
    assertThat(params).as("an example of every parameter of " + type + " in EVERY_PARAMETER").isNotNull();
    return params;
  }

  // ---- coverage --------------------------------------------------------------------------------

  @Test
  void everyRegisteredType_hasABranch_andIsSuggestedForType() throws Exception {
    JsonNode document = JSON.readTree(PolicySchema.bundled().orElseThrow().text());
    Set<String> branches = new TreeSet<>();
    for (JsonNode branch : document.at("/$defs/rule/allOf")) {
      branches.add(branch.at("/if/properties/type/const").asText());
    }
    Set<String> examples = new TreeSet<>();
    document.at("/$defs/rule/properties/type/examples").forEach(e -> examples.add(e.asText()));
    Set<String> registered = new TreeSet<>(types().toList());
    assertThat(registered).hasSizeGreaterThanOrEqualTo(19);
    assertThat(branches).as("rule types with an if/then branch in the schema").isEqualTo(registered);
    assertThat(examples).as("the rule type's examples (editors offer them)").isEqualTo(registered);
    assertThat(EVERY_PARAMETER.keySet()).as("types with a full example in this test").isEqualTo(registered);
  }

  // ---- valid -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void everyParameter_validates(String type) {
    String yaml = HEAD + type + "\n" + everyParameter(type);
    Map<String, Object> rule = ruleOf(yaml);
    Set<String> written = new TreeSet<>(rule.keySet());
    written.removeAll(COMMON_KEYS);
    assertThat(written).as("the example uses every documented parameter of " + type)
        .isEqualTo(new TreeSet<>(parameters(type)));

    assertThat(schemaErrors(yaml)).as(type).isEmpty();
    assertThat(load(yaml).rules()).singleElement().satisfies(r -> assertThat(r.type().name()).isEqualTo(type));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "max-layers | max: '20'",
      "max-layers | max: ' 7 '",
      "efficiency | lowest-efficiency: 90%",
      "efficiency | highest-user-wasted-percent: 1",
      "efficiency | lowest-efficiency: '0.5'\\n    offenders: 0",
      "size-regression | max-growth-percent: 12.5",
      "size-regression | max-growth-percent: '10'",
      "size-regression | max-growth: 1048576\\n    measure: uncompressed",
      "max-layer-size | uncompressed: 1048576",
      "required-files | paths: /etc/passwd",
      "file-permissions | system-paths: []",
      "secrets | ignore-paths: /srv/**",
      "forbidden-packages | names: apt",
      "required-labels | labels: [org.opencontainers.image.source]",
      "required-labels | labels: org.opencontainers.image.source",
      "required-labels | labels: {a: ~, b: '', c: 1, d: '^v'}",
      "exposed-ports | allowed: []",
      "exposed-ports | allowed: 8080",
      "exposed-ports | allowed: 53/UDP",
      "forbidden-env | keys: '*_TOKEN'",
      "base-image | allowed: [{name: 'docker.io/library/*'}]",
      "forbidden-instructions | instructions: add",
      "healthcheck | severity: warning",
  })
  void otherWritings_theLoaderAccepts_validate(String type, String params) {
    String yaml = HEAD + type + "\n    " + params.replace("\\n", "\n") + "\n";
    assertThat(schemaErrors(yaml)).as(yaml).isEmpty();
    assertThat(load(yaml).rules()).hasSize(1);
  }

  // ---- unknown parameters ----------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void unknownParameter_isRefusedNamingTheTypeAndItsKeys(String type) {
    String yaml = HEAD + type + "\n    colour: red\n" + everyParameter(type);
    Set<String> known = new TreeSet<>(COMMON_KEYS);
    known.addAll(parameters(type));
    String expected = "p.yaml:6:5: rules.r: unknown key 'colour' for type " + type + " (known: "
        + String.join(", ", known) + ")";

    assertThat(schemaErrors(yaml)).as(type).singleElement().satisfies(e -> {
      assertThat(e.getKeyword()).isEqualTo("additionalProperties");
      assertThat(e.getProperty()).isEqualTo("colour");
    });
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(PolicyException.class).hasMessage(expected);
    assertThatThrownBy(() -> loadWithoutSchema(yaml)).isInstanceOf(PolicyException.class).hasMessage(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void misspeltParameter_getsTheSameSuggestionAsFromTheLoader(String type) {
    String parameter = parameters(type).get(0);
    String misspelt = parameter.substring(0, parameter.length() - 1);
    String yaml = HEAD + type + "\n    " + misspelt + ": x\n" + everyParameter(type);
    PolicyException withSchema = catchThrowableOfType(PolicyException.class, () -> load(yaml));
    assertThat(withSchema).as(type).isNotNull();
    assertThat(withSchema.getMessage()).startsWith("p.yaml:6:5: rules.r: unknown key '" + misspelt + "' for type " + type
        + "; did you mean '" + parameter + "'?");
    assertThat(schemaErrors(yaml)).extracting(Error::getKeyword).containsExactly("additionalProperties");
    assertThatThrownBy(() -> loadWithoutSchema(yaml)).hasMessage(withSchema.getMessage());
  }

  // ---- wrong kinds -----------------------------------------------------------------------------

  /**
   * One wrong kind of value (or more) per type: the value, the message with the schema, and whether
   * the loader's own checks refuse it too. They do except for a quoted 'true' or 'false', which
   * the loader reads as a boolean but an editor, and so the schema, as text.
   */
  private static Stream<Arguments> wrongKinds() {
    return Stream.of(
        Arguments.of("max-size", "uncompressed: [1MB]", "rules.r.uncompressed: expected a size such as 100MB, 60MiB, 5 GB or 2048, found a list", true),
        Arguments.of("max-layers", "max: [20]", "rules.r.max: expected a whole number, found a list", true),
        Arguments.of("max-layers", "max: 2.5", "rules.r.max: expected a whole number, found '2.5'", true),
        Arguments.of("max-layer-size", "compressed: true", "rules.r.compressed: expected a size such as 100MB, 60MiB, 5 GB or 2048, found 'true'", true),
        Arguments.of("efficiency", "lowest-efficiency: [0.9]", "rules.r.lowest-efficiency: expected a ratio from 0 to 1 (e.g. 0.1) or a percentage (e.g. 10%), found a list", true),
        Arguments.of("efficiency", "highest-wasted-bytes: 20MB\n    offenders: true", "rules.r.offenders: expected a whole number, found 'true'", true),
        Arguments.of("size-regression", "max-growth-percent: {a: 1}", "rules.r.max-growth-percent: expected a percentage such as 10 or 10%, found a mapping", true),
        Arguments.of("size-regression", "max-growth: 1MB\n    measure: disk", "rules.r.measure: 'disk' is not a measure (expected uncompressed or compressed)", true),
        Arguments.of("forbidden-files", "paths: {a: b}", "rules.r.paths: expected a list of texts, found a mapping", true),
        Arguments.of("required-files", "paths: [[/etc/passwd]]", "rules.r.paths[0]: expected a text value, found a list", true),
        Arguments.of("file-permissions", "setuid: 'false'", "rules.r.setuid: expected true or false, found 'false'", false),
        Arguments.of("file-permissions", "system-paths: {bin: /bin}", "rules.r.system-paths: expected a list of texts, found a mapping", true),
        Arguments.of("no-shell", "check-entrypoint: no", "rules.r.check-entrypoint: expected true or false, found 'no'", true),
        Arguments.of("secrets", "max-file-size: [1MB]", "rules.r.max-file-size: expected a size such as 100MB, 60MiB, 5 GB or 2048, found a list", true),
        Arguments.of("secrets", "check-env: yes", "rules.r.check-env: expected true or false, found 'yes'", true),
        Arguments.of("forbidden-packages", "names: [[apt]]", "rules.r.names[0]: expected a text value, found a list", true),
        Arguments.of("required-user", "numeric: 1", "rules.r.numeric: expected true or false, found '1'", true),
        Arguments.of("required-labels", "labels: [{a: b}]", "rules.r.labels[0]: expected a text value, found a mapping", true),
        Arguments.of("required-labels", "labels: [a]\n    label: x", "rules.r: unknown key 'label' for type required-labels; did you mean 'labels'? (known: enabled, help, id, labels, message, severity, type)", true),
        Arguments.of("required-labels", "labels: {a: [b]}", "rules.r.labels.a: expected a regular expression, found a list", true),
        Arguments.of("healthcheck", "exec-form: 'true'", "rules.r.exec-form: expected true or false, found 'true'", false),
        Arguments.of("exposed-ports", "allowed: {8080: tcp}", "rules.r.allowed: expected a list of ports, found a mapping", true),
        Arguments.of("exposed-ports", "allowed: [[8080]]", "rules.r.allowed[0]: expected a port such as 8080 or 8080/tcp, found a list", true),
        Arguments.of("entrypoint", "require-entrypoint: [true]", "rules.r.require-entrypoint: expected true or false, found a list", true),
        Arguments.of("forbidden-env", "keys: ['*_TOKEN']\n    case-sensitive: yes", "rules.r.case-sensitive: expected true or false, found 'yes'", true),
        Arguments.of("base-image", "allowed: gcr.io/distroless/static", "rules.r.allowed: expected a list of mappings, found 'gcr.io/distroless/static'", true),
        Arguments.of("base-image", "allowed: [gcr.io/distroless/static]", "rules.r.allowed[0]: expected a mapping (with diff-ids, digest, name), found 'gcr.io/distroless/static'", true),
        Arguments.of("base-image", "allowed: [{name: x, tag: latest}]", "rules.r.allowed[0]: unknown key 'tag' (known: diff-ids, digest, name)", true),
        Arguments.of("base-image", "allowed: [{name: [x]}]", "rules.r.allowed[0].name: expected a text value, found a list", true),
        Arguments.of("base-image", "allowed: [{name: x}]\n    trust-labels: off", "rules.r.trust-labels: expected true or false, found 'off'", true),
        Arguments.of("forbidden-instructions", "instructions: {ADD: true}", "rules.r.instructions: expected a list of texts, found a mapping", true),
        Arguments.of("forbidden-instructions", "instructions: [ADD]\n    allow-base-rootfs: 'false'", "rules.r.allow-base-rootfs: expected true or false, found 'false'", false));
  }

  @Test
  void wrongKinds_coverEveryType() {
    Set<String> covered = new TreeSet<>();
    wrongKinds().forEach(a -> covered.add((String) a.get()[0]));
    assertThat(covered).isEqualTo(new TreeSet<>(types().toList()));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("wrongKinds")
  void wrongKind_isRefused(String type, String params, String expected, boolean loaderAloneRefuses) {
    String yaml = HEAD + type + "\n    " + params + "\n";
    assertThat(schemaErrors(yaml)).as("the schema alone refuses it").isNotEmpty();
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(PolicyException.class).hasMessageEndingWith(": " + expected)
        .hasMessageStartingWith("p.yaml:");
    if (loaderAloneRefuses) {
      assertThatThrownBy(() -> loadWithoutSchema(yaml)).as("the loader's own checks refuse it too")
          .isInstanceOf(PolicyException.class);
    } else {
      assertThat(loadWithoutSchema(yaml).rules()).hasSize(1);
    }
  }

  /** A nested list is the wrong kind for every parameter: schema and loader both refuse it, at that parameter. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void nestedList_isTheWrongKindForEveryParameter(String type) {
    List<String> failures = new ArrayList<>();
    for (String parameter : parameters(type)) {
      String yaml = HEAD + type + "\n    " + parameter + ": [[x]]\n";
      if (schemaErrors(yaml).isEmpty()) {
        failures.add(parameter + ": the schema accepts it");
      }
      PolicyException e = catchThrowableOfType(PolicyException.class, () -> load(yaml));
      if (e == null || !e.getMessage().startsWith("p.yaml:6:") || !e.getMessage().contains("rules.r." + parameter)) {
        failures.add(parameter + ": " + (e == null ? "loads with the schema" : e.getMessage()));
      }
      if (catchThrowableOfType(PolicyException.class, () -> loadWithoutSchema(yaml)) == null) {
        failures.add(parameter + ": loads without the schema");
      }
    }
    assertThat(failures).as(type).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ruleOf(String yaml) {
    Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return ((List<Map<String, Object>>) document.get("rules")).get(0);
  }
}
