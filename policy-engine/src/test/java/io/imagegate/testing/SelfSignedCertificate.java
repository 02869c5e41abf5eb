package io.imagegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An RSA key pair and a self-signed certificate made by the JDK's own {@code keytool} (no openssl
 * needed): for a TLS server on loopback, and for a token issuer whose certificate the registry trusts.
 */
public final class SelfSignedCertificate {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static SelfSignedCertificate shared;

  private final KeyStore keyStore;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private SelfSignedCertificate(KeyStore keyStore) throws GeneralSecurityException {
    this.keyStore = keyStore;
    this.certificate = (X509Certificate) keyStore.getCertificate("key");
    this.privateKey = (PrivateKey) keyStore.getKey("key", PASSWORD);
  }

  /**
   * One certificate for the whole test run ({@code CN=imagegate-test}): keytool is a JVM of its own
   * and takes seconds on a busy machine, and nothing in the tests needs two different keys.
   */
  public static synchronized SelfSignedCertificate loopback() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("imagegate-test-certificate");
      shared = generate(dir, "imagegate-test");
      Files.delete(dir.resolve("imagegate-test.p12"));
      Files.delete(dir);
    }
    return shared;
  }

  /**
   * Generates one in {@code dir}: {@code CN=commonName}, subject alternative names for
   * {@code localhost} and {@code 127.0.0.1}, valid for two days.
   */
  public static SelfSignedCertificate generate(Path dir, String commonName) throws IOException {
    Path store = dir.resolve(commonName + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "key", "-keyalg", "RSA",
        "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=" + commonName, "-validity", "2",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + output);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD);
      }
      return new SelfSignedCertificate(ks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificate's DER encoding, base64 (not URL-safe), as a JWT {@code x5c} entry wants it. */
  public String derBase64() {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the certificate as PEM (a registry's {@code rootcertbundle}). */
  public Path writePem(Path file) throws IOException {
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(decode())
        + "\n-----END CERTIFICATE-----\n";
    Files.writeString(file, pem);
    return file;
  }

  private byte[] decode() {
    return Base64.getDecoder().decode(derBase64());
  }

  /** A server context presenting this certificate. */
  public SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** A client context trusting this certificate (and nothing else). */
  public SSLContext clientContext() throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
