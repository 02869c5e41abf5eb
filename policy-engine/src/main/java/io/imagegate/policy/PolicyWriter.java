package io.imagegate.policy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes an effective {@link Policy} back as policy YAML: what {@code imagegate policy show}
 * prints. There is no {@code extends} left — every inherited rule and exception is written out,
 * in effect order, each under a comment naming where it was defined — so the output reads back
 * (with {@link PolicyLoader}) to the same effective policy.
 */
public final class PolicyWriter {
  /** Text that can stay unquoted: no spaces, no YAML indicators, and read back as text. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@+-]*");
  private static final Resolver RESOLVER = new Resolver();

  private PolicyWriter() {}

  /** The policy as YAML, lines ending in {@code \n}. */
  public static String toYaml(Policy policy) {
    StringBuilder sb = new StringBuilder();
    sb.append("# The effective policy ").append(comment(policy.name()))
        .append(": every rule and exception after extends, in order.\n");
    sb.append("# Each '# from' comment names the file and line that defined the item below it.\n");
    sb.append("apiVersion: ").append(PolicyLoader.API_VERSION).append('\n');
    sb.append("kind: Policy\n");
    sb.append("name: ").append(scalar(policy.name())).append('\n');
    policy.failOn().ifPresent(s -> sb.append("failOn: ").append(s.label()).append('\n'));
    if (policy.rules().isEmpty()) {
      sb.append("rules: []\n");
    } else {
      sb.append("rules:\n");
      for (PolicyRule r : policy.rules()) {
        sb.append("  # from ").append(comment(r.origin())).append('\n');
        sb.append("  - id: ").append(scalar(r.id())).append('\n');
        sb.append("    type: ").append(scalar(r.type().name())).append('\n');
        sb.append("    severity: ").append(r.severity().label()).append('\n');
        r.message().ifPresent(m -> sb.append("    message: ").append(scalar(m)).append('\n'));
        r.help().ifPresent(h -> sb.append("    help: ").append(scalar(h)).append('\n'));
        r.parameters().lines().forEach(line -> sb.append("    ").append(line).append('\n'));
      }
    }
    if (!policy.exceptions().isEmpty()) {
      sb.append("exceptions:\n");
      for (Waiver w : policy.exceptions()) {
        sb.append("  # from ").append(comment(w.origin())).append('\n');
        sb.append("  - rule: ").append(scalar(w.rule())).append('\n');
        if (!w.images().isEmpty()) {
          sb.append("    images: ").append(list(w.images())).append('\n');
        }
        if (!w.paths().isEmpty()) {
          sb.append("    paths: ").append(list(w.paths())).append('\n');
        }
        sb.append("    reason: ").append(scalar(w.reason())).append('\n');
        w.until().ifPresent(d -> sb.append("    until: ").append(d).append('\n'));
      }
    }
    return sb.toString();
  }

  private static String list(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(scalar(items.get(i)));
    }
    return sb.append(']').toString();
  }

  /** A text value that reads back as the same text: plain when safe, else double-quoted. */
  static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && RESOLVER.resolve(NodeId.scalar, text, true).equals(Tag.STR)) {
      return text;
    }
    // a JSON string is a valid YAML double-quoted scalar with the same escapes
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }

  /** Text for a comment: one line. */
  private static String comment(String text) {
    return text.replaceAll("[\\r\\n]+", " ");
  }
}
