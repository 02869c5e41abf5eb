package io.imagegate.scan;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The on-disk frame of every cache entry imagegate keeps (layer indexes, image results): a magic
 * number, a format version, the body's length, the body, and the body's SHA-256. An entry is
 * written to a temporary file and renamed into place, so concurrent runs sharing a cache never
 * see half an entry; one that is truncated, foreign, of another version or fails its checksum
 * reads as absent and is rebuilt, never trusted.
 */
public final class CacheFiles {
  /** Strings longer than this in an entry mean it is corrupt. */
  private static final int MAX_STRING = 1 << 20;

  private CacheFiles() {}

  /** The body of the entry at {@code file}, if one of this magic and version is there and sound. */
  public static Optional<byte[]> read(Path file, int magic, int version) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    Optional<byte[]> body = unframe(bytes, magic, version);
    if (body.isPresent()) {
      markUsed(file);
    }
    return body;
  }

  /** Sets the entry's time to now: {@link #pruneIfDue} keeps entries by when they were last used. */
  private static void markUsed(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException | RuntimeException e) {
      // a read-only cache is still a cache
    }
  }

  /**
   * Deletes the entries under {@code root} (its {@code layers/}, {@code results/} and {@code policies/}) not read
   * or written for {@code unused}, and temporary files a killed run left, at most once per
   * {@code every} (a marker file in {@code root} remembers when). A cache shared by concurrent
   * runs stays sound: a run that finds an entry gone reads the layer again.
   *
   * @return the number of files deleted
   */
  public static int pruneIfDue(Path root, Duration unused, Duration every, Instant now) {
    Path marker = root.resolve(".pruned");
    try {
      if (!Files.isDirectory(root)
          || Files.exists(marker) && Files.getLastModifiedTime(marker).toInstant().isAfter(now.minus(every))) {
        return 0;
      }
      Files.write(marker, new byte[0]);
      Files.setLastModifiedTime(marker, FileTime.from(now));
      Instant unusedBefore = now.minus(unused);
      Instant abandonedBefore = now.minus(Duration.ofHours(1));
      int deleted = 0;
      for (String area : List.of("layers", "results", "policies")) {
        Path dir = root.resolve(area);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
          files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
          Instant used = Files.getLastModifiedTime(f).toInstant();
          boolean temporary = f.getFileName().toString().startsWith(".tmp-");
          if (used.isBefore(temporary ? abandonedBefore : unusedBefore) && Files.deleteIfExists(f)) {
            deleted++;
          }
        }
      }
      return deleted;
    } catch (IOException | RuntimeException e) {
      return 0; // pruning is housekeeping: never a reason to fail a check
    }
  }

  /** Writes {@code body} framed at {@code file}; failures are ignored (a cache is an optimisation, never a requirement). */
  public static void write(Path file, int magic, int version, byte[] body) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".part");
      try {
        Files.write(tmp, frame(body, magic, version));
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // read-only or full disk: run without caching
    }
  }

  static byte[] frame(byte[] body, int magic, int version) {
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 44);
    try (DataOutputStream head = new DataOutputStream(all)) {
      head.writeInt(magic);
      head.writeInt(version);
      head.writeInt(body.length);
      head.write(body);
      head.write(sha256(body));
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array does not fail
    }
    return all.toByteArray();
  }

  static Optional<byte[]> unframe(byte[] bytes, int magic, int version) {
    if (bytes.length < 12 + 32) {
      return Optional.empty();
    }
    if (readInt(bytes, 0) != magic || readInt(bytes, 4) != version) {
      return Optional.empty();
    }
    int length = readInt(bytes, 8);
    if (length < 0 || length != bytes.length - 12 - 32) {
      return Optional.empty();
    }
    byte[] body = Arrays.copyOfRange(bytes, 12, 12 + length);
    if (!MessageDigest.isEqual(sha256(body), Arrays.copyOfRange(bytes, 12 + length, bytes.length))) {
      return Optional.empty();
    }
    return Optional.of(body);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a length-prefixed UTF-8 string. */
  public static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** Reads what {@link #writeString} wrote, from a buffer over an entry's body; an impossible length is corruption. */
  public static String readString(ByteBuffer in) throws IOException {
    int n = in.getInt();
    if (n < 0 || n > MAX_STRING || n > in.remaining()) {
      throw new IOException("bad string length");
    }
    if (n == 0) {
      return "";
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  /** Reads what {@link #writeStrings} wrote, from a buffer over an entry's body. */
  public static List<String> readStrings(ByteBuffer in) throws IOException {
    int n = in.getInt();
    if (n < 0 || n > in.remaining() / 4) {
      throw new IOException("bad list length");
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
  }

  /** Writes a counted list of strings. */
  public static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      writeString(out, s);
    }
  }

  /** Writes an optional string (a flag, then the string). */
  public static void writeOptional(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      writeString(out, s.get());
    }
  }

  /** Reads what {@link #writeOptional} wrote, from a buffer over an entry's body. */
  public static Optional<String> readOptional(ByteBuffer in) throws IOException {
    return in.get() != 0 ? Optional.of(readString(in)) : Optional.empty();
  }

}
