package io.imagegate.dockerfile;

/** A Dockerfile that cannot be parsed; the message names the line. */
public final class DockerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;

  DockerfileException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  /** The 1-based line the problem is on. */
  public int line() {
    return line;
  }
}
