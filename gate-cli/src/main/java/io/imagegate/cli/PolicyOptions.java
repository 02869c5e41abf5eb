package io.imagegate.cli;

import io.imagegate.packs.BuiltinPacks;
import io.imagegate.policy.CheckedDocuments;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyException;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.PolicySchema;
import io.imagegate.policy.Severity;
import io.imagegate.rule.StandardRuleTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The policy to check against and the fail threshold. */
final class PolicyOptions {
  @Option(names = {"-p", "--policy"}, paramLabel = "FILE|PACK",
      description = "Policy YAML file, or the name of a built-in pack (default: minimal).")
  String policy;

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Fail (exit 1) on findings of this severity or worse: error, warning or note "
          + "(default: the policy's failOn, else error).")
  Severity failOn;

  /** The loader every command uses: the standard rule types, the built-in packs, and the policy schema they ship. */
  static PolicyLoader loader() {
    PolicySchema schema = PolicySchema.bundled()
        .orElseThrow(() -> new IllegalStateException(PolicySchema.RESOURCE + " is missing from the classpath"));
    return new PolicyLoader(StandardRuleTypes.all(), new BuiltinPacks(), schema);
  }

  Policy load() {
    return load(CheckedDocuments.NONE);
  }

  /** The policy, skipping the schema for documents {@code checked} says passed it before. */
  Policy load(CheckedDocuments checked) {
    PolicyLoader loader = loader().remembering(checked);
    return policy == null ? loader.loadPack(BuiltinPacks.DEFAULT) : load(loader, policy);
  }

  /**
   * A policy file, or a built-in pack by name: what exists on disk, or looks like a path (has a
   * {@code /} or ends in {@code .yaml}/{@code .yml}), is a file.
   */
  static Policy load(PolicyLoader loader, String policy) {
    Path file = Path.of(policy);
    if (Files.exists(file) || policy.contains("/") || policy.endsWith(".yaml") || policy.endsWith(".yml")) {
      if (Files.isDirectory(file)) {
        throw new PolicyException(policy, "is a directory, not a policy file");
      }
      return loader.load(file);
    }
    return loader.loadPack(policy);
  }

  Severity threshold(Policy p) {
    return failOn != null ? failOn : p.failOn().orElse(Severity.ERROR);
  }
}
