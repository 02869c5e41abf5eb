package io.imagegate.dockerfile;

import io.imagegate.image.HistoryEntry;
import io.imagegate.image.HistoryInstruction;

/**
 * A history entry read back into the instruction that made it ({@link HistoryInstruction} tells
 * how each builder records it), with its place in the config's history.
 *
 * @param index the entry's position in the config's full {@code history} (empty layers included)
 * @param keyword the instruction, upper case; empty when it can't be told (an imported layer, an exec-form RUN)
 * @param body what follows the keyword, whitespace collapsed; for {@code RUN} the command with its
 *     shell ({@code /bin/sh -c apt-get …}) but without the build-arg prefix
 */
record HistoryStep(int index, String keyword, String body, boolean emptyLayer, String createdBy) {
  static HistoryStep of(int index, HistoryEntry entry) {
    HistoryInstruction i = entry.instruction();
    return new HistoryStep(index, i.keyword(), i.body(),
        entry.emptyLayer(), entry.createdBy());
  }

  /** Whether the builder said what this step was: an entry with no {@code created_by} (an imported base) says nothing. */
  boolean known() {
    return !createdBy.isBlank();
  }
}
