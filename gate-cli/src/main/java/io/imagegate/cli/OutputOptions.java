package io.imagegate.cli;

import io.imagegate.report.Report;
import io.imagegate.report.Reporter;
import io.imagegate.report.Reporters;
import io.imagegate.report.TextReporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where reports go: one format to stdout or {@code --output}, plus any number of {@code --report FORMAT=PATH}. */
final class OutputOptions {
  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Format of the main report: text, json or sarif (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the main report to FILE instead of stdout.")
  Path output;

  @Option(names = "--report", paramLabel = "FORMAT=PATH",
      description = "Also write FORMAT to PATH; repeatable, e.g. --report sarif=gate.sarif --report json=gate.json.")
  List<String> reports = new ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "No progress messages on stderr.")
  boolean quiet;

  @Option(names = "--no-color", description = "Never colour the text report (also when NO_COLOR is set or CI=true).")
  boolean noColor;

  /** Checks formats and paths before any work is done, so a typo fails fast with exit 2. */
  Map<Path, Reporter> validate() {
    reporter(format);
    Map<Path, Reporter> extra = new LinkedHashMap<>();
    for (String r : reports) {
      int eq = r.indexOf('=');
      if (eq <= 0 || eq == r.length() - 1) {
        throw new Main.UsageException("--report expects FORMAT=PATH, e.g. sarif=gate.sarif; got '" + r + "'");
      }
      extra.put(Path.of(r.substring(eq + 1)), reporter(r.substring(0, eq)));
    }
    return extra;
  }

  private static Reporter reporter(String format) {
    return Reporters.standard().get(format).orElseThrow(() -> new Main.UsageException(
        "unknown report format '" + format + "' (choose from " + String.join(", ", Reporters.standard().names()) + ")"));
  }

  /** Writes every requested report of the one evaluated {@code report}. */
  void emit(Report report, PrintWriter out) {
    Map<Path, Reporter> extra = validate();
    Reporter main = reporter(format);
    try {
      if (output != null) {
        writeFile(output, main, report);
      } else {
        if (main instanceof TextReporter) {
          main = new TextReporter(colour());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        main.write(report, buf);
        out.print(buf.toString(StandardCharsets.UTF_8));
        out.flush();
      }
      for (Map.Entry<Path, Reporter> e : extra.entrySet()) {
        writeFile(e.getKey(), e.getValue(), report);
      }
    } catch (IOException e) {
      throw new Main.UsageException("cannot write report: " + e.getMessage());
    }
  }

  /** Writes through a temporary file in the same directory, so a reader never sees half a report. */
  private static void writeFile(Path path, Reporter reporter, Report report) throws IOException {
    Path abs = path.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      reporter.write(report, o);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private boolean colour() {
    return !noColor && System.console() != null && System.getenv("NO_COLOR") == null
        && !"true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Progress and diagnostics: stderr, unless --quiet. */
  void progress(PrintWriter err, String message) {
    if (!quiet) {
      err.println("imagegate: " + message);
      err.flush();
    }
  }
}
