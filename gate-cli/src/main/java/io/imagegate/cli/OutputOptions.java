package io.imagegate.cli;

import io.imagegate.report.GitHubAnnotations;
import io.imagegate.report.MarkdownReporter;
import io.imagegate.report.Report;
import io.imagegate.report.ReportFiles;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where reports go: one format to stdout or {@code --output}, plus any number of
 * {@code --report FORMAT=PATH}, all rendered from the one evaluated report; and, under GitHub
 * Actions, workflow commands for the findings and the Markdown summary appended to
 * {@code $GITHUB_STEP_SUMMARY}.
 */
final class OutputOptions {
  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Format of the main report: text, json, sarif, junit or markdown (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the main report to FILE instead of stdout.")
  Path output;

  @Option(names = "--report", paramLabel = "FORMAT=PATH",
      description = "Also write FORMAT to PATH; repeatable, e.g. --report sarif=gate.sarif --report junit=gate.xml. "
          + "SARIF of more than 20 images is split into PATH, PATH-2, … (GitHub accepts 20 runs per file).")
  List<String> reports = new ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "No progress messages on stderr.")
  boolean quiet;

  @Option(names = "--no-color", description = "Never colour the text report (also off when NO_COLOR is set, CI=true, "
      + "or stdout is not a terminal).")
  boolean noColor;

  @Option(names = "--no-github", description = "Under GitHub Actions, print no workflow commands (::error …) and don't "
      + "append the Markdown summary to $GITHUB_STEP_SUMMARY.")
  boolean noGithub;

  /** The formats of this run, built once (a reporter's JSON mapper is costly to build). */
  private Reporters reporters;

  /**
   * Checks formats and paths before any work is done, so a typo fails fast with exit 2.
   * Reports name files relative to {@code env}'s repository root.
   */
  Map<Path, Reporter> validate(CliEnvironment env) {
    if (reporters == null) {
      reporters = Reporters.standard(false, env.repositoryRoot());
    }
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

  private Reporter reporter(String format) {
    return reporters.get(format).orElseThrow(() -> new Main.UsageException(
        "unknown report format '" + format + "' (choose from " + String.join(", ", reporters.names()) + ")"));
  }

  /**
   * Writes every requested report of the one evaluated {@code report}, then, under GitHub Actions,
   * the workflow commands (to stdout; to stderr when stdout carries a machine-readable report they
   * would corrupt — the runner reads both) and the step summary.
   */
  void emit(Report report, PrintWriter out, PrintWriter err, CliEnvironment env) {
    Map<Path, Reporter> extra = validate(env);
    Reporter main = reporter(format);
    try {
      if (output != null) {
        writeFiles(output, main, report, err);
      } else {
        if (main instanceof TextReporter) {
          main = new TextReporter(!noColor && env.colour());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        main.write(report, buf);
        out.print(buf.toString(StandardCharsets.UTF_8));
        out.flush();
      }
      for (Map.Entry<Path, Reporter> e : extra.entrySet()) {
        writeFiles(e.getKey(), e.getValue(), report, err);
      }
    } catch (IOException e) {
      throw new Main.UsageException("cannot write report: " + e.getMessage());
    }
    if (noGithub) {
      return;
    }
    if (env.isTrue("GITHUB_ACTIONS")) {
      PrintWriter commands = output == null && !main.format().equals("text") ? err : out;
      GitHubAnnotations.lines(report, env.repositoryRoot()).forEach(commands::print);
      commands.flush();
    }
    env.get("GITHUB_STEP_SUMMARY").filter(s -> !s.isBlank()).ifPresent(summary -> {
      try {
        Files.writeString(Path.of(summary), new MarkdownReporter().render(report) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        err.println("imagegate: warning: cannot append the summary to GITHUB_STEP_SUMMARY (" + summary + "): " + e.getMessage());
        err.flush();
      }
    });
  }

  /**
   * Writes the report to {@code path}, and to {@code path-2…} when the format splits it; removes
   * numbered files a previous, bigger run left, so a glob or directory upload doesn't pick them up.
   */
  private void writeFiles(Path path, Reporter reporter, Report report, PrintWriter err) throws IOException {
    int files = reporter.files(report);
    for (int i = 0; i < files; i++) {
      writeFile(ReportFiles.part(path, i), reporter, report, i);
    }
    for (int i = files; Files.exists(ReportFiles.part(path, i)); i++) {
      Files.delete(ReportFiles.part(path, i));
    }
    if (files > 1) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        names.add(ReportFiles.part(path, i).toString());
      }
      progress(err, reporter.format() + " report split into " + files + " files: " + String.join(", ", names));
    }
  }

  /** Writes through a temporary file in the same directory, so a reader never sees half a report. */
  private static void writeFile(Path path, Reporter reporter, Report report, int part) throws IOException {
    Path abs = path.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      reporter.write(report, part, o);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Progress and diagnostics: stderr, unless --quiet. */
  void progress(PrintWriter err, String message) {
    if (!quiet) {
      err.println("imagegate: " + message);
      err.flush();
    }
  }
}
