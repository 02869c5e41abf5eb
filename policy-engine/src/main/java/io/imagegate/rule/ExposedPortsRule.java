package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code exposed-ports}: every EXPOSEd port is on an allow-list ({@code 8080} means {@code 8080/tcp}). */
public final class ExposedPortsRule implements RuleType {
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Only allowed ports exposed",
      "Every port the image EXPOSEs must be on the allow-list. A bare number means TCP, as in Docker (8080 is "
          + "8080/tcp). An unexpected port (22 for sshd, a debug or metrics port) usually means a service the "
          + "production image should not run.",
      "Remove the EXPOSE instruction (or the service behind it) from the final stage, or add the port to the "
          + "policy's allowed list if it is meant to be there.",
      List.of(new RuleDocumentation.Parameter("allowed", "list of ports", "Ports that may be exposed, e.g. [8080/tcp, 8443]; [] allows none.", "")),
      List.of("security", "attack-surface"));

  @Override
  public String name() {
    return "exposed-ports";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    if (!p.has("allowed")) {
      throw p.error("exposed-ports needs allowed (e.g. allowed: [8080/tcp]; [] allows no port)");
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (String port : p.strings("allowed")) {
      Optional<String> n = normalize(port);
      if (n.isEmpty()) {
        throw p.error("allowed", "'" + port + "' is not a port (expected a number from 1 to 65535, optionally "
            + "followed by /tcp, /udp or /sctp)");
      }
      allowed.add(n.get());
    }
    return facts -> {
      List<Violation> out = new ArrayList<>();
      for (String exposed : facts.config().exposedPorts().stream().sorted().toList()) {
        String port = normalize(exposed).orElse(exposed);
        if (!allowed.contains(port)) {
          out.add(new Violation("port " + port + " is exposed but not allowed" + (allowed.isEmpty() ? " (no port is)"
              : " (allowed: " + String.join(", ", allowed) + ")"), Location.config("ExposedPorts"), Map.of("port", port)));
        }
      }
      return out;
    };
  }

  /** {@code 8080} → {@code 8080/tcp}; empty when it is not a port. */
  static Optional<String> normalize(String port) {
    Matcher m = PORT.matcher(port.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    int n = Integer.parseInt(m.group(1));
    if (n < 1 || n > 65535) {
      return Optional.empty();
    }
    return Optional.of(n + "/" + (m.group(2) == null ? "tcp" : m.group(2)));
  }
}
