package io.imagegate.engine;

import io.imagegate.facts.ImageFacts;
import io.imagegate.facts.LayerFacts;
import io.imagegate.facts.SecretText;
import io.imagegate.image.Image;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.Severity;
import io.imagegate.policy.Violation;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.RuleSummary;
import io.imagegate.report.Verdict;
import io.imagegate.scan.LayerCache;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.time.Duration;
import io.imagegate.scan.ScannedImage;
import io.imagegate.scan.ScanningImageSource;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the gate: opens the images concurrently, scans their layers concurrently (one pass each;
 * a layer shared by several images of the run is read once; a layer in the cache is not read at
 * all), merges the filesystem, evaluates every rule and decides the verdicts. A gate serves one
 * run. Knows nothing of the command line.
 */
public final class Gate implements AutoCloseable {
  /** Images opened and evaluated at once; their layers share the scan pool. */
  private static final int IMAGE_CONCURRENCY = 4;

  private final ImageSources sources;
  private final ScanLimits limits;
  private final ExecutorService pool;
  private final ExecutorService images;
  private final String toolVersion;
  private final Optional<LayerCache> cache;
  private final Optional<ResultCache> results;
  /** This run's layer scans by diff id and interest: a shared base layer is read once per run. */
  private final Map<String, CompletableFuture<LayerIndex>> scans = new ConcurrentHashMap<>();
  private final AtomicInteger layersRead = new AtomicInteger();
  private final AtomicInteger layersFromCache = new AtomicInteger();
  private final AtomicInteger layersShared = new AtomicInteger();
  private final AtomicInteger resultsFromCache = new AtomicInteger();
  private final Clock clock;

  /**
   * A gate without a layer cache.
   *
   * @param threads layers scanned at once; the number of cores is right for gzip, which is CPU-bound
   */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion) {
    this(sources, limits, threads, toolVersion, Optional.empty(), Clock.systemUTC());
  }

  /** A gate that reads and fills {@code cache}. */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion, Optional<LayerCache> cache) {
    this(sources, limits, threads, toolVersion, cache, Clock.systemUTC());
  }

  /**
   * @param clock tells "today" (in UTC) for policy exceptions' {@code until} dates
   */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion, Clock clock) {
    this(sources, limits, threads, toolVersion, Optional.empty(), clock);
  }

  /**
   * A gate that reads and fills {@code cache} (when present) and takes "today" from {@code clock}.
   *
   * @param threads layers scanned at once; the number of cores is right for gzip, which is CPU-bound
   */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion, Optional<LayerCache> cache,
      Clock clock) {
    this(sources, limits, threads, toolVersion, cache, Optional.empty(), clock);
  }

  /**
   * A gate that reads and fills a layer cache and a result cache (each when present) and takes
   * "today" from {@code clock}. With a result cache, an image evaluated before against the same
   * rules is not scanned again (see {@link ResultCache} for what the key covers).
   *
   * @param threads layers scanned at once; the number of cores is right for gzip, which is CPU-bound
   */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion, Optional<LayerCache> cache,
      Optional<ResultCache> results, Clock clock) {
    this.results = results;
    this.sources = sources;
    this.limits = limits;
    this.toolVersion = toolVersion;
    this.cache = cache;
    this.clock = clock;
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), daemon("imagegate-scan"));
    this.images = Executors.newFixedThreadPool(IMAGE_CONCURRENCY, daemon("imagegate-image"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * What this gate's scans did so far.
   *
   * @param read layers read from their blobs
   * @param fromCache layers taken from the on-disk cache
   * @param shared layer uses served by a scan another image of this run already made
   * @param resultsFromCache images whose evaluation came from the result cache (their layers are
   *     not counted above: none was needed)
   */
  public record Stats(int read, int fromCache, int shared, int resultsFromCache) {}

  public Stats stats() {
    return new Stats(layersRead.get(), layersFromCache.get(), layersShared.get(), resultsFromCache.get());
  }

  /**
   * Checks every reference against the policy, several images at once; the report lists them in
   * the order given. An image that can't be read becomes an ERROR entry of the report (fail
   * closed) and the others are still checked.
   */
  public Report check(List<ImageReference> references, PlatformSelection platforms, Policy policy, Severity failOn,
      Consumer<String> progress) {
    return check(references, platforms, policy, failOn, EvaluationContext.NONE, progress);
  }

  /** Like {@link #check(List, PlatformSelection, Policy, Severity, Consumer)}, with what the caller supplies (a baseline). */
  public Report check(List<ImageReference> references, PlatformSelection platforms, Policy policy, Severity failOn,
      EvaluationContext context, Consumer<String> progress) {
    return checkAll(references.stream().map(ref -> (Supplier<List<ImageReport>>)
        () -> checkOne(ref, platforms, policy, failOn, context, progress)).toList(), policy, failOn);
  }

  /**
   * Like {@link #check(List, PlatformSelection, Policy, Severity, EvaluationContext, Consumer)},
   * from the references as written (e.g. on a command line): one that does not parse is an ERROR
   * entry in its place.
   */
  public Report checkWritten(List<String> references, PlatformSelection platforms, Policy policy, Severity failOn,
      EvaluationContext context, Consumer<String> progress) {
    return checkAll(references.stream().map(text -> (Supplier<List<ImageReport>>) () -> {
      ImageReference ref;
      try {
        ref = ImageReference.parse(text);
      } catch (IllegalArgumentException e) {
        return List.of(ImageReport.failed(text, text, e.getMessage()));
      }
      return checkOne(ref, platforms, policy, failOn, context, progress);
    }).toList(), policy, failOn);
  }

  /** Runs the checks several at once; the report lists their images in the order of {@code checks}. */
  private Report checkAll(List<Supplier<List<ImageReport>>> checks, Policy policy, Severity failOn) {
    List<CompletableFuture<List<ImageReport>>> pending = new ArrayList<>();
    for (Supplier<List<ImageReport>> c : checks) {
      pending.add(CompletableFuture.supplyAsync(c, images));
    }
    List<ImageReport> reports = new ArrayList<>();
    for (CompletableFuture<List<ImageReport>> p : pending) {
      reports.addAll(p.join());
    }
    return report(policy, failOn, reports);
  }

  private List<ImageReport> checkOne(ImageReference ref, PlatformSelection platforms, Policy policy, Severity failOn,
      EvaluationContext context,
      Consumer<String> progress) {
    Optional<ScanningImageSource> streaming = sources.source(ref.transport())
        .filter(ScanningImageSource.class::isInstance).map(ScanningImageSource.class::cast);
    if (streaming.isPresent()) {
      return checkStreamed(streaming.get(), ref, platforms, policy, failOn, context, progress);
    }
    List<Image> opened;
    try {
      opened = sources.open(ref, platforms);
    } catch (ImageReadException e) {
      return List.of(ImageReport.failed(ref.text(), ref.text(), e.getMessage()));
    }
    List<ImageReport> out = new ArrayList<>();
    for (Image image : opened) {
      progress.accept("checking " + image.name() + " (" + image.layers().size() + " layers)");
      out.add(evaluate(image, policy, failOn, context));
    }
    return out;
  }

  /**
   * A report over already evaluated images, with what became of each policy exception over all of
   * them (active, expired, or stale when it matched nothing in the whole run).
   */
  public Report report(Policy policy, Severity failOn, List<ImageReport> images) {
    return Report.of(toolVersion, policy.name(), failOn, policy.rules().stream().map(RuleSummary::of).toList(), images,
        Waivers.summarize(policy, images, today()));
  }

  /** Today in UTC, by the gate's clock: the day exceptions' {@code until} dates are compared with. */
  public LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /**
   * A source that can be read only once opens and scans in one pass; a read or verification
   * failure gives one ERROR report and no findings.
   */
  private List<ImageReport> checkStreamed(ScanningImageSource source, ImageReference ref, PlatformSelection platforms,
      Policy policy, Severity failOn, EvaluationContext context, Consumer<String> progress) {
    progress.accept("reading " + ref.text());
    long start = System.nanoTime();
    List<ScannedImage> scanned;
    try {
      scanned = source.openScanned(ref, platforms, new LayerScanner(interest(policy), limits));
    } catch (ImageReadException e) {
      return List.of(ImageReport.failed(ref.text(), ref.text(), e.getMessage()).withElapsed(since(start)));
    }
    List<ImageReport> out = new ArrayList<>();
    for (ScannedImage s : scanned) {
      progress.accept("checking " + s.image().name() + " (" + s.image().layers().size() + " layers)");
      out.add(evaluate(s.image(), s.layers(), policy, failOn, context).withElapsed(since(start)));
    }
    return out;
  }

  private static ScanInterest interest(Policy policy) {
    return policy.interest().and(ImageFacts.INTEREST);
  }

  /**
   * Scans and evaluates one image; a read or verification failure gives an ERROR report. Findings
   * that a policy exception in force waives are kept, marked, and don't count toward the verdict.
   */
  public ImageReport evaluate(Image image, Policy policy, Severity failOn) {
    return evaluate(image, policy, failOn, EvaluationContext.NONE);
  }

  /**
   * Scans and evaluates one image with what the caller supplies beyond it (e.g. a baseline for
   * {@code size-regression}); a read or verification failure gives an ERROR report.
   */
  public ImageReport evaluate(Image image, Policy policy, Severity failOn, EvaluationContext context) {
    long start = System.nanoTime();
    Optional<String> key = results.map(r -> r.key(image, policy, context, limits));
    Optional<ResultCache.Evaluated> cached = key.flatMap(k -> results.get().get(k));
    if (cached.isPresent()) {
      resultsFromCache.incrementAndGet();
      return finish(image, cached.get(), policy, failOn).withElapsed(since(start));
    }
    ResultCache.Evaluated evaluated;
    try {
      evaluated = evaluateRaw(image, scan(image, interest(policy)), policy, context);
    } catch (ImageReadException e) {
      return ImageReport.failed(image.name(), image.reference().text(), e.getMessage()).withElapsed(since(start));
    }
    key.ifPresent(k -> results.get().put(k, evaluated));
    return finish(image, evaluated, policy, failOn).withElapsed(since(start));
  }

  /** The time from {@code start} ({@link System#nanoTime}) to now: how long an image took (JUnit's time). */
  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Evaluates one image whose layers are already scanned (in layer order). */
  public ImageReport evaluate(Image image, List<LayerIndex> indexes, Policy policy, Severity failOn) {
    return evaluate(image, indexes, policy, failOn, EvaluationContext.NONE);
  }

  /** Evaluates one image whose layers are already scanned (in layer order), with {@code context}. */
  public ImageReport evaluate(Image image, List<LayerIndex> indexes, Policy policy, Severity failOn,
      EvaluationContext context) {
    long start = System.nanoTime();
    try {
      return finish(image, evaluateRaw(image, indexes, policy, context), policy, failOn).withElapsed(since(start));
    } catch (ImageReadException e) {
      return ImageReport.failed(image.name(), image.reference().text(), e.getMessage()).withElapsed(since(start));
    }
  }

  /** Merges the layers and runs every rule: the findings before policy exceptions. */
  private ResultCache.Evaluated evaluateRaw(Image image, List<LayerIndex> indexes, Policy policy,
      EvaluationContext context) {
    ImageFacts facts = ImageFacts.of(image, indexes);
    List<Finding> findings = new ArrayList<>();
    for (PolicyRule rule : policy.rules()) {
      for (Violation v : rule.check().evaluate(facts, context)) {
        findings.add(finding(rule, v, facts));
      }
    }
    return new ResultCache.Evaluated(facts.layers(), facts.filesystem().size(), findings);
  }

  /** Applies the policy's exceptions in force today and decides the verdict. */
  private ImageReport finish(Image image, ResultCache.Evaluated evaluated, Policy policy, Severity failOn) {
    List<Finding> findings = Waivers.apply(evaluated.findings(), policy.exceptions(),
        Waivers.imageNames(image.reference().text(), image.name(), Optional.of(image.manifestDigest())), today());
    Verdict verdict = ImageReport.verdict(findings, failOn);
    return new ImageReport(image.name(), image.reference().text(), Optional.of(image.manifestDigest()),
        Optional.of(image.configDigest()), image.platform(), ImageFacts.compressedSize(evaluated.layers()),
        ImageFacts.uncompressedSize(evaluated.layers()), evaluated.files(), evaluated.layers(), findings,
        Optional.empty(), verdict, Optional.of(image.config()), Duration.ZERO);
  }

  /**
   * Scans every layer, concurrently, each at most once per run and not at all when the cache has
   * it; the first failure (in layer order) is thrown.
   */
  List<LayerIndex> scan(Image image, ScanInterest interest) {
    LayerScanner scanner = new LayerScanner(interest, limits);
    String interestKey = LayerCache.key(interest, limits);
    List<CompletableFuture<LayerIndex>> futures = new ArrayList<>();
    for (Layer layer : image.layers()) {
      String key = layer.diffId() + "/" + interestKey;
      boolean[] created = {false};
      CompletableFuture<LayerIndex> f = scans.computeIfAbsent(key, k -> {
        created[0] = true;
        return CompletableFuture.supplyAsync(() -> load(layer, scanner, interest), pool);
      });
      if (!created[0]) {
        layersShared.incrementAndGet();
      }
      futures.add(f);
    }
    List<LayerIndex> out = new ArrayList<>();
    try {
      for (CompletableFuture<LayerIndex> f : futures) {
        out.add(f.join());
      }
    } catch (CompletionException e) {
      if (e.getCause() instanceof ImageReadException ire) {
        throw ire;
      }
      throw new ImageReadException(image.name() + ": scanning failed: " + e.getCause(), e.getCause());
    }
    return out;
  }

  private LayerIndex load(Layer layer, LayerScanner scanner, ScanInterest interest) {
    if (cache.isPresent()) {
      Optional<LayerIndex> hit = cache.get().get(layer.diffId(), interest, limits);
      if (hit.isPresent()) {
        layersFromCache.incrementAndGet();
        return hit.get();
      }
    }
    LayerIndex index = scanner.scan(layer);
    layersRead.incrementAndGet();
    cache.ifPresent(c -> c.put(index, interest, limits));
    return index;
  }

  private static Finding finding(PolicyRule rule, Violation v, ImageFacts facts) {
    Optional<Finding.LayerRef> layer = Optional.empty();
    if (v.location().layer().isPresent()) {
      LayerFacts l = facts.layers().get(v.location().layer().getAsInt());
      // a build ARG or ENV in created_by may carry a secret: reports never print it
      layer = Optional.of(new Finding.LayerRef(l.index(), l.diffId(), l.blobDigest(), SecretText.redactAll(l.createdBy())));
    }
    String message = rule.message().map(template -> render(template, v)).orElse(v.message());
    return new Finding(rule.id(), rule.type().name(), rule.severity(), message, v.location(), layer);
  }

  /** Fills {@code {detail}} and the violation's named values into a policy's own message. */
  static String render(String template, Violation v) {
    String out = template.replace("{detail}", v.message());
    for (Map.Entry<String, String> e : v.values().entrySet()) {
      out = out.replace("{" + e.getKey() + "}", e.getValue());
    }
    return out;
  }

  @Override
  public void close() {
    images.shutdownNow();
    pool.shutdownNow();
  }
}
