package io.imagegate.engine;

import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.HistoryEntry;
import io.imagegate.image.Image;
import io.imagegate.image.Layer;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.Location;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.scan.CacheFiles;
import io.imagegate.scan.LayerCache;
import io.imagegate.scan.ScanLimits;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What evaluating an image against a policy found, on disk, keyed by everything the outcome
 * depends on: the image's manifest, config and layer digests (which pin every byte of it), the
 * policy's rules (id, type, severity, wording and parameters as written), what the caller
 * supplied (a baseline), the scan limits, and the code that evaluated it. A rerun of the same
 * image against the same rules then reads the manifest and config and nothing else, and skips the
 * merge and the rules too.
 *
 * <p>What is stored are the raw findings, before policy exceptions: those depend on the day (an
 * exception expires) and on the image's name, so the gate applies them to cached findings as to
 * fresh ones, and editing an exception does not invalidate anything.
 *
 * <p>The code version must change whenever the scanner or a rule could decide differently (the
 * CLI uses the version and the jar's size and time). Entries share the layer cache's frame (see
 * {@link CacheFiles}): a corrupt or foreign one is ignored and rebuilt.
 *
 * <p>A rule is known to the key by its parameters text ({@link PolicyRule#parameters()}), so the
 * cache is for policies loaded from YAML; a policy built in code without that text must not use it.
 * And a check must be a function of the image, its parameters and the {@link EvaluationContext}
 * alone: one that read the clock or the environment would need that in the key (none does; the
 * day matters only to exceptions, which are applied after).
 */
public final class ResultCache {
  /** Bump when the entry format or the key's meaning changes. */
  public static final int FORMAT = 1;
  private static final int MAGIC = 0x49475245; // "IGRE"

  private final Path root;
  private final String codeVersion;

  private ResultCache(Path root, String codeVersion) {
    this.root = root;
    this.codeVersion = codeVersion;
  }

  /**
   * A result cache under {@code dir} (created on first write; the layer cache's directory may be
   * shared).
   *
   * @param codeVersion identifies the code that evaluates: results of other code are never read
   */
  public static ResultCache at(Path dir, String codeVersion) {
    return new ResultCache(dir, codeVersion);
  }

  /**
   * What evaluating an image found, before policy exceptions.
   *
   * @param files the number of paths in the merged filesystem
   */
  record Evaluated(List<LayerFacts> layers, int files, List<Finding> findings) {
    Evaluated {
      layers = List.copyOf(layers);
      findings = List.copyOf(findings);
    }
  }

  /** The key of {@code image} evaluated against {@code policy} with {@code context} and {@code limits}. */
  String key(Image image, Policy policy, EvaluationContext context, ScanLimits limits) {
    StringBuilder sb = new StringBuilder();
    sb.append("imagegate results ").append(FORMAT).append('\n');
    sb.append("code ").append(codeVersion).append('\n');
    sb.append("scanner ").append(LayerCache.SCANNER_VERSION).append('\n');
    sb.append("limits ").append(limits).append('\n');
    sb.append("manifest ").append(image.manifestDigest()).append('\n');
    sb.append("config ").append(image.configDigest()).append('\n');
    for (Layer l : image.layers()) {
      sb.append("layer ").append(l.mediaType()).append(' ').append(l.blobDigest().map(Digest::toString).orElse("-"))
          .append(' ').append(l.blobSize()).append(' ').append(l.diffId()).append('\n');
    }
    sb.append("context ").append(context.baseline().map(Object::toString).orElse("-")).append('\n');
    for (PolicyRule r : policy.rules()) {
      // lengths make the fields unambiguous whatever they contain
      sb.append("rule ").append(field(r.id())).append(field(r.type().name())).append(r.severity()).append(' ')
          .append(field(r.message().orElse(""))).append(r.message().isPresent() ? '+' : '-')
          .append(field(r.parameters())).append('\n');
    }
    return Digest.sha256Of(sb.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  private static String field(String s) {
    return s.length() + ":" + s + " ";
  }

  Path file(String key) {
    return root.resolve("results").resolve("v" + FORMAT).resolve(key.substring(0, 2)).resolve(key + ".res");
  }

  /** The cached evaluation under {@code key}, if a sound entry is there. */
  Optional<Evaluated> get(String key) {
    Optional<byte[]> body = CacheFiles.read(file(key), MAGIC, FORMAT);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(body.get(), key));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Stores an evaluation; failures to write are ignored. */
  void put(String key, Evaluated evaluated) {
    try {
      CacheFiles.write(file(key), MAGIC, FORMAT, encode(key, evaluated));
    } catch (IOException | RuntimeException e) {
      // not cached
    }
  }

  static byte[] encode(String key, Evaluated e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    CacheFiles.writeString(out, key);
    out.writeInt(e.files());
    out.writeInt(e.layers().size());
    for (LayerFacts l : e.layers()) {
      out.writeInt(l.index());
      CacheFiles.writeString(out, l.diffId().toString());
      CacheFiles.writeOptional(out, l.blobDigest().map(Digest::toString));
      out.writeLong(l.compressedSize());
      out.writeLong(l.uncompressedSize());
      out.writeLong(l.contentSize());
      out.writeInt(l.files());
      out.writeLong(l.wastedBytes());
      out.writeBoolean(l.history().isPresent());
      if (l.history().isPresent()) {
        HistoryEntry h = l.history().get();
        CacheFiles.writeString(out, h.created());
        CacheFiles.writeString(out, h.createdBy());
        CacheFiles.writeString(out, h.comment());
        out.writeBoolean(h.emptyLayer());
      }
    }
    out.writeInt(e.findings().size());
    for (Finding f : e.findings()) {
      if (f.suppression().isPresent() || f.source().isPresent()) {
        throw new IllegalArgumentException("only raw findings are cached");
      }
      CacheFiles.writeString(out, f.ruleId());
      CacheFiles.writeString(out, f.ruleType());
      out.writeByte(f.severity().ordinal());
      CacheFiles.writeString(out, f.message());
      Location at = f.location();
      CacheFiles.writeOptional(out, at.path());
      out.writeInt(at.layer().orElse(-1));
      CacheFiles.writeOptional(out, at.configField());
      out.writeBoolean(f.layer().isPresent());
      if (f.layer().isPresent()) {
        Finding.LayerRef r = f.layer().get();
        out.writeInt(r.index());
        CacheFiles.writeString(out, r.diffId().toString());
        CacheFiles.writeOptional(out, r.blobDigest().map(Digest::toString));
        CacheFiles.writeString(out, r.createdBy());
      }
    }
    out.flush();
    return bytes.toByteArray();
  }

  static Evaluated decode(byte[] body, String expectedKey) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(body);
    String key = CacheFiles.readString(in);
    if (!key.equals(expectedKey)) {
      throw new IOException("entry is for another key");
    }
    int files = in.getInt();
    int layerCount = in.getInt();
    if (files < 0 || layerCount < 0) {
      throw new IOException("bad counts");
    }
    List<LayerFacts> layers = new ArrayList<>(Math.min(layerCount, 1 << 12));
    for (int i = 0; i < layerCount; i++) {
      int index = in.getInt();
      Digest diffId = Digest.parse(CacheFiles.readString(in));
      Optional<Digest> blob = CacheFiles.readOptional(in).map(Digest::parse);
      long compressed = in.getLong();
      long uncompressed = in.getLong();
      long content = in.getLong();
      int entries = in.getInt();
      long wasted = in.getLong();
      Optional<HistoryEntry> history = Optional.empty();
      if ((in.get() != 0)) {
        history = Optional.of(new HistoryEntry(CacheFiles.readString(in), CacheFiles.readString(in),
            CacheFiles.readString(in), (in.get() != 0)));
      }
      layers.add(new LayerFacts(index, diffId, blob, compressed, uncompressed, content, entries, wasted, history));
    }
    int findingCount = in.getInt();
    if (findingCount < 0) {
      throw new IOException("bad counts");
    }
    Severity[] severities = Severity.values();
    List<Finding> findings = new ArrayList<>(Math.min(findingCount, 1 << 16));
    for (int i = 0; i < findingCount; i++) {
      String ruleId = CacheFiles.readString(in);
      String ruleType = CacheFiles.readString(in);
      Severity severity = severities[in.get()];
      String message = CacheFiles.readString(in);
      Optional<String> path = CacheFiles.readOptional(in);
      int layer = in.getInt();
      Optional<String> configField = CacheFiles.readOptional(in);
      Location location = new Location(path, layer < 0 ? OptionalInt.empty() : OptionalInt.of(layer), configField);
      Optional<Finding.LayerRef> ref = Optional.empty();
      if ((in.get() != 0)) {
        ref = Optional.of(new Finding.LayerRef(in.getInt(), Digest.parse(CacheFiles.readString(in)),
            CacheFiles.readOptional(in).map(Digest::parse), CacheFiles.readString(in)));
      }
      findings.add(new Finding(ruleId, ruleType, severity, message, location, ref));
    }
    if (in.hasRemaining()) {
      throw new IOException("trailing bytes");
    }
    return new Evaluated(layers, files, findings);
  }
}
