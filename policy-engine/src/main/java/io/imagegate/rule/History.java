package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.image.HistoryEntry;
import io.imagegate.image.HistoryInstruction;
import io.imagegate.policy.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The build steps of an image's config history, each with the layer it made (when history lines
 * up with the layers) and the Dockerfile instruction it ran as far as {@code created_by} tells it
 * ({@link HistoryInstruction}, the reading the Dockerfile mapper uses too).
 */
final class History {

  private History() {}

  /**
   * One history entry.
   *
   * @param index its position in the config's history
   * @param layer the layer it made, when it made one and history lines up with the layers
   * @param instruction e.g. {@code ADD}; empty when {@code created_by} does not say
   * @param arguments the instruction's text after the keyword (or the command, for RUN)
   */
  record Step(int index, OptionalInt layer, String createdBy, Optional<String> instruction, String arguments) {
    /** The layer the step made, or the history entry as a config field. */
    Location location() {
      return layer.isPresent() ? Location.layer(layer.getAsInt()) : Location.config("history[" + index + "]");
    }

    String describe() {
      return "history entry " + index + (layer.isPresent() ? " (layer " + layer.getAsInt() + ")" : "");
    }
  }

  static List<Step> steps(ImageFacts facts) {
    List<HistoryEntry> history = facts.config().history();
    // history lines up with layers when it has one non-empty entry per layer (as ImageFacts decides)
    boolean aligned = facts.config().layerHistory().size() == facts.layers().size();
    List<Step> out = new ArrayList<>();
    int layer = 0;
    for (int i = 0; i < history.size(); i++) {
      HistoryEntry h = history.get(i);
      OptionalInt l = OptionalInt.empty();
      if (!h.emptyLayer()) {
        if (aligned) {
          l = OptionalInt.of(layer);
        }
        layer++;
      }
      HistoryInstruction read = h.instruction();
      Optional<String> instruction = read.known();
      String args = read.body();
      out.add(new Step(i, l, h.createdBy(), instruction, args));
    }
    return out;
  }
}
