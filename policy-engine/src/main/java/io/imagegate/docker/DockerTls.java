package io.imagegate.docker;

import com.github.dockerjava.core.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context for a Docker engine on tcp, from the files the {@code docker} command reads in
 * {@code DOCKER_CERT_PATH}: {@code ca.pem} (the CA the engine's certificate must be signed by),
 * {@code cert.pem} and {@code key.pem} (the client certificate and its key, PEM: PKCS#1
 * {@code RSA PRIVATE KEY} as older {@code openssl genrsa} writes, PKCS#8 {@code PRIVATE KEY} as
 * OpenSSL 3 writes, or {@code EC PRIVATE KEY}).
 *
 * <p>docker-java's own loader ({@code LocalDirectorySSLConfig}) quietly returns no TLS context
 * when one of the files is missing, and its client then speaks plain HTTP to the engine although
 * {@code DOCKER_TLS_VERIFY} asked for TLS; a malformed key surfaces as a NullPointerException.
 * Here a missing or unreadable file fails, in one line naming the directory and the file.
 */
final class DockerTls {
  /** The files {@code DOCKER_CERT_PATH} must hold, as the docker command names them. */
  static final List<String> FILES = List.of("ca.pem", "cert.pem", "key.pem");
  private static final String NEEDS =
      " (DOCKER_CERT_PATH, default ~/.docker, must hold ca.pem, cert.pem and key.pem when DOCKER_TLS_VERIFY is set)";
  private static final char[] PASSWORD = "docker".toCharArray();

  private DockerTls() {}

  /** Why the TLS files can't be used; the message is one line that names the directory or the file. */
  static final class FilesException extends RuntimeException {
    FilesException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A TLS 1.2 context (as docker-java's) trusting only {@code ca.pem} and presenting
   * {@code cert.pem} with {@code key.pem}.
   *
   * @throws FilesException when the directory or a file is missing, unreadable or not what it should be
   */
  static SSLContext context(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new FilesException("the certificate directory " + dir + " does not exist" + NEEDS, null);
    }
    List<String> missing = new ArrayList<>();
    for (String f : FILES) {
      if (!Files.exists(dir.resolve(f))) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new FilesException("no " + String.join(", ", missing) + " in " + dir + NEEDS, null);
    }
    List<Certificate> ca = certificates(dir.resolve("ca.pem"));
    List<Certificate> chain = certificates(dir.resolve("cert.pem"));
    PrivateKey key = privateKey(dir.resolve("key.pem"));
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < ca.size(); i++) {
        trust.setCertificateEntry("ca-" + i, ca.get(i));
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("docker", key, PASSWORD, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLSv1.2");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new FilesException("cannot use " + dir.resolve("cert.pem") + " with " + dir.resolve("key.pem") + ": "
          + oneLine(e), e);
    }
  }

  private static List<Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new FilesException(file + " holds no PEM certificate", null);
      }
      return List.copyOf(certs);
    } catch (IOException e) {
      throw unreadable(file, e);
    } catch (GeneralSecurityException e) {
      throw new FilesException(file + " holds no PEM certificate (" + oneLine(e) + ")", e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    PrivateKey key;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      key = CertificateUtils.loadPrivateKey(in);
    } catch (IOException e) {
      throw e instanceof NoSuchFileException || e instanceof AccessDeniedException
          ? unreadable(file, e)
          : new FilesException(file + " holds no readable PEM private key (" + oneLine(e) + ")", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new FilesException(file + " holds no readable PEM private key (" + oneLine(e) + ")", e);
    }
    if (key == null) {
      throw new FilesException(file + " holds no unencrypted PEM private key (RSA PRIVATE KEY, PRIVATE KEY or"
          + " EC PRIVATE KEY)", null);
    }
    return key;
  }

  private static FilesException unreadable(Path file, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "no such file" : oneLine(e);
    return new FilesException("cannot read " + file + ": " + why, e);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ").trim();
  }
}
