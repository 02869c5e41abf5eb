package io.imagegate.build;

import io.imagegate.image.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The entries of one layer, written as a tar (PAX headers, so long names and big ids work) in
 * the order they were added. Content can be given as bytes or generated (zeros or seeded
 * pseudo-random bytes) so large layers cost no memory before compression.
 */
public final class LayerBuilder {
  private interface Entry {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private final List<Entry> entries = new ArrayList<>();
  private Compression compression = Compression.GZIP;
  private String createdBy = "";
  private int uid;
  private int gid;

  /** Compression of the layer blob (default gzip). */
  public LayerBuilder compression(Compression c) {
    this.compression = c;
    return this;
  }

  public Compression compression() {
    return compression;
  }

  /** The {@code created_by} of this layer's history entry, e.g. {@code RUN apt-get install curl}. */
  public LayerBuilder createdBy(String text) {
    this.createdBy = text;
    return this;
  }

  public String createdBy() {
    return createdBy;
  }

  /** Owner of the entries added after this call. */
  public LayerBuilder owner(int uid, int gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  /** A regular file with text content. */
  public LayerBuilder file(String path, String content, int mode) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  /** A regular file. */
  public LayerBuilder file(String path, byte[] content, int mode) {
    int u = uid;
    int g = gid;
    entries.add(tar -> {
      TarArchiveEntry e = entry(name(path));
      e.setMode(mode);
      e.setSize(content.length);
      e.setUserId(u);
      e.setGroupId(g);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** A regular file of {@code size} zero bytes (compresses to almost nothing). */
  public LayerBuilder zeroFile(String path, long size, int mode) {
    return generated(path, size, mode, -1);
  }

  /** A regular file of {@code size} pseudo-random bytes from {@code seed} (incompressible). */
  public LayerBuilder randomFile(String path, long size, int mode, long seed) {
    return generated(path, size, mode, seed);
  }

  /** A regular file of {@code size} bytes of pseudo-text from {@code seed} (compresses like source code). */
  public LayerBuilder textFile(String path, long size, int mode, long seed) {
    return generated(path, size, mode, -2 - seed);
  }

  private LayerBuilder generated(String path, long size, int mode, long seed) {
    int u = uid;
    int g = gid;
    entries.add(tar -> {
      TarArchiveEntry e = entry(name(path));
      e.setMode(mode);
      e.setSize(size);
      e.setUserId(u);
      e.setGroupId(g);
      tar.putArchiveEntry(e);
      try (InputStream in = seed == -1 ? new ZeroStream(size)
          : seed < -1 ? new TextStream(size, -2 - seed) : new RandomStream(size, seed)) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** A directory. */
  public LayerBuilder dir(String path, int mode) {
    int u = uid;
    int g = gid;
    entries.add(tar -> {
      TarArchiveEntry e = entry(name(path) + "/");
      e.setMode(mode);
      e.setUserId(u);
      e.setGroupId(g);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** A symbolic link; {@code target} is written as given (relative or absolute). */
  public LayerBuilder symlink(String path, String target) {
    entries.add(tar -> {
      TarArchiveEntry e = entry(name(path), TarConstants.LF_SYMLINK);
      e.setLinkName(target);
      e.setMode(0777);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** A hard link to an earlier entry {@code target}. */
  public LayerBuilder hardlink(String path, String target, int mode) {
    entries.add(tar -> {
      TarArchiveEntry e = entry(name(path), TarConstants.LF_LINK);
      e.setLinkName(name(target));
      e.setMode(mode);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** A whiteout deleting {@code path} from lower layers ({@code .wh.NAME}). */
  public LayerBuilder whiteout(String path) {
    String p = name(path);
    int slash = p.lastIndexOf('/');
    String wh = slash < 0 ? ".wh." + p : p.substring(0, slash + 1) + ".wh." + p.substring(slash + 1);
    return file("/" + wh, new byte[0], 0644);
  }

  /** An opaque-directory marker hiding every lower-layer child of {@code dir}. */
  public LayerBuilder opaque(String dir) {
    return file(dir.endsWith("/") ? dir + ".wh..wh..opq" : dir + "/.wh..wh..opq", new byte[0], 0644);
  }

  /** Entries carry a fixed mtime so the same layer always has the same digests. */
  private static final java.time.Instant MTIME = java.time.Instant.parse("2026-01-01T00:00:00Z");

  private static TarArchiveEntry entry(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setModTime(java.nio.file.attribute.FileTime.from(MTIME));
    return e;
  }

  private static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setModTime(java.nio.file.attribute.FileTime.from(MTIME));
    return e;
  }

  /** Tar entries are relative, as {@code docker save} writes them. */
  private static String name(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  /** Writes the uncompressed tar to {@code out} (not closed). */
  void writeTar(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Entry e : entries) {
      e.write(tar);
    }
    tar.finish();
    tar.close();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  private static final class ZeroStream extends InputStream {
    private long left;

    ZeroStream(long size) {
      left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  /** Words from a small vocabulary, seeded: text that compresses about 3:1. */
  private static final class TextStream extends GeneratedStream {
    private static final byte[][] WORDS;

    static {
      String[] w = ("the image layer file build stage copy run from user shell size policy gate scan digest "
          + "manifest config index blob tar gzip zstd root app bin lib etc usr var tmp return if else for while "
          + "int long string class public private static final void new import package").split(" ");
      WORDS = new byte[w.length][];
      for (int i = 0; i < w.length; i++) {
        WORDS[i] = (w[i] + (i % 7 == 0 ? "\n" : " ")).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      }
    }

    private final Random random;
    private byte[] word = new byte[0];
    private int pos;

    TextStream(long size, long seed) {
      super(size);
      random = new Random(seed);
    }

    @Override
    void fill(byte[] b, int off, int n) {
      for (int i = 0; i < n; i++) {
        if (pos == word.length) {
          word = WORDS[random.nextInt(WORDS.length)];
          pos = 0;
        }
        b[off + i] = word[pos++];
      }
    }
  }

  private static final class RandomStream extends GeneratedStream {
    private final Random random;

    RandomStream(long size, long seed) {
      super(size);
      random = new Random(seed);
    }

    @Override
    void fill(byte[] b, int off, int n) {
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
    }
  }

  /** {@code size} generated bytes; subclasses say what they are. */
  private abstract static class GeneratedStream extends InputStream {
    private long left;

    GeneratedStream(long size) {
      left = size;
    }

    /** Writes the next {@code n} bytes into {@code b} at {@code off}. */
    abstract void fill(byte[] b, int off, int n);

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      fill(b, off, n);
      left -= n;
      return n;
    }
  }
}
