package io.imagegate.registry;

import io.imagegate.image.BlobStore;
import io.imagegate.image.Blobs;
import io.imagegate.image.Descriptor;
import io.imagegate.image.Digest;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ManifestResolver;
import io.imagegate.image.MediaTypes;
import io.imagegate.image.RegistryReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One repository of a registry as a {@link BlobStore}, so {@link io.imagegate.image.ManifestResolver}
 * walks registry indexes and manifests exactly as it walks a layout's. Manifests come from
 * {@code /manifests/}, everything else from {@code /blobs/}; layer blobs stream straight from the
 * connection into the scanner, never to disk.
 */
final class RegistryBlobStore implements BlobStore {
  /** Every manifest and index type we read, best first; schema 1 only so that it can be refused by name. */
  static final List<String> ACCEPT = List.of(
      MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST,
      MediaTypes.DOCKER_MANIFEST_V1_SIGNED, MediaTypes.DOCKER_MANIFEST_V1);

  private final RegistryClient client;
  private final RegistryReference reference;
  private final String name;
  private final String scope;
  /** Manifests already fetched (the one by tag), so the resolver's read does not ask twice. */
  private final Map<Digest, byte[]> manifests = new ConcurrentHashMap<>();

  RegistryBlobStore(RegistryClient client, RegistryReference reference) {
    this.client = client;
    this.reference = reference;
    this.name = reference.registry() + "/" + reference.repository();
    this.scope = "repository:" + reference.repository() + ":pull";
  }

  /**
   * Fetches the manifest or index the reference names and verifies it: against the pinned digest
   * when there is one, and against {@code Docker-Content-Digest} when the registry sends it.
   */
  Descriptor root() {
    String what = reference.toString();
    Fetched m = fetchManifest(reference.manifestSelector(), ACCEPT, what);
    byte[] bytes = m.bytes();
    // before the digest check: a signed schema 1 manifest's digest leaves out its signatures
    if (MediaTypes.isSchema1(m.mediaType()) || schemaVersion(bytes) == 1) {
      throw new ImageReadException(what + ": the registry holds a Docker schema 1 manifest, which is not supported "
          + "(deprecated since 2017); re-push the image with a current client");
    }
    Optional<Digest> announced = m.digestHeader().map(h -> parseDigest(h, what));
    if (reference.digest().isPresent()) {
      Digest wanted = reference.digest().get();
      Digest actual = digestOf(bytes, wanted);
      if (!actual.equals(wanted)) {
        throw new ImageReadException(what + ": the registry sent a manifest whose digest is " + actual
            + ", not the requested " + wanted);
      }
    }
    if (announced.isPresent()) {
      Digest actual = digestOf(bytes, announced.get());
      if (!actual.equals(announced.get())) {
        throw new ImageReadException(what + ": manifest digest mismatch: Docker-Content-Digest says "
            + announced.get() + ", the content is " + actual);
      }
    }
    Digest digest = reference.digest().or(() -> announced).orElseGet(() -> Digest.sha256Of(bytes));
    manifests.put(digest, bytes);
    String type = MediaTypes.isIndex(m.mediaType()) || MediaTypes.isManifest(m.mediaType()) ? m.mediaType() : "";
    return new Descriptor(type, digest, bytes.length, Optional.empty(), Map.of());
  }

  @Override
  public InputStream openManifest(Descriptor d) {
    byte[] cached = manifests.get(d.digest());
    if (cached != null) {
      return new ByteArrayInputStream(cached);
    }
    // the type the index announced first, then whatever else we read
    List<String> types = new ArrayList<>();
    if (!d.mediaType().isEmpty()) {
      types.add(d.mediaType());
    }
    ACCEPT.stream().filter(t -> !t.equals(d.mediaType())).forEach(types::add);
    return new ByteArrayInputStream(fetchManifest(d.digest().toString(), types, name + "@" + d.digest()).bytes());
  }

  /** A manifest as fetched, not yet verified. */
  private record Fetched(byte[] bytes, String mediaType, Optional<String> digestHeader) {}

  /** GETs a manifest by tag or digest; a body that breaks off is asked for again, within the retry policy. */
  private Fetched fetchManifest(String ref, List<String> accept, String what) {
    RetryPolicy retry = client.options().retry();
    for (int attempt = 1; ; attempt++) {
      try (RegistryClient.Response r = client.get(path("manifests", ref), Map.of("Accept", String.join(", ", accept)),
          scope, what)) {
        if (r.status() != 200) {
          throw client.failure(r, what);
        }
        byte[] bytes = r.body().readAtMost(Blobs.MAX_MANIFEST_BYTES);
        if (bytes.length > Blobs.MAX_MANIFEST_BYTES) {
          throw new ImageReadException(what + ": manifest larger than the limit of " + Blobs.MAX_MANIFEST_BYTES + " bytes");
        }
        return new Fetched(bytes, r.mediaType(), r.header("Docker-Content-Digest"));
      } catch (IOException e) {
        if (attempt >= retry.maxAttempts()) {
          throw new ImageReadException(what + ": reading the manifest failed, gave up after " + attempt + " attempts: "
              + RegistryClient.describe(e), e);
        }
        RegistryClient.sleep(retry.backoff(attempt), what);
      }
    }
  }

  @Override
  public InputStream open(Digest digest) {
    String what = name + "@" + digest + " (blob)";
    return new ResumingStream(offset -> openBlob(digest, offset, what), client.options().retry(), what);
  }

  private InputStream openBlob(Digest digest, long offset, String what) {
    Map<String, String> headers = offset == 0 ? Map.of() : Map.of("Range", "bytes=" + offset + "-");
    RegistryClient.Response r = client.get(path("blobs", digest.toString()), headers, scope, what);
    try {
      if (r.status() == 200) {
        if (offset > 0) {
          r.body().skipNBytes(offset); // the server ignored the Range: skip what we already have
        }
        return r.body();
      }
      if (r.status() == 206 && offset > 0) {
        String range = r.header("Content-Range").orElse("");
        if (!range.startsWith("bytes " + offset + "-")) {
          r.close();
          throw new ImageReadException(what + ": asked to resume at byte " + offset + ", got Content-Range '" + range + "'");
        }
        return r.body();
      }
    } catch (IOException e) {
      r.close();
      throw new ImageReadException(what + ": " + RegistryClient.describe(e), e);
    }
    throw client.failure(r, what);
  }

  private static int schemaVersion(byte[] manifest) {
    try {
      return ManifestResolver.parse(manifest, "manifest").path("schemaVersion").asInt(2);
    } catch (ImageReadException e) {
      return 2; // not JSON: the resolver names the problem
    }
  }

  private static Digest parseDigest(String header, String what) {
    try {
      return Digest.parse(header.trim());
    } catch (IllegalArgumentException e) {
      throw new ImageReadException(what + ": malformed Docker-Content-Digest: " + e.getMessage());
    }
  }

  private static Digest digestOf(byte[] bytes, Digest like) {
    return Digest.parse(like.algorithm() + ":" + HexFormat.of().formatHex(like.newMessageDigest().digest(bytes)));
  }

  private String path(String kind, String ref) {
    return "/v2/" + reference.repository() + "/" + kind + "/" + ref;
  }

  @Override
  public boolean contains(Digest digest) {
    return true; // only a request could tell; a missing blob is reported when opened
  }

  @Override
  public String describe() {
    return "registry repository " + name;
  }
}
