package io.imagegate.policy;

/**
 * A policy that can't be used: bad YAML, an unknown key or rule type, a wrong value. The message
 * is one line that starts with {@code file:line:column:} (1-based) and says what was expected.
 * The gate exits 2 on it.
 */
public class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;

  public PolicyException(String file, int line, int column, String message) {
    super(file + ":" + line + ":" + column + ": " + message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** An error about a whole file (missing, unreadable). */
  public PolicyException(String file, String message) {
    super(file + ": " + message);
    this.file = file;
    this.line = 0;
    this.column = 0;
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when the error is about the whole file. */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
