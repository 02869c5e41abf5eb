package io.imagegate.cli;

import io.imagegate.dockerfile.Dockerfile;
import io.imagegate.dockerfile.DockerfileException;
import io.imagegate.dockerfile.DockerfileMapper;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Platform;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
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
            + "or a bare path (sniffed). Nothing from the image is written to disk."},
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

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--all-platforms", description = "Check every platform of a multi-platform image, each as its own image.")
  boolean allPlatforms;

  @Option(names = "--dockerfile", paramLabel = "PATH",
      description = "The Dockerfile the images were built from: findings point at the line that caused them "
          + "(matched through the image history). Reports name it relative to GITHUB_WORKSPACE or the working "
          + "directory. Never looked for when not given.")
  Path dockerfile;

  @ParentCommand
  ImagegateCommand parent;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    CliEnvironment env = parent.environment();
    output.validate();
    Optional<DockerfileMapper> mapper = mapper(env);
    Policy policy = policyOptions.load();
    Severity failOn = policyOptions.threshold(policy);
    PlatformSelection platforms = platforms();
    long start = System.nanoTime();
    Report report;
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, Runtime.getRuntime().availableProcessors(),
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
    if (mapper.isPresent()) {
      // between evaluation and reporting: every format renders the same mapped report
      report = mapper.get().apply(report, w -> err.println("imagegate: warning: " + w));
    }
    output.emit(report, spec.commandLine().getOut(), err, env);
    output.progress(err, String.format("%s in %.1fs", report.verdict(), (System.nanoTime() - start) / 1e9));
    return ExitCodes.of(report.verdict());
  }

  /** The parsed --dockerfile, before any image is read: a bad one is bad usage (exit 2). */
  private Optional<DockerfileMapper> mapper(CliEnvironment env) {
    if (dockerfile == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DockerfileMapper(Dockerfile.read(dockerfile), repositoryPath(dockerfile, env)));
    } catch (NoSuchFileException e) {
      throw new Main.UsageException("--dockerfile " + dockerfile + ": no such file");
    } catch (IOException e) {
      throw new Main.UsageException("--dockerfile " + dockerfile + ": cannot read it: " + e.getMessage());
    } catch (DockerfileException e) {
      throw new Main.UsageException("--dockerfile " + dockerfile + ": " + e.getMessage());
    }
  }

  /**
   * How reports name the Dockerfile: relative to {@code GITHUB_WORKSPACE} (the repository's root
   * in GitHub Actions) or else the working directory when it is inside, with {@code /}; as given
   * otherwise. SARIF and workflow commands need a repository-relative path.
   */
  static String repositoryPath(Path dockerfile, CliEnvironment env) {
    Path abs = dockerfile.toAbsolutePath().normalize();
    List<Path> roots = new ArrayList<>();
    env.get("GITHUB_WORKSPACE").filter(w -> !w.isBlank()).ifPresent(w -> roots.add(Path.of(w)));
    roots.add(env.workingDirectory());
    for (Path root : roots) {
      Path r = root.toAbsolutePath().normalize();
      if (abs.startsWith(r) && !abs.equals(r)) {
        return r.relativize(abs).toString().replace('\\', '/');
      }
    }
    return dockerfile.toString().replace('\\', '/');
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
