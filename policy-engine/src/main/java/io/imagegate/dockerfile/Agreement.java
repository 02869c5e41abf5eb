package io.imagegate.dockerfile;

/** How well a history entry's text agrees with the instruction it is aligned with. */
enum Agreement {
  /** The text says the same (variables in the Dockerfile match anything). */
  EXACT(4),
  /** The same kind of instruction, and nothing in the text that can be compared contradicts it. */
  COMPATIBLE(3),
  /** The text can be compared and is close (most words shared) but not the same: edited since the build. */
  SIMILAR(2.5),
  /** The same kind of instruction, but the text says something else. */
  DIFFERENT(1);

  final double score;

  Agreement(double score) {
    this.score = score;
  }

  /** Whether the pair may be trusted when the alignment has gaps. */
  boolean agrees() {
    return this != DIFFERENT;
  }

  /** Whether the history's text is the Dockerfile's (or can't be compared). */
  boolean same() {
    return this == EXACT || this == COMPATIBLE;
  }
}
