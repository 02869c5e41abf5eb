package io.imagegate.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub Actions workflow commands, one per finding that counts (not waived), so the findings show
 * on the pull request's files and the run's summary even without code scanning:
 *
 * <pre>
 * ::error file=docker/Dockerfile,line=12,title=no-network-tools (imagegate)::curl is present: /usr/bin/curl in app:1.2
 * ::warning title=size-budget (imagegate)::uncompressed size 120 MB exceeds the budget of 100 MB in app:1.2
 * </pre>
 *
 * <p>{@code error}, {@code warning} and {@code notice} follow the finding's severity; {@code file}
 * and {@code line} are there when the finding has a Dockerfile line. An image that could not be
 * read is an {@code ::error} too; an expired policy exception a {@code ::warning} and a stale one a
 * {@code ::notice}, on the exception's line in the policy file. Values are escaped as the Actions toolkit does: data
 * {@code %}, CR and LF as {@code %25}, {@code %0D}, {@code %0A}; properties also {@code :} and
 * {@code ,} as {@code %3A} and {@code %2C}. Not a {@link Reporter} format: the command line prints
 * these when it runs under GitHub Actions.
 */
public final class GitHubAnnotations {
  private GitHubAnnotations() {}

  /**
   * The command lines, each ending in {@code \n}; policy files are named relative to
   * {@code repositoryRoot} (the checkout: {@code GITHUB_WORKSPACE}).
   */
  public static List<String> lines(Report report, java.nio.file.Path repositoryRoot) {
    Map<String, String> titles = new LinkedHashMap<>();
    report.rules().forEach(r -> titles.putIfAbsent(r.id(), r.documentation().title()));
    List<String> out = new ArrayList<>();
    for (ImageReport image : report.images()) {
      if (image.error().isPresent()) {
        out.add(command("error", Map.of("title", "imagegate: image could not be read"),
            image.name() + ": " + image.error().get()));
        continue;
      }
      for (Finding f : image.findings()) {
        if (f.suppressed()) {
          continue;
        }
        Map<String, String> props = new LinkedHashMap<>();
        f.source().ifPresent(s -> {
          props.put("file", s.file());
          props.put("line", String.valueOf(s.line()));
        });
        String title = titles.getOrDefault(f.ruleId(), "");
        props.put("title", f.ruleId() + (title == null || title.isBlank() ? "" : ": " + title) + " (imagegate)");
        StringBuilder message = new StringBuilder(TextReporter.clean(f.message()));
        boolean wholeImage = f.location().path().isEmpty() && f.location().configField().isEmpty();
        message.append(wholeImage ? " in " : " — " + TextReporter.clean(f.location().describe()) + " in ")
            .append(TextReporter.clean(image.name()));
        f.source().filter(s -> !s.note().isBlank())
            .ifPresent(s -> message.append("\n(Dockerfile line uncertain: ").append(s.note()).append(')'));
        out.add(command(level(f), props, message.toString()));
      }
    }
    for (WaiverSummary n : report.notices()) {
      Map<String, String> props = new LinkedHashMap<>();
      policyFile(n.origin(), repositoryRoot).ifPresent(fileLine -> {
        props.put("file", fileLine.getKey());
        props.put("line", fileLine.getValue());
      });
      props.put("title", n.noticeRuleId().orElseThrow() + " (imagegate)");
      out.add(command(n.status() == WaiverSummary.Status.EXPIRED ? "warning" : "notice", props, n.message()));
    }
    return out;
  }

  /**
   * {@code policy.yaml:38} → (policy.yaml, 38): a policy file inside the repository (relative, or
   * absolute under {@code repositoryRoot}) with a line; built-in packs and files elsewhere have none.
   */
  static Optional<Map.Entry<String, String>> policyFile(String origin, java.nio.file.Path repositoryRoot) {
    PolicyOrigin o = PolicyOrigin.parse(origin);
    if (o.line().isEmpty()) {
      return Optional.empty();
    }
    return o.inRepository(repositoryRoot).map(f -> Map.entry(f, Integer.toString(o.line().getAsInt())));
  }


  private static String level(Finding f) {
    return switch (f.severity()) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case NOTE -> "notice";
    };
  }

  /** {@code ::name key=value,key=value::message\n}. */
  static String command(String name, Map<String, String> properties, String message) {
    StringBuilder sb = new StringBuilder("::").append(name);
    String sep = " ";
    for (Map.Entry<String, String> p : properties.entrySet()) {
      sb.append(sep).append(p.getKey()).append('=').append(escapeProperty(p.getValue()));
      sep = ",";
    }
    return sb.append("::").append(escapeData(message)).append('\n').toString();
  }

  /** As {@code escapeData} of {@code @actions/core}: {@code %}, CR, LF. */
  static String escapeData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** As {@code escapeProperty} of {@code @actions/core}: {@link #escapeData} plus {@code :} and {@code ,}. */
  static String escapeProperty(String s) {
    return escapeData(s).replace(":", "%3A").replace(",", "%2C");
  }
}
