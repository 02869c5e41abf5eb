package io.imagegate.cli;

import io.imagegate.policy.PolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imagegate init [--force] [--schema FILE] [PATH]}: writes a commented starter policy that
 * extends {@code minimal}, and checks that what it wrote loads.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Write a commented starter policy that extends the built-in 'minimal' pack (default: imagegate.yaml).",
        "An existing file is left alone unless --force is given."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the policy was written", "2:the file exists (without --force), or bad usage"})
final class InitCommand implements Callable<Integer> {
  static final String TEMPLATE = "starter-policy.yaml";

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "PATH", defaultValue = "imagegate.yaml",
      description = "Where to write the policy (default: ${DEFAULT-VALUE}).")
  Path path;

  @Option(names = "--force", description = "Overwrite PATH if it exists.")
  boolean force;

  @Option(names = "--schema", paramLabel = "FILE",
      description = "Also write the policy schema to FILE and point the policy at it for editors "
          + "(a '# yaml-language-server: $schema=...' first line), e.g. --schema .imagegate/policy-v1.json.")
  Path schema;

  /** The starter policy's text. */
  static String template() {
    try (InputStream in = InitCommand.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    refuseToOverwrite(path);
    String text = template();
    if (schema != null) {
      refuseToOverwrite(schema);
      Path parent = path.toAbsolutePath().normalize().getParent();
      String relative = parent.relativize(schema.toAbsolutePath().normalize()).toString().replace('\\', '/');
      text = "# yaml-language-server: $schema=" + relative + "\n" + text;
      write(schema, PolicyOptions.loader().schema().text());
    }
    write(path, text);
    try {
      PolicyOptions.loader().load(path);
    } catch (PolicyException e) {
      // the template is tested; this guards against a broken build rather than a user error
      throw new IllegalStateException("the starter policy does not load: " + e.getMessage(), e);
    }
    out.println("imagegate: wrote " + path + (schema == null ? "" : " and " + schema)
        + "; check it with: imagegate policy validate " + path);
    out.flush();
    return ExitCodes.PASS;
  }

  private void refuseToOverwrite(Path file) {
    if (Files.isDirectory(file)) {
      throw new Main.UsageException(file + " is a directory");
    }
    if (Files.exists(file) && !force) {
      throw new Main.UsageException(file + " already exists; use --force to overwrite it");
    }
  }

  /** Writes through a temporary file in the same directory, so a reader never sees half a file. */
  private static void write(Path file, String text) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
