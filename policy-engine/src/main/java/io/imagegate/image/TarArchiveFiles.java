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
 *
 * <p>Members may be links to other members: classic {@code docker save} writes a layer it has
 * already saved as {@code <id>/layer.tar -> ../<other id>/layer.tar} (moby
 * {@code image/tarexport/save.go}). Links are followed inside the archive only.
 */
final class TarArchiveFiles implements ArchiveFiles {
  /** Links followed for one name before it counts as a loop, as Linux's MAXSYMLINKS. */
  private static final int MAX_LINK_HOPS = 40;

  private record Slot(long offset, long size) {}

  /** A symlink (target relative to the link's directory) or a hard link (target relative to the archive root). */
  private record Link(String target, boolean symbolic) {}

  private final Path path;
  private final Map<String, Slot> files = new HashMap<>();
  private final Map<String, Link> links = new HashMap<>();

  private TarArchiveFiles(Path path) {
    this.path = path;
  }

  /** Indexes the tar at {@code path}; a file that is no tar is an {@link ImageReadException}. */
  static TarArchiveFiles open(Path path) {
    TarArchiveFiles archive = new TarArchiveFiles(path);
    try (TarFile tar = new TarFile(path)) {
      for (TarArchiveEntry e : tar.getEntries()) {
        // isFile() is true for every type but directories (links, devices and FIFOs included)
        if (e.isSymbolicLink() || e.isLink()) {
          archive.links.put(ArchiveFiles.normalize(e.getName()), new Link(e.getLinkName(), e.isSymbolicLink()));
        } else if (e.isFile() && !e.isSparse() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
          archive.files.put(ArchiveFiles.normalize(e.getName()), new Slot(e.getDataOffset(), e.getSize()));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageReadException ire) {
        throw new ImageReadException(path + ": " + ire.getMessage(), ire);
      }
      throw new ImageReadException(path + ": not a tar archive (" + ImageConfig.oneLine(String.valueOf(e.getMessage())) + ")", e);
    }
    if (archive.files.isEmpty()) {
      throw new ImageReadException(path + ": not an image: not a tar archive, or an empty one");
    }
    return archive;
  }

  /** The regular file {@code name} is, following links between members; empty when there is none. */
  private Optional<Slot> slot(String name) {
    String current = normalizeInside(name);
    for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      Slot slot = files.get(current);
      if (slot != null) {
        return Optional.of(slot);
      }
      Link link = links.get(current);
      if (link == null) {
        return Optional.empty();
      }
      String from = current;
      Optional<String> next = link.symbolic()
          ? ArchiveFiles.resolveLink(current, link.target())
          : ArchiveFiles.resolveLink("", link.target());
      current = next.orElseThrow(() -> new ImageReadException(describe() + ": " + name
          + " is a link leading outside the archive (" + from + " -> " + link.target() + ")"));
    }
    throw new ImageReadException(describe() + ": " + name + ": more than " + MAX_LINK_HOPS
        + " links between archive members (a loop?)");
  }

  @Override
  public Optional<Long> size(String name) {
    return slot(name).map(Slot::size);
  }

  @Override
  public InputStream open(String name) throws IOException {
    Slot slot = slot(name).orElse(null);
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
