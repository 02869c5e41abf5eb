package io.imagegate.cli;

import io.imagegate.engine.Gate;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Platform;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Severity;
import io.imagegate.registry.RegistrySource;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.scan.ScanLimits;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagegate check IMAGE...}: gate images against a policy. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Check images against a policy and exit with a code the pipeline acts on.",
        "",
        "IMAGE is docker-archive:PATH (a docker save tar), oci:DIR[:TAG], oci-archive:PATH[:TAG], "
            + "docker://HOST/REPO[:TAG|@DIGEST] (a registry), a bare path (sniffed) or a bare name such as "
            + "alpine:3 (Docker Hub). Nothing from the image is written to disk."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the policy holds",
        "1:the policy is violated at or above --fail-on",
        "2:bad usage or invalid policy",
        "3:an image could not be read or verified (fail closed)"})
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images to check.")
  List<String> images;

  @Mixin
  PolicyOptions policyOptions;

  @Mixin
  OutputOptions output;

  @Mixin
  RegistryLoginOptions registry;

  /** Where --password-stdin reads; {@link Main#run(InputStream, PrintWriter, PrintWriter, String...)} sets it. */
  InputStream stdin = System.in;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--all-platforms", description = "Check every platform of a multi-platform image, each as its own image.")
  boolean allPlatforms;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    output.validate();
    Policy policy = policyOptions.load();
    Severity failOn = policyOptions.threshold(policy);
    PlatformSelection platforms = platforms();
    ImageSources sources = ImageSources.offline().with(new RegistrySource(registry.options(stdin, Version.get())));
    long start = System.nanoTime();
    Report report;
    try (Gate gate = new Gate(sources, ScanLimits.DEFAULT, Runtime.getRuntime().availableProcessors(),
        Version.get())) {
      List<ImageReference> refs = new ArrayList<>();
      List<ImageReport> unparsable = new ArrayList<>();
      for (String text : images) {
        try {
          refs.add(ImageReference.parse(text));
        } catch (IllegalArgumentException e) {
          unparsable.add(ImageReport.failed(text, text, e.getMessage()));
        }
      }
      Report checked = gate.check(refs, platforms, policy, failOn, m -> output.progress(err, m));
      List<ImageReport> all = new ArrayList<>(unparsable);
      all.addAll(checked.images());
      report = gate.report(policy, failOn, all);
    }
    for (ImageReport i : report.images()) {
      i.error().ifPresent(e -> err.println("imagegate: cannot read image " + i.name() + ": " + e));
    }
    output.emit(report, spec.commandLine().getOut());
    output.progress(err, String.format("%s in %.1fs", report.verdict(), (System.nanoTime() - start) / 1e9));
    return ExitCodes.of(report.verdict());
  }

  private PlatformSelection platforms() {
    if (allPlatforms && platform != null) {
      throw new Main.UsageException("--platform and --all-platforms exclude each other");
    }
    if (allPlatforms) {
      return PlatformSelection.allPlatforms();
    }
    if (platform == null) {
      return PlatformSelection.host();
    }
    try {
      return PlatformSelection.of(Platform.parse(platform));
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--platform: " + e.getMessage());
    }
  }
}
