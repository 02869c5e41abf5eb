package io.imagegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Our JSON report's schema, {@code docs/report-schema.json}, found by walking up from the working
 * directory (the module, the repository root or a worktree).
 *
 * <p>{@link #validateStrict} also forbids properties the schema doesn't list, so a field added to
 * the reporter but not to the documented contract fails the tests. The published schema itself
 * allows them, as the contract tells consumers to ignore fields they don't know.
 */
public final class ReportSchema {
  static final String FILE = "docs/report-schema.json";

  private static Schema documented;
  private static Schema strict;

  private ReportSchema() {}

  public static Path file() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(FILE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no " + FILE + " in " + start + " or any directory above it");
  }

  public static JsonNode tree() {
    try {
      return new ObjectMapper().readTree(file().toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Errors against the schema as published. */
  public static synchronized List<Error> validate(JsonNode document) {
    if (documented == null) {
      documented = load(tree());
    }
    return documented.validate(document);
  }

  /** Errors against the schema with {@code additionalProperties: false} on every object it describes. */
  public static synchronized List<Error> validateStrict(JsonNode document) {
    if (strict == null) {
      JsonNode tree = tree();
      closeObjects(tree);
      strict = load(tree);
    }
    return strict.validate(document);
  }

  private static Schema load(JsonNode tree) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(tree);
  }

  private static void closeObjects(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      boolean objectType = o.path("type").asText().equals("object")
          || (o.path("type").isArray() && o.path("type").toString().contains("\"object\""));
      if (objectType && o.has("properties") && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
      o.elements().forEachRemaining(ReportSchema::closeObjects);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(ReportSchema::closeObjects);
    }
  }
}
