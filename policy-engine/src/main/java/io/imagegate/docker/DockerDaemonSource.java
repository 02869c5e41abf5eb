package io.imagegate.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.imagegate.image.BlobOpener;
import io.imagegate.image.Digest;
import io.imagegate.image.Image;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.scan.ScannedImage;
import io.imagegate.scan.ScanningImageSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker-daemon:NAME[:TAG|@DIGEST]} (or an image id): an image in a Docker engine, read
 * through docker-java. The engine reports the image id ({@code inspect}), then the image is read
 * from its {@code save} stream in one pass, the layers scanned as they stream by — nothing is
 * copied to disk or held in memory — and verified against the config and the id once the
 * stream's manifest arrives (see {@link SaveStream}). The engine is found as the {@code docker}
 * command finds it ({@link DockerEndpoint}).
 */
public final class DockerDaemonSource implements ScanningImageSource {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<DockerEndpoint> endpoint;

  /**
   * The engine at {@code host} when present (e.g. the CLI's {@code --docker-host}), else as
   * {@code DOCKER_HOST} says, else the default socket; TLS settings come from this process's
   * environment either way. The environment is read when an image is opened, so a malformed
   * {@code DOCKER_HOST} troubles only {@code docker-daemon:} references.
   */
  public DockerDaemonSource(Optional<String> host) {
    this(System.getenv(), host);
  }

  /**
   * As {@link #DockerDaemonSource(Optional)}, with {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY},
   * {@code DOCKER_CERT_PATH} and {@code HOME} from {@code environment}.
   */
  public DockerDaemonSource(Map<String, String> environment, Optional<String> host) {
    Map<String, String> env = Map.copyOf(environment);
    this.endpoint = () -> DockerEndpoint.resolve(env, host);
  }

  /** The engine at {@code endpoint}. */
  public DockerDaemonSource(DockerEndpoint endpoint) {
    this.endpoint = () -> endpoint;
  }

  @Override
  public Set<ImageReference.Transport> transports() {
    return Set.of(ImageReference.Transport.DOCKER_DAEMON);
  }

  /**
   * Reads and verifies the image in one pass over the engine's {@code save} stream, scanning no
   * content. Each returned layer's {@link io.imagegate.image.Layer#open()} asks the engine to
   * {@code save} the image again and streams out that one layer, verified by its diff id; the gate
   * uses {@link #openScanned} instead, which reads the stream once in all.
   */
  @Override
  public List<Image> open(ImageReference reference, PlatformSelection platforms) {
    return openScanned(reference, platforms, new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT)).stream()
        .map(ScannedImage::image).toList();
  }

  @Override
  public List<ScannedImage> openScanned(ImageReference reference, PlatformSelection platforms, LayerScanner scanner) {
    DockerEndpoint ep = resolve(reference);
    String where = reference.text();
    boolean answered = false;
    try (DockerClient client = connect(ep)) {
      Digest id = imageId(client, ep, reference);
      answered = true;
      try (InputStream save = client.saveImageCmd(id.toString()).exec()) {
        return List.of(SaveStream.read(save, id, reference, platforms, scanner, where,
            path -> reopen(ep, id, path, where)));
      }
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw translate(e, ep, reference, answered);
    }
  }

  private DockerEndpoint resolve(ImageReference reference) {
    try {
      return endpoint.get();
    } catch (IllegalArgumentException e) {
      throw new ImageReadException(reference.text() + ": " + e.getMessage());
    }
  }

  /** The id the engine gives the image: the digest its save stream's config (or manifest) must have. */
  private static Digest imageId(DockerClient client, DockerEndpoint ep, ImageReference reference) {
    InspectImageResponse info;
    try {
      info = client.inspectImageCmd(reference.location()).exec();
    } catch (NotFoundException e) {
      throw new ImageReadException(reference.text() + ": no such image " + reference.location()
          + " in the Docker engine at " + ep.describe());
    }
    String id = info.getId() == null ? "" : info.getId();
    if (!Digest.isDigest(id)) {
      throw new ImageReadException(reference.text() + ": the Docker engine at " + ep.describe()
          + " reports a malformed image id '" + id + "'");
    }
    return Digest.parse(id);
  }

  /**
   * A client for the engine; over TLS with the context {@link DockerTls} makes from the certificate
   * directory (never docker-java's loader, which falls back to plain HTTP when a file is missing).
   *
   * @throws DockerTls.FilesException when TLS is on and the certificate files can't be used
   */
  static DockerClient connect(DockerEndpoint ep) {
    DefaultDockerClientConfig.Builder b = new DefaultDockerClientConfig.Builder().withDockerHost(ep.host())
        .withDockerTlsVerify(ep.tls());
    if (ep.tls()) {
      SSLContext tls = DockerTls.context(ep.certPath().orElseThrow());
      b.withCustomSslConfig(() -> tls);
    }
    DockerClientConfig config = b.build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(CONNECT_TIMEOUT)
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Opens one layer by saving the image again and streaming to its entry (for {@link #open} callers). */
  private static BlobOpener reopen(DockerEndpoint ep, Digest id, String path, String where) {
    return () -> {
      DockerClient client = connect(ep);
      InputStream save = null;
      try {
        save = client.saveImageCmd(id.toString()).exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(save);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          if (e.isFile() && SaveStream.normalize(e.getName()).equals(path)) {
            InputStream owned = save;
            return new FilterInputStream(tar) {
              @Override
              public void close() throws IOException {
                try (client; owned) {
                  // closing the save stream and the client
                }
              }
            };
          }
        }
        throw new IOException(where + ": " + path + " is no longer in the engine's save stream");
      } catch (IOException | RuntimeException e) {
        closeQuietly(client, save, e);
        throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      }
    };
  }

  /**
   * One line that says where we looked and what went wrong; {@code answered} when the engine had
   * answered a request before (a connection lost then is no handshake failure).
   */
  static ImageReadException translate(Throwable e, DockerEndpoint ep, ImageReference reference, boolean answered) {
    String prefix = reference.text() + ": ";
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = ImageConfig.oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    Optional<Path> socket = ep.socket();
    if (socket.isPresent()) {
      Path s = socket.get();
      String state = socketState(s);
      if (state.equals("missing")) {
        return new ImageReadException(prefix + "cannot reach the Docker engine: no socket at " + s
            + " (is dockerd running? set DOCKER_HOST or --docker-host)", e);
      }
      if (state.equals("denied") || root instanceof AccessDeniedException
          || detail.toLowerCase().contains("permission denied") || detail.contains("EACCES")) {
        return new ImageReadException(prefix + "permission denied on the Docker socket " + s
            + " (run as a member of its group, e.g. docker, or as root)", e);
      }
      if (root instanceof ConnectException || detail.toLowerCase().contains("connection refused")
          || detail.contains("ECONNREFUSED")) {
        return new ImageReadException(prefix + "cannot reach the Docker engine: nothing listens on " + s
            + " (is dockerd running?)", e);
      }
    } else if (root instanceof ConnectException || root instanceof UnknownHostException
        || root instanceof NoRouteToHostException || root instanceof SocketTimeoutException) {
      return new ImageReadException(prefix + "cannot reach the Docker engine at " + ep.describe() + ": " + detail, e);
    } else if (ep.tls()) {
      Optional<String> problem = tlsProblem(e, root, detail, ep, answered);
      if (problem.isPresent()) {
        return new ImageReadException(prefix + "TLS to the Docker engine at " + ep.host() + ": " + problem.get(), e);
      }
    } else if (e instanceof DockerException de && de.getHttpStatus() == 400
        && String.valueOf(de.getMessage()).contains("HTTP request to an HTTPS server")) {
      return new ImageReadException(prefix + "the Docker engine at " + ep.host() + " expects TLS: set DOCKER_TLS_VERIFY=1"
          + " and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem", e);
    }
    if (e instanceof DockerException de) {
      return new ImageReadException(prefix + "the Docker engine at " + ep.describe() + " answered "
          + de.getHttpStatus() + ": " + ImageConfig.oneLine(de.getMessage()), e);
    }
    return new ImageReadException(prefix + "talking to the Docker engine at " + ep.describe() + ": " + detail, e);
  }

  /**
   * What went wrong with TLS, in the terms of the files in the certificate directory; empty when the
   * failure is not about TLS.
   */
  private static Optional<String> tlsProblem(Throwable e, Throwable root, String detail, DockerEndpoint ep,
      boolean answered) {
    Path dir = ep.certPath().orElseThrow();
    Optional<DockerTls.FilesException> files = find(e, DockerTls.FilesException.class);
    if (files.isPresent()) {
      return Optional.of(files.get().getMessage());
    }
    if (find(e, CertPathBuilderException.class).isPresent()) {
      return Optional.of("the engine's certificate is not signed by the CA in " + dir.resolve("ca.pem") + " (" + detail + ")");
    }
    if (find(e, CertificateException.class).isPresent() || find(e, CertPathValidatorException.class).isPresent()) {
      return Optional.of("the engine's certificate is not accepted with " + dir.resolve("ca.pem") + " (" + detail + ")");
    }
    if (find(e, SSLPeerUnverifiedException.class).isPresent()) {
      return Optional.of("the engine's certificate is not for " + URI.create(ep.host()).getHost() + " (" + detail + ")");
    }
    String lower = detail.toLowerCase(Locale.ROOT);
    if (lower.contains("unsupported or unrecognized ssl message")) {
      return Optional.of("the engine does not speak TLS (" + detail + "); unset DOCKER_TLS_VERIFY for an engine on plain tcp");
    }
    // an engine that refuses the client certificate sends an alert and hangs up: the client reads the
    // alert, or finds the connection gone when it sends the request, whichever comes first
    boolean alert = lower.contains("bad_certificate") || lower.contains("certificate_required")
        || lower.contains("unknown_ca") || lower.contains("certificate_unknown");
    boolean hungUp = !answered && root instanceof SocketException
        && (lower.contains("broken pipe") || lower.contains("connection reset"));
    if (alert || hungUp) {
      return Optional.of("the engine ended the TLS connection (" + detail + "): does it trust the client certificate "
          + dir.resolve("cert.pem") + "? It must be signed by the CA the engine's --tlscacert names");
    }
    if (find(e, SSLException.class).isPresent()) {
      return Optional.of(detail);
    }
    return Optional.empty();
  }

  /** The first throwable of type {@code type} in {@code e}'s cause chain. */
  private static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** "missing", "denied" (the socket or a directory above it) or "present". */
  private static String socketState(Path socket) {
    try {
      Files.readAttributes(socket, BasicFileAttributes.class);
      return "present";
    } catch (NoSuchFileException e) {
      return "missing";
    } catch (AccessDeniedException e) {
      return "denied";
    } catch (IOException e) {
      return "present";
    }
  }

  /** Releases the engine connection and the save stream after a failure, keeping {@code failure} the error reported. */
  private static void closeQuietly(AutoCloseable client, InputStream save, Exception failure) {
    for (AutoCloseable c : new AutoCloseable[] {save, client}) {
      try {
        c.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
