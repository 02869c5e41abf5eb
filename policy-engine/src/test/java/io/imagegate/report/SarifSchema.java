package io.imagegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The official SARIF 2.1.0 schema (OASIS errata 01, JSON Schema draft-04) from {@code shared/schemas},
 * found by walking up from the working directory, so the tests run from the module, the repository
 * root or a worktree alike. {@code -Dimagegate.shared=DIR} points at another {@code shared} directory.
 */
public final class SarifSchema {
  static final String FILE = "schemas/sarif-schema-2.1.0.json";

  private static Schema schema;

  private SarifSchema() {}

  /** The schema file; fails, naming where it looked, when there is none. */
  public static Path file() {
    return SharedFiles.find(FILE);
  }

  /** The validation errors for {@code document}; empty when it is valid SARIF. */
  public static synchronized List<Error> validate(JsonNode document) {
    if (schema == null) {
      try {
        JsonNode node = new ObjectMapper().readTree(file().toFile());
        // the file declares draft-04 ("$schema" and "id", not "$id"); say so rather than rely on detection
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(node);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schema.validate(document);
  }
}
