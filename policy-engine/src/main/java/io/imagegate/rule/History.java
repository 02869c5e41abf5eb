package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.image.HistoryEntry;
import io.imagegate.policy.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The build steps of an image's config history, with the Dockerfile instruction each one ran as
 * far as {@code created_by} tells it: the classic builder writes {@code /bin/sh -c #(nop) ADD …} for
 * metadata steps and {@code /bin/sh -c apt-get …} for RUN, optionally after {@code |N K=V …} build
 * arguments; BuildKit writes the instruction itself ({@code ADD … # buildkit}, {@code RUN /bin/sh -c …}).
 */
final class History {
  static final Set<String> INSTRUCTIONS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
  private static final Pattern ARGS_PREFIX = Pattern.compile("^\\|\\d+\\s.*");

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
    boolean aligned = history.stream().filter(h -> !h.emptyLayer()).count() == facts.layers().size();
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
      String text = h.createdBy().trim();
      Optional<String> instruction = Optional.empty();
      String args = text;
      if (text.startsWith("/bin/sh -c #(nop)")) {
        String rest = text.substring("/bin/sh -c #(nop)".length()).trim();
        String word = firstWord(rest);
        if (INSTRUCTIONS.contains(word.toUpperCase(Locale.ROOT))) {
          instruction = Optional.of(word.toUpperCase(Locale.ROOT));
          args = rest.substring(word.length()).trim();
        }
      } else if (text.startsWith("/bin/sh -c ") || ARGS_PREFIX.matcher(text).matches()) {
        instruction = Optional.of("RUN");
      } else {
        String word = firstWord(text);
        if (INSTRUCTIONS.contains(word)) {
          instruction = Optional.of(word);
          args = text.substring(word.length()).trim();
        }
      }
      out.add(new Step(i, l, h.createdBy(), instruction, args));
    }
    return out;
  }

  private static String firstWord(String s) {
    int sp = s.indexOf(' ');
    return sp < 0 ? s : s.substring(0, sp);
  }
}
