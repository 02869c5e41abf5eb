package io.imagegate.registry;

import io.imagegate.image.Descriptor;
import io.imagegate.image.Image;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSource;
import io.imagegate.image.ManifestResolver;
import io.imagegate.image.PlatformSelection;
import io.imagegate.image.RegistryReference;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docker://HOST/REPO[:TAG|@DIGEST]} (and bare names): images in an OCI distribution
 * registry, read over HTTPS with {@link java.net.http.HttpClient}. The manifest is fetched by tag
 * and verified by digest; indexes, platforms and configs go through the same
 * {@link ManifestResolver} as OCI layouts; layers stream from the registry into the scanner,
 * verified by digest and size as they arrive.
 *
 * <p>One instance keeps one HTTP client and, per registry, what it learnt (scheme, auth challenge,
 * tokens), so several images from one registry share connections and tokens.
 */
public final class RegistrySource implements ImageSource {
  private final RegistryOptions options;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private volatile HttpClient http;

  public RegistrySource(RegistryOptions options) {
    this.options = options;
  }

  @Override
  public Set<ImageReference.Transport> transports() {
    return Set.of(ImageReference.Transport.DOCKER);
  }

  @Override
  public List<Image> open(ImageReference reference, PlatformSelection platforms) {
    RegistryReference ref;
    try {
      ref = RegistryReference.parse(reference.location());
    } catch (IllegalArgumentException e) {
      throw new ImageReadException(reference.text() + ": " + e.getMessage());
    }
    RegistryClient client = clients.computeIfAbsent(ref.registry(),
        r -> new RegistryClient(r, ref.apiAuthority(), http(), options));
    RegistryBlobStore store = new RegistryBlobStore(client, ref);
    Descriptor root = store.root();
    try {
      return new ManifestResolver(store, reference).resolve(root, platforms);
    } catch (ImageReadException e) {
      String name = ref.registry() + "/" + ref.repository();
      throw e.getMessage().startsWith(name) ? e : new ImageReadException(ref + ": " + e.getMessage(), e);
    }
  }

  /** The JDK HTTP client's read buffer size property; read once, when its classes initialise. */
  static final String BUFFER_SIZE_PROPERTY = "jdk.httpclient.bufsize";
  static final int BUFFER_SIZE = 256 * 1024;

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) {
          // the JDK client reads responses in buffers of this size (16 KiB by default): layers are
          // large, and each buffer is a hand-off between its selector thread and the scanner
          if (System.getProperty(BUFFER_SIZE_PROPERTY) == null) {
            System.setProperty(BUFFER_SIZE_PROPERTY, Integer.toString(BUFFER_SIZE));
          }
          HttpClient.Builder b = HttpClient.newBuilder()
              .connectTimeout(options.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER); // by hand: credentials must not follow to other hosts
          options.sslContext().ifPresent(b::sslContext);
          http = b.build();
        }
        h = http;
      }
    }
    return h;
  }
}
