package io.imagegate.policy;

import java.util.Map;

/**
 * What a rule found, before the gate attaches the rule's id, severity and the layer's history.
 *
 * @param message one sentence that states the fact, e.g. "curl is present at /usr/bin/curl"
 * @param values the facts in the message by name ({@code path}, {@code actual}, {@code budget}…),
 *     usable as {@code {name}} in a policy's custom {@code message}
 */
public record Violation(String message, Location location, Map<String, String> values) {
  public Violation {
    values = Map.copyOf(values);
  }

  public Violation(String message, Location location) {
    this(message, location, Map.of());
  }
}
