package io.imagegate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.imagegate.packs.BuiltinPacks;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.PolicySchema;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleType;
import io.imagegate.rule.StandardRuleTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The policy schema as shipped ({@code io/imagegate/schema/policy-v1.json} in this module) and as
 * published for editors ({@code schema/policy-v1.json} at the repository root): the same file, a
 * valid draft 2020-12 schema, in step with the rule types it describes, and satisfied by every
 * built-in pack.
 */
class PolicySchemaFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMMON_KEYS = Set.of("id", "type", "severity", "message", "help", "enabled");

  private static String shipped() throws IOException {
    try (InputStream in = PolicySchemaFileTest.class.getClassLoader().getResourceAsStream(PolicySchema.RESOURCE)) {
      assertThat(in).as(PolicySchema.RESOURCE + " on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code schema/policy-v1.json}, found by walking up from the working directory. */
  private static Path published() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("schema/policy-v1.json");
      if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("rules"))) {
        return candidate;
      }
    }
    throw new AssertionError("no schema/policy-v1.json above " + Path.of("").toAbsolutePath());
  }

  @Test
  void publishedCopy_isIdenticalToTheShippedOne() throws IOException {
    assertThat(Files.readString(published(), StandardCharsets.UTF_8))
        .as("schema/policy-v1.json must equal rules/src/main/resources/" + PolicySchema.RESOURCE + " (copy one onto the other)")
        .isEqualTo(shipped());
  }

  @Test
  void schema_isValidAgainstTheDraft202012MetaSchema() throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertThat(meta.validate(JSON.readTree(shipped()))).isEmpty();
  }

  @Test
  void loader_usesTheShippedSchemaByDefault() throws IOException {
    PolicyLoader loader = new PolicyLoader(StandardRuleTypes.all(), new BuiltinPacks());
    assertThat(loader.schema().isNone()).isFalse();
    assertThat(loader.schema().text()).isEqualTo(shipped());
  }

  @Test
  void everyBuiltinPack_validates() {
    PolicyLoader loader = new PolicyLoader(StandardRuleTypes.all(), new BuiltinPacks(),
        PolicySchema.bundled().orElseThrow());
    for (String pack : new BuiltinPacks().names()) {
      assertThat(loader.loadPack(pack).rules()).as(pack).isNotEmpty();
    }
  }

  @Test
  void perTypeBranches_matchTheRuleTypesAndTheirDocumentedParameters() throws IOException {
    JsonNode branches = JSON.readTree(shipped()).at("/$defs/rule/allOf");
    assertThat(branches.size()).as("branches").isGreaterThanOrEqualTo(19);
    Set<String> covered = new HashSet<>();
    for (JsonNode branch : branches) {
      String type = branch.at("/if/properties/type/const").asText();
      RuleType ruleType = StandardRuleTypes.all().get(type)
          .orElseThrow(() -> new AssertionError("the schema has a branch for unknown rule type " + type));
      covered.add(type);
      Set<String> keys = new HashSet<>();
      branch.at("/then/properties").fieldNames().forEachRemaining(keys::add);
      Set<String> expected = new HashSet<>(COMMON_KEYS);
      for (RuleDocumentation.Parameter p : ruleType.documentation().parameters()) {
        expected.add(p.name());
      }
      assertThat(keys).as("keys of the schema branch for " + type).isEqualTo(expected);
      assertThat(branch.at("/then/additionalProperties").asBoolean(true)).as(type).isFalse();
    }
    Set<String> registered = new HashSet<>();
    StandardRuleTypes.all().all().forEach(t -> registered.add(t.name()));
    assertThat(covered).as("rule types with a branch (every registered type needs one)").isEqualTo(registered);
  }
}
