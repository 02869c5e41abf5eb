package io.imagegate.scan;

import io.imagegate.image.Digest;
import io.imagegate.image.DigestingInputStream;
import io.imagegate.image.CorruptContentException;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.Streams;
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
 * is either skipped, searched for markers or needles, or kept in memory for the paths a rule asked
 * for. A file that several interests want is read once and its bytes shared; what is kept is
 * bounded per file and per layer ({@link ScanLimits}).
 * When either digest of the layer fails to verify, the index is discarded and the failure thrown.
 * A tar that ends right after its last entry's data, without padding and end-of-archive blocks, is
 * read to that end, as Go's {@code archive/tar} reads it (umoci 0.4 writes such layers).
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
      throw new ImageReadException(what + ": read error: " + ImageConfig.oneLine(e.getMessage()), e);
    }
    return tally.index(diffId, digesting.count(), what);
  }

  /** What one pass over a tar collected, before the stream's digest is known. */
  private record Tally(List<FileEntry> entries, List<String> whiteouts, List<String> opaque,
      Map<String, byte[]> content, Set<String> truncated, List<ContentMatch> matches, long contentSize,
      ScanLimits limits) {

    LayerIndex index(Digest diffId, long uncompressed, String what) {
      if (uncompressed > limits.maxLayerBytes()) {
        throw new ImageReadException(what + ": more than " + limits.maxLayerBytes() + " uncompressed bytes");
      }
      return new LayerIndex(diffId, entries, whiteouts, opaque, content, truncated, matches, uncompressed,
          contentSize);
    }
  }

  private Tally read(InputStream stream, int layerIndex, String what) {
    List<FileEntry> entries = new ArrayList<>();
    List<String> whiteouts = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    Map<String, byte[]> content = new HashMap<>();
    Set<String> truncated = new HashSet<>();
    List<ContentMatch> matches = new ArrayList<>();
    long[] budget = {limits.maxCapturedBytesPerLayer()};
    long contentSize = 0;
    Position position = new Position(stream);
    TarArchiveInputStream tar = new TarArchiveInputStream(position);
    byte[] buffer = new byte[65536];
    TarArchiveEntry e;
    while ((e = nextEntry(tar, position, what)) != null) {
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
        boolean searchMarkers = !interest.markers().isEmpty() && (mode & 0111) != 0 && size <= limits.maxMarkerFileBytes();
        int captureLimit = interest.captureLimit(path, limits.maxCapturedBytes());
        List<ScanInterest.ContentSearch> searches = searchesFor(path, size);
        if (captureLimit >= 0 || !searches.isEmpty()) {
          // read what captures and searches need into memory once (bounded by their limits), then
          // hand the same bytes to each; markers continue streaming past it
          int want = (int) Math.min(size, Math.max(captureLimit, searches.isEmpty() ? 0 : size));
          byte[] head = read(tar, want);
          if (captureLimit >= 0) {
            int keep = (int) Math.min(Math.min(head.length, captureLimit), Math.max(0, budget[0]));
            budget[0] -= keep;
            content.put(path, keep == head.length ? head : java.util.Arrays.copyOf(head, keep));
            if (keep < size) {
              truncated.add(path);
            }
          }
          for (ScanInterest.ContentSearch search : searches) {
            ContentMatch m = search(search, path, head, budget);
            if (m != null) {
              matches.add(m);
            }
          }
          if (searchMarkers) {
            markers = findMarkers(tar, buffer, head, size > head.length);
          }
        } else if (searchMarkers) {
          markers = findMarkers(tar, buffer, new byte[0], true);
        }
        // the rest of the content must still be read (and hashed); read it in large chunks
        // rather than let the tar reader skip it 8 KiB at a time
        drain(tar, buffer, what, path);
      }
      entries.add(new FileEntry(path, type, mode, e.getLongUserId(), e.getLongGroupId(), size, linkTarget,
          layerIndex, markers));
    }
    return new Tally(entries, whiteouts, opaque, content, truncated, matches, contentSize, limits);
  }

  private static void drain(InputStream tar, byte[] buffer, String what, String path) {
    try {
      while (tar.read(buffer, 0, buffer.length) >= 0) {
        // discard: only the digests see these bytes
      }
    } catch (IOException ex) {
      throw new CorruptContentException(what + ": not a valid tar: in " + path + ": " + ImageConfig.oneLine(ex.getMessage()), ex);
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Position position, String what) {
    try {
      TarArchiveEntry e = tar.getNextEntry();
      if (e == null && position.endedInsideAHeader()) {
        // commons-compress takes a short header record for the end; Go's archive/tar does not
        throw new CorruptContentException(what + ": not a valid tar: it ends inside a header (truncated)", null);
      }
      if (e != null) {
        // commons-compress reads headers unbuffered: the data of e starts exactly here
        position.entryEnd = position.count + Math.max(0, e.getSize());
      }
      return e;
    } catch (IOException | IllegalArgumentException ex) {
      if (position.endedAfterEntryData()) {
        // the tar stops right after its last entry's data, without padding or end-of-archive
        // blocks, as umoci 0.4 writes layers; Go's archive/tar (Docker, containerd) reads these as
        // a clean end, and nothing is missing: the stream's digest still decides
        return null;
      }
      throw new CorruptContentException(what + ": not a valid tar: " + ImageConfig.oneLine(ex.getMessage()), ex);
    }
  }

  /** Counts the bytes the tar reader consumed and notices the end of the layer stream. */
  private static final class Position extends java.io.FilterInputStream {
    long count;
    long entryEnd = -1;
    boolean ended;

    Position(InputStream in) {
      super(in);
    }

    boolean endedAfterEntryData() {
      return ended && count == entryEnd;
    }

    /** Whether the stream ended part-way into the header record after the last entry. */
    boolean endedInsideAHeader() {
      long headerStart = entryEnd < 0 ? 0 : (entryEnd + 511) / 512 * 512;
      return ended && count > headerStart && count < headerStart + 512;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        ended = true;
      } else {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        ended = true;
      } else {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return Streams.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
      return false;
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

  private List<ScanInterest.ContentSearch> searchesFor(String path, long size) {
    if (interest.searches().isEmpty()) {
      return List.of();
    }
    List<ScanInterest.ContentSearch> out = new ArrayList<>();
    for (ScanInterest.ContentSearch s : interest.searches()) {
      if (s.applies(path, size)) {
        out.add(s);
      }
    }
    return out;
  }

  private static byte[] read(InputStream tar, int n) {
    try {
      return tar.readNBytes(n);
    } catch (IOException ex) {
      throw new ImageReadException("reading captured content: " + ImageConfig.oneLine(ex.getMessage()), ex);
    }
  }

  /** Bytes kept before and after a hit, and hits kept per file. */
  static final int EXCERPT_BEFORE = 1024;
  static final int EXCERPT_AFTER = 4096;
  static final int MAX_HITS_PER_FILE = 16;

  /**
   * Looks for every needle of {@code search} in {@code bytes} (the whole file); keeps windows
   * around the hits, merged where they overlap, as far as the layer's budget allows.
   */
  private static ContentMatch search(ScanInterest.ContentSearch search, String path, byte[] bytes, long[] budget) {
    Set<String> found = new HashSet<>();
    List<int[]> windows = new ArrayList<>();
    int hits = 0;
    for (String needle : search.needles()) {
      byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      int from = 0;
      int at;
      while ((at = indexOf(bytes, from, bytes.length, n)) >= 0) {
        found.add(needle);
        if (hits++ < MAX_HITS_PER_FILE) {
          windows.add(new int[] {Math.max(0, at - EXCERPT_BEFORE), Math.min(bytes.length, at + n.length + EXCERPT_AFTER)});
        }
        from = at + n.length;
      }
    }
    if (found.isEmpty()) {
      return null;
    }
    windows.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<ContentMatch.Excerpt> excerpts = new ArrayList<>();
    boolean cut = false;
    int[] current = null;
    for (int[] w : windows) {
      if (current != null && w[0] <= current[1]) {
        current[1] = Math.max(current[1], w[1]);
        continue;
      }
      if (current != null) {
        cut |= !keep(bytes, current, excerpts, budget);
      }
      current = w;
    }
    cut |= !keep(bytes, current, excerpts, budget);
    return new ContentMatch(search.name(), path, found, excerpts, cut || hits > MAX_HITS_PER_FILE);
  }

  private static boolean keep(byte[] bytes, int[] w, List<ContentMatch.Excerpt> out, long[] budget) {
    int len = w[1] - w[0];
    if (len > budget[0]) {
      return false;
    }
    budget[0] -= len;
    out.add(new ContentMatch.Excerpt(w[0], java.util.Arrays.copyOfRange(bytes, w[0], w[1])));
    return true;
  }

  /**
   * Looks for every marker in {@code head} (the file's first bytes, already read) and then, when
   * {@code more}, in the rest of the file streamed; a marker may straddle two reads.
   */
  private Set<String> findMarkers(InputStream tar, byte[] buffer, byte[] head, boolean more) {
    int keep = 0;
    for (byte[] m : interest.markers().values()) {
      keep = Math.max(keep, m.length - 1);
    }
    Set<String> found = new HashSet<>();
    for (Map.Entry<String, byte[]> m : interest.markers().entrySet()) {
      if (indexOf(head, 0, head.length, m.getValue()) >= 0) {
        found.add(m.getKey());
      }
    }
    if (!more || found.size() == interest.markers().size()) {
      return found;
    }
    try {
      int carried = Math.min(keep, head.length);
      System.arraycopy(head, head.length - carried, buffer, 0, carried);
      int n;
      while ((n = tar.read(buffer, carried, buffer.length - carried)) > 0) {
        int limit = carried + n;
        for (Map.Entry<String, byte[]> m : interest.markers().entrySet()) {
          if (!found.contains(m.getKey()) && indexOf(buffer, 0, limit, m.getValue()) >= 0) {
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
      throw new ImageReadException("reading file content: " + ImageConfig.oneLine(ex.getMessage()), ex);
    }
    return found;
  }

  /** The first index of {@code needle} in {@code haystack[from, length)}, or -1. */
  static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
    byte first = needle[0];
    int last = length - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
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
}
