package io.imagegate.cli;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.SeedImages;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.Verdict;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code imagegate demo}: builds, in memory, four images shaped like the seed's examples (a fat
 * and a minimal Python image, a fat and a scratch Go image), gates them with the policy
 * ({@code minimal} by default) and shows the fat ones fail and the minimal ones pass.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Build four images shaped like the seed's examples in memory (no engine, no registry) and gate them:",
        "python-fat (~890 MB, shell, curl, pip, gcc, root) and go-fat (~850 MB) fail;",
        "python-minimal (~52 MB, non-root, no shell) and go-scratch (~4 MB, USER app) pass.",
        "Exits 0 when the verdicts are those; the `check` command would exit 1 for the fat images."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PolicyOptions policyOptions;

  @Mixin
  OutputOptions output;

  @ParentCommand
  ImagegateCommand parent;

  @Option(names = "--write", paramLabel = "DIR",
      description = "Also write the four images as docker save tars into DIR, to try `imagegate check` on them.")
  Path write;

  /** The demo images and the verdict each should get from the default policy. */
  static Map<String, Supplier<BuiltImage>> images() {
    Map<String, Supplier<BuiltImage>> m = new LinkedHashMap<>();
    m.put("demo/python-fat", SeedImages::fatPython);
    m.put("demo/python-minimal", SeedImages::minimalPython);
    m.put("demo/go-fat", SeedImages::fatGo);
    m.put("demo/go-scratch", SeedImages::scratchGo);
    return m;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    output.validate(parent.environment());
    Policy policy = policyOptions.load();
    Severity failOn = policyOptions.threshold(policy);
    long start = System.nanoTime();
    output.progress(err, "building 4 demo images in memory");
    Map<String, CompletableFuture<BuiltImage>> built = new LinkedHashMap<>();
    images().forEach((name, supplier) -> built.put(name, CompletableFuture.supplyAsync(supplier)));
    Report report;
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, Runtime.getRuntime().availableProcessors(),
        Version.get())) {
      List<ImageReport> reports = new ArrayList<>();
      for (Map.Entry<String, CompletableFuture<BuiltImage>> e : built.entrySet()) {
        BuiltImage image = e.getValue().join();
        output.progress(err, "checking " + e.getKey());
        reports.add(gate.evaluate(image.toImage(e.getKey()), policy, failOn));
        if (write != null) {
          Path tar = write.resolve(e.getKey().substring("demo/".length()) + ".tar");
          image.writeDockerArchive(tar, BuiltImage.DockerLayout.CLASSIC, e.getKey() + ":latest");
          output.progress(err, "wrote " + tar);
        }
      }
      report = gate.report(policy, failOn, reports);
    }
    output.emit(report, spec.commandLine().getOut(), err, parent.environment());
    output.progress(err, String.format("demo done in %.1fs", (System.nanoTime() - start) / 1e9));
    boolean asExpected = report.images().stream().allMatch(i ->
        i.verdict() == (i.name().endsWith("-fat") ? Verdict.FAIL : Verdict.PASS));
    if (!asExpected) {
      err.println("imagegate: the demo images did not get the expected verdicts (fat: FAIL, minimal: PASS) under this policy");
      return ExitCodes.VIOLATED;
    }
    return ExitCodes.PASS;
  }
}
