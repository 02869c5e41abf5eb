package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A tar archive (a {@code docker save} or an OCI archive) read in place: one pass over its headers
 * (seeking past the data) builds a name → offset table; each file is then read with its own channel
 * at its offset, so layers can be read concurrently and nothing is copied out.
 */
final class TarArchiveFiles implements ArchiveFiles {
  private record Slot(long offset, long size) {}

  private final Path path;
  private final Map<String, Slot> files = new HashMap<>();

  private TarArchiveFiles(Path path) {
    this.path = path;
  }

  /** Indexes the tar at {@code path}; a file that is no tar is an {@link ImageReadException}. */
  static TarArchiveFiles open(Path path) {
    TarArchiveFiles archive = new TarArchiveFiles(path);
    try (TarFile tar = new TarFile(path)) {
      for (TarArchiveEntry e : tar.getEntries()) {
        if (e.isFile() && !e.isSparse()) {
          archive.files.put(ArchiveFiles.normalize(e.getName()), new Slot(e.getDataOffset(), e.getSize()));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageReadException ire) {
        throw ire;
      }
      throw new ImageReadException(path + ": not a tar archive (" + ImageConfig.oneLine(String.valueOf(e.getMessage())) + ")", e);
    }
    if (archive.files.isEmpty()) {
      throw new ImageReadException(path + ": not an image: not a tar archive, or an empty one");
    }
    return archive;
  }

  @Override
  public Optional<Long> size(String name) {
    Slot slot = files.get(ArchiveFiles.normalize(name));
    return slot == null ? Optional.empty() : Optional.of(slot.size);
  }

  @Override
  public InputStream open(String name) throws IOException {
    Slot slot = files.get(ArchiveFiles.normalize(name));
    if (slot == null) {
      throw new ImageReadException(describe() + ": no " + name + " in the archive");
    }
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    return new SlotStream(channel, slot.offset, slot.size);
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() {}

  /** A window of a file channel, read with positional reads so streams don't share a position. */
  private static final class SlotStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    SlotStream(FileChannel channel, long offset, long size) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) {
        return -1;
      }
      int want = (int) Math.min(len, end - position);
      int n = channel.read(ByteBuffer.wrap(b, off, want), position);
      if (n < 0) {
        throw new IOException("archive ends inside a file (truncated tar)");
      }
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
