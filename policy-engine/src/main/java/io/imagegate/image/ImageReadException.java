package io.imagegate.image;

/**
 * An image could not be read or verified: not an image, a missing blob, corrupt compressed data,
 * a digest mismatch, an unsupported format. The message is one line that names the file or blob
 * and what is wrong. The gate fails closed on it (exit code 3).
 */
public class ImageReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageReadException(String message) {
    super(message);
  }

  public ImageReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
