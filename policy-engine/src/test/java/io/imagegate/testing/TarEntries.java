package io.imagegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A small tar read whole into memory, to reorder, tamper with or link its entries and write it
 * again: for tests of readers of {@code docker save} streams, whose fixtures are a few KiB.
 */
public final class TarEntries {
  /** One entry: a regular file ({@code link} empty), a symlink or a hard link ({@code hard}). */
  public record Entry(String name, byte[] content, String link, boolean hard) {
    public static Entry file(String name, byte[] content) {
      return new Entry(name, content, "", false);
    }

    public static Entry symlink(String name, String target) {
      return new Entry(name, new byte[0], target, false);
    }

    public Entry withContent(byte[] bytes) {
      return new Entry(name, bytes, link, hard);
    }
  }

  private TarEntries() {}

  /** The regular files and links of a tar, in order (directories are left out). */
  public static List<Entry> read(Path tar) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        if (e.isSymbolicLink() || e.isLink()) {
          out.add(new Entry(e.getName(), new byte[0], e.getLinkName(), e.isLink()));
        } else if (e.isFile()) {
          out.add(Entry.file(e.getName(), t.readAllBytes()));
        }
      }
    }
    return out;
  }

  /** Writes {@code entries} as a tar (PAX headers), in order. */
  public static void write(Path tar, List<Entry> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry h;
        if (e.link().isEmpty()) {
          h = new TarArchiveEntry(e.name());
          h.setSize(e.content().length);
        } else {
          h = new TarArchiveEntry(e.name(), e.hard() ? TarConstants.LF_LINK : TarConstants.LF_SYMLINK);
          h.setLinkName(e.link());
        }
        t.putArchiveEntry(h);
        t.write(e.content());
        t.closeArchiveEntry();
      }
    }
  }
}
