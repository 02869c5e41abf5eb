package io.imagegate.cli;

import io.imagegate.docker.DockerDaemonSource;
import io.imagegate.docker.DockerEndpoint;
import io.imagegate.dockerfile.Dockerfile;
import io.imagegate.dockerfile.DockerfileException;
import io.imagegate.dockerfile.DockerfileMapper;
import io.imagegate.engine.Gate;
import io.imagegate.engine.ResultCache;
import io.imagegate.facts.Baseline;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Platform;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.CheckedDocuments;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.Policy;
import io.imagegate.policy.Severity;
import io.imagegate.registry.RegistrySource;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.scan.CacheFiles;
import io.imagegate.scan.LayerCache;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
            + "docker-daemon:NAME[:TAG|@DIGEST] (an image in a Docker engine, read from its save stream), "
            + "docker://HOST/REPO[:TAG|@DIGEST] (a registry), a bare path (sniffed) or a bare name such as "
            + "alpine:3 (Docker Hub). Nothing from the image is written to disk."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the policy holds",
        "1:the policy is violated at or above --fail-on",
        "2:bad usage or invalid policy",
        "3:an image could not be read or verified (fail closed)"})
final class CheckCommand implements Callable<Integer> {
  /** Cache entries not used for this long are deleted. */
  static final Duration CACHE_UNUSED = Duration.ofDays(30);
  /** How often a run looks for them. */
  static final Duration CACHE_PRUNE_EVERY = Duration.ofDays(1);

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

  /** Where --password-stdin reads; {@link Main} sets it. */
  InputStream stdin = System.in;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "Docker engine for docker-daemon: images, e.g. unix:///var/run/docker.sock or tcp://HOST:2376 "
          + "(default: DOCKER_HOST, else unix:///var/run/docker.sock; TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH).")
  String dockerHost;

  @Option(names = "--all-platforms", description = "Check every platform of a multi-platform image, each as its own image.")
  boolean allPlatforms;

  @Option(names = "--dockerfile", paramLabel = "PATH",
      description = "The Dockerfile the images were built from: findings point at the line that caused them "
          + "(matched through the image history). Reports name it relative to GITHUB_WORKSPACE or the working "
          + "directory. Never looked for when not given.")
  Path dockerfile;

  @ParentCommand
  ImagegateCommand parent;
  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Cache of layer indexes and of results per image and policy (default: $XDG_CACHE_HOME/imagegate "
          + "or ~/.cache/imagegate). Entries unused for 30 days are deleted.")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Neither read nor write the cache: every layer is read.")
  boolean noCache;

  @Option(names = "--baseline", paramLabel = "IMAGE",
      description = "An image to compare sizes with (e.g. the one deployed now), for size-regression rules.")
  String baseline;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    CliEnvironment env = parent.environment();
    output.validate(parent.environment());
    Optional<DockerfileMapper> mapper = mapper(env);
    if (noCache && cacheDir != null) {
      throw new Main.UsageException("--cache-dir and --no-cache exclude each other");
    }
    Optional<Path> cacheRoot = noCache ? Optional.empty()
        : Optional.of(cacheDir != null ? cacheDir : LayerCache.defaultDirectory(env.variables()));
    String build = Version.build();
    // a policy file checked against the schema before (same bytes, same build) is not checked again
    Policy policy = policyOptions.load(cacheRoot
        .map(dir -> CheckedDocuments.in(dir.resolve("policies"), build)).orElse(CheckedDocuments.NONE));
    Severity failOn = policyOptions.threshold(policy);
    PlatformSelection platforms = platforms();
    ImageSources sources = ImageSources.offline().with(dockerDaemon(env), new RegistrySource(registry.options(stdin, Version.get())));
    long start = System.nanoTime();
    Report report;
    try (Gate gate = new Gate(sources, ScanLimits.DEFAULT, Runtime.getRuntime().availableProcessors(),
        Version.get(), cacheRoot.map(LayerCache::at), cacheRoot.map(dir -> ResultCache.at(dir, build)),
        Clock.systemUTC())) {
      EvaluationContext context = baseline == null ? EvaluationContext.NONE
          : EvaluationContext.withBaseline(baseline(gate, platforms, err));
      report = gate.checkWritten(images, platforms, policy, failOn, context, m -> output.progress(err, m));
      Gate.Stats stats = gate.stats();
      output.progress(err, String.format("layers: %d read, %d from cache, %d shared between images; "
          + "images: %d result(s) from cache", stats.read(), stats.fromCache(), stats.shared(), stats.resultsFromCache()));
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
    // housekeeping after the report is out: entries unused for a month go, at most once a day
    cacheRoot.ifPresent(root -> CacheFiles.pruneIfDue(root, CACHE_UNUSED, CACHE_PRUNE_EVERY, Instant.now()));
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

  /**
   * The engine source, found through the command's environment; a malformed --docker-host is bad
   * usage, a malformed DOCKER_HOST an unreadable image.
   */
  private DockerDaemonSource dockerDaemon(CliEnvironment env) {
    if (dockerHost != null) {
      try {
        DockerEndpoint.resolve(env.variables(), Optional.of(dockerHost));
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException("--docker-host: " + e.getMessage());
      }
    }
    return new DockerDaemonSource(env.variables(), Optional.ofNullable(dockerHost));
  }

  /** Reads the baseline image's sizes; an unreadable baseline fails closed like any image. */
  private Baseline baseline(Gate gate, PlatformSelection platforms, PrintWriter err) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(baseline);
    } catch (IllegalArgumentException e) {
      throw new ImageReadException("baseline " + baseline + ": " + e.getMessage());
    }
    Policy none = new Policy("baseline", Optional.empty(), List.of());
    Report r = gate.check(List.of(ref), platforms, none, Severity.ERROR, m -> output.progress(err, "baseline: " + m));
    ImageReport image = r.images().get(0);
    if (image.error().isPresent()) {
      throw new ImageReadException("baseline " + baseline + ": " + image.error().get());
    }
    return new Baseline(baseline, image.uncompressedSize(), image.compressedSize());
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
