package io.imagegate.scan;

import io.imagegate.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Layer indexes on disk, keyed by the layer's diff id, the scanner's version and what the scan
 * was asked to capture: a layer is immutable, so its index never changes, and a rerun over
 * shared base layers skips reading them. Entries hold only the index (paths, modes, the few
 * captured files), never layer content.
 *
 * <p>An entry is written to a temporary file and renamed into place, so concurrent runs sharing a
 * cache never see half an entry. A corrupt, truncated or foreign entry (bad magic, version,
 * checksum, or a diff id other than its name's) is ignored and rebuilt, never trusted.
 */
public final class LayerCache {
  /**
   * Bump when the scanner's output or this format changes: old entries are then simply not found.
   * 3: a tar that ends inside a header is refused, one that ends without end-of-archive blocks read.
   */
  public static final int SCANNER_VERSION = 3;
  private static final int MAGIC = 0x49474C49; // "IGLI"
  /** The fewest bytes an encoded entry takes (empty path and link, no markers). */
  private static final int MIN_ENTRY_BYTES = 4 + 1 + 4 + 8 + 8 + 8 + 4 + 4 + 2;

  private final Path root;

  private LayerCache(Path root) {
    this.root = root;
  }

  /** A cache in {@code dir} (created on first write). */
  public static LayerCache at(Path dir) {
    return new LayerCache(dir);
  }

  /** {@code $XDG_CACHE_HOME/imagegate}, else {@code ~/.cache/imagegate}. */
  public static Path defaultDirectory(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "imagegate");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "imagegate");
  }

  public Path directory() {
    return root;
  }

  /** The cached index of {@code diffId} scanned with {@code interest} and {@code limits}, if a sound entry exists. */
  public Optional<LayerIndex> get(Digest diffId, ScanInterest interest, ScanLimits limits) {
    Optional<byte[]> body = CacheFiles.read(file(diffId, interest, limits), MAGIC, SCANNER_VERSION);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(body.get(), diffId));
    } catch (IOException | RuntimeException e) {
      // corrupt or foreign: ignore it; the next put replaces it
      return Optional.empty();
    }
  }

  /** Stores an index; failures to write are ignored (the cache is an optimisation, never a requirement). */
  public void put(LayerIndex index, ScanInterest interest, ScanLimits limits) {
    try {
      CacheFiles.write(file(index.diffId(), interest, limits), MAGIC, SCANNER_VERSION, encode(index));
    } catch (IOException | RuntimeException e) {
      // an index that cannot be encoded is simply not cached
    }
  }

  Path file(Digest diffId, ScanInterest interest, ScanLimits limits) {
    return root.resolve("layers").resolve("v" + SCANNER_VERSION).resolve(key(interest, limits))
        .resolve(diffId.algorithm() + "-" + diffId.hex() + ".idx");
  }

  /** A short hash of what the scan captured, so a policy that captures more never reads a poorer entry. */
  public static String key(ScanInterest interest, ScanLimits limits) {
    StringBuilder sb = new StringBuilder();
    new TreeSet<>(interest.paths()).forEach(p -> sb.append("p:").append(p).append('\n'));
    new TreeMap<>(interest.markers()).forEach((k, v) ->
        sb.append("m:").append(k).append('=').append(Arrays.toString(v)).append('\n'));
    interest.captures().stream().map(c -> "c:" + c.glob() + "=" + c.maxBytes()).sorted()
        .forEach(c -> sb.append(c).append('\n'));
    interest.searches().stream().map(x -> "s:" + x.name() + "|" + x.include() + "|" + x.exclude() + "|" + x.maxFileSize()
        + "|" + x.needles()).sorted().forEach(x -> sb.append(x).append('\n'));
    sb.append("l:").append(limits.maxCapturedBytes()).append(',').append(limits.maxMarkerFileBytes())
        .append(',').append(limits.maxCapturedBytesPerLayer());
    return Digest.sha256Of(sb.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
  }

  // ---- format: magic, version, body, sha256(body) ----------------------------------------------

  static byte[] encode(LayerIndex index) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    string(out, index.diffId().toString());
    out.writeLong(index.uncompressedSize());
    out.writeLong(index.contentSize());
    out.writeInt(index.entries().size());
    for (FileEntry e : index.entries()) {
      string(out, e.path());
      out.writeByte(e.type().ordinal());
      out.writeInt(e.mode());
      out.writeLong(e.uid());
      out.writeLong(e.gid());
      out.writeLong(e.size());
      string(out, e.linkTarget());
      out.writeInt(e.layer());
      out.writeShort(e.markers().size());
      for (String m : new TreeSet<>(e.markers())) {
        string(out, m);
      }
    }
    strings(out, index.whiteouts());
    strings(out, index.opaqueDirs());
    out.writeInt(index.content().size());
    for (Map.Entry<String, byte[]> c : new TreeMap<>(index.content()).entrySet()) {
      string(out, c.getKey());
      out.writeInt(c.getValue().length);
      out.write(c.getValue());
    }
    strings(out, new ArrayList<>(new TreeSet<>(index.truncated())));
    out.writeInt(index.matches().size());
    for (ContentMatch m : index.matches()) {
      string(out, m.search());
      string(out, m.path());
      strings(out, new ArrayList<>(new TreeSet<>(m.needles())));
      out.writeBoolean(m.truncated());
      out.writeInt(m.excerpts().size());
      for (ContentMatch.Excerpt x : m.excerpts()) {
        out.writeLong(x.offset());
        out.writeInt(x.bytes().length);
        out.write(x.bytes());
      }
    }
    out.flush();
    return body.toByteArray();
  }

  /** Reads an entry's body (framing already checked by {@link CacheFiles}). */
  static LayerIndex decode(byte[] body, Digest expected) throws IOException {
    // a ByteBuffer, not a DataInputStream: no lock and no copy per value, for 100,000s of them
    ByteBuffer in = ByteBuffer.wrap(body);
    Digest diffId = Digest.parse(CacheFiles.readString(in));
    if (!diffId.equals(expected)) {
      throw new IOException("entry is for " + diffId);
    }
    long uncompressed = in.getLong();
    long contentSize = in.getLong();
    int n = in.getInt();
    if (n < 0 || n > in.remaining() / MIN_ENTRY_BYTES) {
      throw new IOException("bad entry count");
    }
    FileType[] types = FileType.values();
    List<FileEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String path = CacheFiles.readString(in);
      FileType type = types[in.get()];
      int mode = in.getInt();
      long uid = in.getLong();
      long gid = in.getLong();
      long size = in.getLong();
      String link = CacheFiles.readString(in);
      int layer = in.getInt();
      int markerCount = in.getShort();
      Set<String> markers = markerCount == 0 ? Set.of() : new HashSet<>();
      for (int m = 0; m < markerCount; m++) {
        markers.add(CacheFiles.readString(in));
      }
      entries.add(new FileEntry(path, type, mode, uid, gid, size, link, layer, markers));
    }
    List<String> whiteouts = CacheFiles.readStrings(in);
    List<String> opaque = CacheFiles.readStrings(in);
    int contentCount = in.getInt();
    Map<String, byte[]> content = new HashMap<>();
    for (int i = 0; i < contentCount; i++) {
      String path = CacheFiles.readString(in);
      byte[] data = new byte[in.getInt()];
      in.get(data);
      content.put(path, data);
    }
    Set<String> truncated = new HashSet<>(CacheFiles.readStrings(in));
    int matchCount = in.getInt();
    List<ContentMatch> matches = new ArrayList<>(Math.max(0, Math.min(matchCount, 1 << 16)));
    for (int i = 0; i < matchCount; i++) {
      String search = CacheFiles.readString(in);
      String path = CacheFiles.readString(in);
      List<String> needles = CacheFiles.readStrings(in);
      boolean cut = in.get() != 0;
      int excerptCount = in.getInt();
      List<ContentMatch.Excerpt> excerpts = new ArrayList<>();
      for (int x = 0; x < excerptCount; x++) {
        long offset = in.getLong();
        byte[] data = new byte[in.getInt()];
        in.get(data);
        excerpts.add(new ContentMatch.Excerpt(offset, data));
      }
      matches.add(new ContentMatch(search, path, new HashSet<>(needles), excerpts, cut));
    }
    return new LayerIndex(diffId, entries, whiteouts, opaque, content, truncated, matches, uncompressed, contentSize);
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    CacheFiles.writeString(out, s);
  }

  private static void strings(DataOutputStream out, List<String> list) throws IOException {
    CacheFiles.writeStrings(out, list);
  }
}
