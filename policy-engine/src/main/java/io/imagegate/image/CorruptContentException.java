package io.imagegate.image;

/**
 * A layer's content could not be decoded (corrupt gzip or zstd, a malformed tar). Often only a
 * symptom: when the blob's bytes don't match their digest, that mismatch is the cause to report
 * (see {@link Layer.LayerStream#rootCause}).
 */
public class CorruptContentException extends ImageReadException {
  private static final long serialVersionUID = 1L;

  public CorruptContentException(String message, Throwable cause) {
    super(message, cause);
  }
}
