package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for a Docker engine on tcp with {@code --tlsverify}, made with the {@code openssl}
 * command as Docker's guide "Protect the Docker daemon socket" makes them: a CA, a server
 * certificate for {@code 127.0.0.1} ({@code subjectAltName = IP:127.0.0.1},
 * {@code extendedKeyUsage = serverAuth}) and a client certificate ({@code clientAuth}), all signed by
 * the CA, in 2048-bit RSA (the guide's 4096 only costs time). The client's files are laid out as
 * {@code DOCKER_CERT_PATH} wants them: {@code ca.pem}, {@code cert.pem}, {@code key.pem}.
 *
 * <p>Skips (or under {@code CI=true} fails) the caller when {@code openssl} is not installed.
 */
public final class DockerCertificates {
  /** How a client's {@code key.pem} is written: both are what docker users have. */
  public enum KeyFormat {
    /** {@code BEGIN RSA PRIVATE KEY}: {@code openssl genrsa} before OpenSSL 3, docker-machine, most guides' output. */
    PKCS1,
    /** {@code BEGIN PRIVATE KEY}: {@code openssl genrsa} of OpenSSL 3. */
    PKCS8
  }

  /** A certificate authority: its certificate and key. */
  public record Authority(Path certificate, Path key) {}

  private final Path openssl;
  private final Path dir;
  private final Authority ca;
  private final Path serverCertificate;
  private final Path serverKey;
  private final Path clientDirectory;

  private DockerCertificates(Path openssl, Path dir) throws IOException {
    this.openssl = openssl;
    this.dir = dir;
    this.ca = authority("ca", "imagegate test CA");
    this.serverKey = dir.resolve("server-key.pem");
    this.serverCertificate = dir.resolve("server-cert.pem");
    rsaKey(serverKey, KeyFormat.PKCS8);
    sign(serverKey, "127.0.0.1", ca, "subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n", serverCertificate);
    this.clientDirectory = client("client", ca, ca, KeyFormat.PKCS1);
  }

  /** A CA, a server certificate for 127.0.0.1 and a client directory, in {@code dir}. */
  public static DockerCertificates create(Path dir) {
    Path openssl = ExternalTools.require("openssl", "openssl");
    try {
      return new DockerCertificates(openssl, Files.createDirectories(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA's certificate: the engine's {@code --tlscacert} and the client's {@code ca.pem}. */
  public Path ca() {
    return ca.certificate();
  }

  public Authority authority() {
    return ca;
  }

  public Path serverCertificate() {
    return serverCertificate;
  }

  public Path serverKey() {
    return serverKey;
  }

  /** The client's {@code DOCKER_CERT_PATH}: {@code ca.pem}, and {@code cert.pem} with a PKCS#1 {@code key.pem}. */
  public Path clientDirectory() {
    return clientDirectory;
  }

  /** A CA in a directory {@code name} of its own ({@code ca.pem}, {@code ca-key.pem}), e.g. one the engine does not trust. */
  public Authority authority(String name, String commonName) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Authority a = new Authority(d.resolve("ca.pem"), d.resolve("ca-key.pem"));
    rsaKey(a.key(), KeyFormat.PKCS8);
    openssl("req", "-new", "-x509", "-days", "2", "-sha256", "-key", a.key().toString(), "-out", a.certificate().toString(),
        "-subj", "/CN=" + commonName);
    return a;
  }

  /**
   * A {@code DOCKER_CERT_PATH} directory {@code name}: {@code ca.pem} is {@code trusted}'s
   * certificate, {@code cert.pem} a client certificate {@code signer} signed, {@code key.pem} its key.
   */
  public Path client(String name, Authority signer, Authority trusted, KeyFormat format) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.copy(trusted.certificate(), d.resolve("ca.pem"));
    rsaKey(d.resolve("key.pem"), format);
    sign(d.resolve("key.pem"), "imagegate test client", signer, "extendedKeyUsage = clientAuth\n", d.resolve("cert.pem"));
    return d;
  }

  private void rsaKey(Path key, KeyFormat format) throws IOException {
    List<String> args = new ArrayList<>(List.of("genrsa", "-out", key.toString()));
    if (format == KeyFormat.PKCS1 && !openssl("version").startsWith("OpenSSL 1.")) {
      args.add(1, "-traditional"); // OpenSSL 3 writes PKCS#8 unless asked for the traditional format
    }
    args.add("2048");
    openssl(args.toArray(String[]::new));
    String head = Files.readAllLines(key).get(0);
    String expected = format == KeyFormat.PKCS1 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----";
    if (!head.equals(expected)) {
      if (format == KeyFormat.PKCS8) { // OpenSSL 1.x genrsa: convert as OpenSSL 3 would have written it
        Path pkcs1 = key.resolveSibling(key.getFileName() + ".pkcs1");
        Files.move(key, pkcs1);
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", pkcs1.toString(), "-out", key.toString());
        Files.delete(pkcs1);
      } else {
        throw new AssertionError(key + " starts with " + head + ", not " + expected);
      }
    }
  }

  private void sign(Path key, String commonName, Authority signer, String extensions, Path out) throws IOException {
    String base = out.getFileName().toString().replace(".pem", "");
    Path csr = out.resolveSibling(base + ".csr");
    Path ext = out.resolveSibling(base + "-extfile.cnf");
    Files.writeString(ext, extensions);
    openssl("req", "-new", "-sha256", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
    openssl("x509", "-req", "-days", "2", "-sha256", "-in", csr.toString(), "-CA", signer.certificate().toString(),
        "-CAkey", signer.key().toString(), "-CAcreateserial", "-out", out.toString(), "-extfile", ext.toString());
    Files.delete(csr);
    Files.delete(ext);
  }

  private String openssl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(openssl.toString()));
    cmd.addAll(List.of(args));
    return ExternalTools.run(cmd);
  }
}
