package io.imagegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes tars entry by entry, exactly as told — for archives and layers no well-behaved writer
 * would make: odd names, links between archive members, entries without their parent
 * directories. Names are written as given.
 */
public final class HandTar {
  private interface Entry {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  /** A whole-second mtime: the same entries give the same bytes, and no PAX time header is needed. */
  private static final FileTime MTIME = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));

  private final List<Entry> entries = new ArrayList<>();

  private HandTar() {}

  public static HandTar tar() {
    return new HandTar();
  }

  public HandTar file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public HandTar file(String name, byte[] content, int mode) {
    entries.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setModTime(MTIME);
      e.setSize(content.length);
      e.setMode(mode);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public HandTar dir(String name) {
    entries.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
      e.setModTime(MTIME);
      e.setMode(0755);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public HandTar symlink(String name, String target) {
    return link(name, target, TarConstants.LF_SYMLINK);
  }

  public HandTar hardlink(String name, String target) {
    return link(name, target, TarConstants.LF_LINK);
  }

  private HandTar link(String name, String target, byte type) {
    entries.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(name, type);
      e.setModTime(MTIME);
      e.setLinkName(target);
      e.setMode(0777);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** Adds every file, directory and symlink under {@code dir}, named relative to it (symlinks kept as links). */
  public HandTar tree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        if (p.equals(dir)) {
          continue;
        }
        String name = dir.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          symlink(name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dir(name);
        } else {
          file(name, Files.readAllBytes(p), 0644);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTo(out);
    return out.toByteArray();
  }

  public Path writeTo(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private void writeTo(OutputStream out) {
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry e : entries) {
        e.write(tar);
      }
      tar.finish();
      tar.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
