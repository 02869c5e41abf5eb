package io.imagegate.engine;

import io.imagegate.facts.ImageFacts;
import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Image;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.Severity;
import io.imagegate.policy.Violation;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.RuleSummary;
import io.imagegate.report.Verdict;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs the gate: opens each image, scans its layers concurrently (one pass each), merges the
 * filesystem, evaluates every rule and decides the verdicts. Knows nothing of the command line.
 */
public final class Gate implements AutoCloseable {
  private final ImageSources sources;
  private final ScanLimits limits;
  private final ExecutorService pool;
  private final String toolVersion;

  /**
   * @param threads layers scanned at once; the number of cores is right for gzip, which is CPU-bound
   */
  public Gate(ImageSources sources, ScanLimits limits, int threads, String toolVersion) {
    this.sources = sources;
    this.limits = limits;
    this.toolVersion = toolVersion;
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "imagegate-scan");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Checks every reference against the policy. An image that can't be read becomes an ERROR
   * entry of the report (fail closed) and the others are still checked.
   */
  public Report check(List<ImageReference> references, PlatformSelection platforms, Policy policy, Severity failOn,
      Consumer<String> progress) {
    List<ImageReport> images = new ArrayList<>();
    for (ImageReference ref : references) {
      List<Image> opened;
      try {
        opened = sources.open(ref, platforms);
      } catch (ImageReadException e) {
        images.add(ImageReport.failed(ref.text(), ref.text(), e.getMessage()));
        continue;
      }
      for (Image image : opened) {
        Image named = opened.size() > 1 ? rename(image, ref.text() + " (" + image.platform().map(Object::toString).orElse("?") + ")") : image;
        progress.accept("checking " + named.name() + " (" + image.layers().size() + " layers)");
        images.add(evaluate(named, policy, failOn));
      }
    }
    return report(policy, failOn, images);
  }

  /** A report over already evaluated images. */
  public Report report(Policy policy, Severity failOn, List<ImageReport> images) {
    return Report.of(toolVersion, policy.name(), failOn, policy.rules().stream().map(RuleSummary::of).toList(), images);
  }

  private static Image rename(Image i, String name) {
    return new Image(i.reference(), name, i.manifestDigest(), i.indexDigest(), i.configDigest(), i.config(), i.layers());
  }

  /** Scans and evaluates one image; a read or verification failure gives an ERROR report. */
  public ImageReport evaluate(Image image, Policy policy, Severity failOn) {
    long start = System.nanoTime();
    ImageFacts facts;
    try {
      facts = ImageFacts.of(image, scan(image, policy.interest().and(ImageFacts.INTEREST)));
    } catch (ImageReadException e) {
      return ImageReport.failed(image.name(), image.reference().text(), e.getMessage())
          .withElapsed(Duration.ofNanos(System.nanoTime() - start));
    }
    List<Finding> findings = new ArrayList<>();
    for (PolicyRule rule : policy.rules()) {
      for (Violation v : rule.check().evaluate(facts)) {
        findings.add(finding(rule, v, facts));
      }
    }
    Verdict verdict = findings.stream().anyMatch(f -> f.severity().atLeast(failOn)) ? Verdict.FAIL : Verdict.PASS;
    return new ImageReport(image.name(), image.reference().text(), Optional.of(image.manifestDigest()),
        Optional.of(image.configDigest()), image.platform(), facts.compressedSize(), facts.uncompressedSize(),
        facts.filesystem().size(), facts.layers(), findings, Optional.empty(), verdict, Optional.of(image.config()),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Scans every layer, concurrently; the first failure (in layer order) is thrown. */
  List<LayerIndex> scan(Image image, ScanInterest interest) {
    LayerScanner scanner = new LayerScanner(interest, limits);
    List<Future<LayerIndex>> futures = new ArrayList<>();
    for (Layer layer : image.layers()) {
      futures.add(pool.submit(() -> scanner.scan(layer)));
    }
    List<LayerIndex> out = new ArrayList<>();
    try {
      for (Future<LayerIndex> f : futures) {
        out.add(f.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof ImageReadException ire) {
        throw ire;
      }
      throw new ImageReadException(image.name() + ": scanning failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException(image.name() + ": interrupted");
    }
    return out;
  }

  private static Finding finding(PolicyRule rule, Violation v, ImageFacts facts) {
    Optional<Finding.LayerRef> layer = Optional.empty();
    if (v.location().layer().isPresent()) {
      LayerFacts l = facts.layers().get(v.location().layer().getAsInt());
      layer = Optional.of(new Finding.LayerRef(l.index(), l.diffId(), l.blobDigest(), l.createdBy()));
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
    pool.shutdownNow();
  }
}
