package io.imagegate.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:0123…}. Instances are always valid: the only ways to
 * get one are {@link #parse(String)}, which rejects anything malformed, and {@link #of}, which
 * computes one. Supported algorithms are those the OCI image spec registers: sha256 and sha512.
 */
public final class Digest {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  private final String algorithm;
  private final String hex;

  private Digest(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /** Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} when malformed or unsupported. */
  public static Digest parse(String text) {
    Objects.requireNonNull(text, "digest");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a digest (expected algorithm:hex): " + text);
    }
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    Pattern pattern = switch (algorithm) {
      case "sha256" -> SHA256;
      case "sha512" -> SHA512;
      default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "' in " + text);
    };
    if (!pattern.matcher(hex).matches()) {
      throw new IllegalArgumentException("malformed " + algorithm + " digest: " + text);
    }
    return new Digest(algorithm, hex);
  }

  /** Whether {@code text} parses as a digest. */
  public static boolean isDigest(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256Of(byte[] bytes) {
    MessageDigest md = newMessageDigest("sha256");
    return new Digest("sha256", HexFormat.of().formatHex(md.digest(bytes)));
  }

  /** A fresh SHA-256 {@link MessageDigest}, for a digest computed while a stream is read. */
  public static MessageDigest newSha256() {
    return newMessageDigest("sha256");
  }

  /** The sha256 digest whose raw bytes a finished SHA-256 {@link MessageDigest} returned. */
  public static Digest sha256(byte[] digestBytes) {
    if (digestBytes.length != 32) {
      throw new IllegalArgumentException("a sha256 digest has 32 bytes, not " + digestBytes.length);
    }
    return of("sha256", digestBytes);
  }

  /** Wraps a finished {@link MessageDigest} result. */
  static Digest of(String algorithm, byte[] digestBytes) {
    return new Digest(algorithm, HexFormat.of().formatHex(digestBytes));
  }

  /** A fresh {@link MessageDigest} for this digest's algorithm. */
  public MessageDigest newMessageDigest() {
    return newMessageDigest(algorithm);
  }

  static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  public String algorithm() {
    return algorithm;
  }

  public String hex() {
    return hex;
  }

  /** The first 12 hex characters, as {@code docker images} shows ids. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
