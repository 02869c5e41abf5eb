package io.imagegate.scan;

import io.imagegate.image.Digest;
import io.imagegate.image.DigestingInputStream;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one layer's tar exactly once (PAX headers, GNU long names, hard links, sparse entries via
 * commons-compress) and builds its {@link LayerIndex}. Nothing is written anywhere: file content
 * is either skipped, searched for markers, or kept in memory for the few paths a rule asked for.
 * When either digest of the layer fails to verify, the index is discarded and the failure thrown.
 */
public final class LayerScanner {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final ScanInterest interest;
  private final ScanLimits limits;

  public LayerScanner(ScanInterest interest, ScanLimits limits) {
    this.interest = interest;
    this.limits = limits;
  }

  /**
   * Scans {@code layer}.
   *
   * @throws ImageReadException when the layer can't be read, isn't a tar, breaks a limit or fails verification
   */
  public LayerIndex scan(Layer layer) {
    try (Layer.LayerStream stream = layer.open()) {
      try {
        Tally tally = read(stream, layer.index(), layer.describe());
        long uncompressed = stream.finish();
        return tally.index(layer.diffId(), uncompressed, layer.describe());
      } catch (ImageReadException e) {
        throw stream.rootCause(e);
      }
    }
  }

  /**
   * Scans an uncompressed layer tar that is already open and can be read only once (e.g. an entry
   * of an engine's {@code save} stream), computing its diff id (sha256 of every byte, including
   * what follows the tar's end-of-archive marker) as it goes. The stream is read to its end, not
   * closed. The caller compares the returned {@link LayerIndex#diffId()} with what the config
   * promises and discards the index on a mismatch.
   *
   * @param index the layer's position, if known (see {@link LayerIndex#atLayer(int)})
   * @param what names the layer in error messages
   * @throws ImageReadException when the stream can't be read, isn't a tar or breaks a limit
   */
  public LayerIndex scan(InputStream uncompressedTar, int index, String what) {
    DigestingInputStream digesting = new DigestingInputStream(uncompressedTar, limits.maxLayerBytes(), what);
    Tally tally = read(digesting, index, what);
    Digest diffId;
    try {
      diffId = digesting.finish();
    } catch (IOException e) {
      throw new ImageReadException(what + ": read error: " + oneLine(e.getMessage()), e);
    }
    return tally.index(diffId, digesting.count(), what);
  }

  /** What one pass over a tar collected, before the stream's digest is known. */
  private record Tally(List<FileEntry> entries, List<String> whiteouts, List<String> opaque,
      Map<String, byte[]> content, long contentSize, ScanLimits limits) {

    LayerIndex index(Digest diffId, long uncompressed, String what) {
      if (uncompressed > limits.maxLayerBytes()) {
        throw new ImageReadException(what + ": more than " + limits.maxLayerBytes() + " uncompressed bytes");
      }
      return new LayerIndex(diffId, entries, whiteouts, opaque, content, uncompressed, contentSize);
    }
  }

  private Tally read(InputStream stream, int layerIndex, String what) {
    List<FileEntry> entries = new ArrayList<>();
    List<String> whiteouts = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    Map<String, byte[]> content = new HashMap<>();
    long contentSize = 0;
    TarArchiveInputStream tar = new TarArchiveInputStream(stream);
    byte[] buffer = new byte[65536];
    TarArchiveEntry e;
    while ((e = nextEntry(tar, what)) != null) {
      if (entries.size() + whiteouts.size() >= limits.maxEntriesPerLayer()) {
        throw new ImageReadException(what + ": more than " + limits.maxEntriesPerLayer() + " entries");
      }
      String raw = e.getName();
      if (raw.length() > limits.maxPathLength()) {
        throw new ImageReadException(what + ": entry name longer than " + limits.maxPathLength() + " bytes");
      }
      String path = Paths.normalize(raw);
      if (path.equals("/")) {
        continue;
      }
      String base = Paths.basename(path);
      if (base.startsWith(WHITEOUT)) {
        if (base.equals(OPAQUE)) {
          opaque.add(Paths.parent(path));
        } else if (!base.startsWith(WHITEOUT + WHITEOUT)) { // .wh..wh.* are aufs metadata, not deletions
          whiteouts.add(Paths.child(Paths.parent(path), base.substring(WHITEOUT.length())));
        }
        continue;
      }
      FileType type = typeOf(e);
      long size = type == FileType.FILE ? (e.isSparse() ? e.getRealSize() : e.getSize()) : 0;
      if (size < 0 || size > limits.maxLayerBytes()) {
        throw new ImageReadException(what + ": entry " + path + " declares " + size + " bytes");
      }
      String linkTarget = switch (type) {
        case SYMLINK -> e.getLinkName();
        case HARDLINK -> Paths.normalize(e.getLinkName());
        default -> "";
      };
      int mode = e.getMode() & 07777;
      Set<String> markers = Set.of();
      if (type == FileType.FILE) {
        contentSize += size;
        if (interest.paths().contains(path)) {
          content.put(path, capture(tar, size));
        } else if (!interest.markers().isEmpty() && (mode & 0111) != 0 && size <= limits.maxMarkerFileBytes()) {
          markers = findMarkers(tar, buffer);
        }
      }
      entries.add(new FileEntry(path, type, mode, e.getLongUserId(), e.getLongGroupId(), size, linkTarget,
          layerIndex, markers));
    }
    return new Tally(entries, whiteouts, opaque, content, contentSize, limits);
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String what) {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException ex) {
      throw new ImageReadException(what + ": not a valid tar: " + oneLine(ex.getMessage()), ex);
    }
  }

  private static FileType typeOf(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return FileType.DIRECTORY;
    }
    if (e.isSymbolicLink()) {
      return FileType.SYMLINK;
    }
    if (e.isLink()) {
      return FileType.HARDLINK;
    }
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      return FileType.OTHER;
    }
    return FileType.FILE;
  }

  private byte[] capture(InputStream tar, long size) {
    try {
      return tar.readNBytes((int) Math.min(size, limits.maxCapturedBytes()));
    } catch (IOException ex) {
      throw new ImageReadException("reading captured content: " + oneLine(ex.getMessage()), ex);
    }
  }

  /** Streams one file's content looking for every marker; a marker may straddle two reads. */
  private Set<String> findMarkers(InputStream tar, byte[] buffer) {
    int keep = 0;
    for (byte[] m : interest.markers().values()) {
      keep = Math.max(keep, m.length - 1);
    }
    Set<String> found = new HashSet<>();
    try {
      int carried = 0;
      int n;
      while ((n = tar.read(buffer, carried, buffer.length - carried)) > 0) {
        int limit = carried + n;
        for (Map.Entry<String, byte[]> m : interest.markers().entrySet()) {
          if (!found.contains(m.getKey()) && indexOf(buffer, limit, m.getValue()) >= 0) {
            found.add(m.getKey());
          }
        }
        if (found.size() == interest.markers().size()) {
          break;
        }
        carried = Math.min(keep, limit);
        System.arraycopy(buffer, limit - carried, buffer, 0, carried);
      }
    } catch (IOException ex) {
      throw new ImageReadException("reading file content: " + oneLine(ex.getMessage()), ex);
    }
    return found;
  }

  static int indexOf(byte[] haystack, int length, byte[] needle) {
    byte first = needle[0];
    int last = length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
