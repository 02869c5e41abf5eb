package io.imagegate.registry;

import static io.imagegate.registry.RegistryFixtures.OPTIONS;
import static io.imagegate.registry.RegistryFixtures.error;
import static io.imagegate.registry.RegistryFixtures.gateOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.image.Digest;
import io.imagegate.image.MediaTypes;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.testing.FakeRegistry;
import io.imagegate.testing.FakeRegistry.Fault;
import io.imagegate.testing.FakeRegistry.Recorded;
import io.imagegate.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RegistrySource} against {@link FakeRegistry}: what a real registry will not do on
 * demand — busy and failing answers, redirects to other hosts, broken, stalled, short and corrupt
 * downloads, lying digests, TLS — and the one-line errors for what cannot be fixed by retrying.
 */
class RegistrySourceFaultTest {
  private static final BuiltImage IMAGE = RegistryFixtures.image();
  private static final Digest BIG_LAYER = IMAGE.layers().get(0).digest();

  private FakeRegistry registry;

  @BeforeEach
  void start() throws IOException {
    registry = FakeRegistry.start().serve("team/app", "1", IMAGE);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private ImageReport gate(String name) {
    return gateOne(OPTIONS, registry.url(name));
  }

  @Test
  void open_servedImage_gatedWithFindings() {
    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
    assertThat(r.findings()).extracting(f -> f.ruleId())
        .contains("non-root-user", "no-shell", "no-network-tools");
    // the manifest is fetched once, by tag: the resolver's read of it comes from the cache
    assertThat(registry.requests(p -> p.contains("/manifests/"))).hasSize(1);
  }

  @Test
  void open_429WithRetryAfter_waitsAsAskedThenSucceeds() {
    registry.fault(FakeRegistry.manifest("1"), Fault.status(429, Map.of("Retry-After", "1")));

    long start = System.nanoTime();
    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(registry.requests(FakeRegistry.manifest("1"))).hasSize(2);
  }

  @Test
  void open_500OnBlob_retriedThenSucceeds() {
    registry.fault(FakeRegistry.blob(BIG_LAYER), Fault.status(500, Map.of()));

    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(registry.requests(FakeRegistry.blob(BIG_LAYER))).hasSize(2);
  }

  @Test
  void open_persistent503_givesUpAfterBoundedAttemptsNamingTheBlob() {
    registry.alwaysFault(FakeRegistry.blob(BIG_LAYER), Fault.status(503, Map.of()));

    ImageReport r = gate("team/app:1");

    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(error(r)).contains("127.0.0.1", "team/app", BIG_LAYER.toString(), "gave up after 3 attempts",
        "503 Service Unavailable").doesNotContain("\n");
    assertThat(registry.requests(FakeRegistry.blob(BIG_LAYER))).hasSize(3);
  }

  @Test
  void open_retryAfterBeyondBudget_givesUpWithoutWaiting() {
    registry.alwaysFault(FakeRegistry.manifest("1"), Fault.status(429, Map.of("Retry-After", "3600")));

    long start = System.nanoTime();
    ImageReport r = gate("team/app:1");

    assertThat(error(r)).contains("team/app:1", "429 Too Many Requests", "retry after 3600s", "beyond the retry budget");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(registry.requests(FakeRegistry.manifest("1"))).hasSize(1);
  }

  @Test
  void open_blobRedirectedToAnotherHost_authorizationNotSentThere() throws IOException {
    try (FakeRegistry storage = FakeRegistry.start().serve("team/app", "1", IMAGE)) {
      registry.requireBasicAuth("alice", "s3cret")
          .fault(FakeRegistry.blob(BIG_LAYER), Fault.redirect("http://" + storage.localhost() + "/v2/team/app/blobs/"
              + BIG_LAYER + "?X-Amz-Signature=abc"));
      RegistryOptions options = OPTIONS.withCredentials(CredentialSources.fixed("alice", "s3cret", "test"));

      ImageReport r = gateOne(options, registry.url("team/app:1"));

      assertThat(r.error()).isEmpty();
      assertThat(registry.requests(FakeRegistry.blob(BIG_LAYER)))
          .allSatisfy(req -> assertThat(req.header("Authorization")).isPresent());
      List<Recorded> redirected = storage.requests(FakeRegistry.blob(BIG_LAYER));
      assertThat(redirected).hasSize(1);
      assertThat(redirected.get(0).header("Authorization")).isEmpty();
    }
  }

  @Test
  void open_redirectToPlainHttpOnRemoteHost_refused() {
    registry.fault(FakeRegistry.blob(BIG_LAYER), Fault.redirect("http://blobs.example.invalid/" + BIG_LAYER));

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).contains("refusing the redirect to http://blobs.example.invalid", "plain HTTP");
  }

  @Test
  void open_connectionDroppedMidBlob_resumesWithRange() {
    registry.fault(FakeRegistry.blob(BIG_LAYER), Fault.dropAfter(100_000));

    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    List<Recorded> requests = registry.requests(FakeRegistry.blob(BIG_LAYER));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).header("Range")).hasValueSatisfying(v -> assertThat(v).matches("bytes=[1-9][0-9]*-"));
  }

  @Test
  void open_manifestBodyBrokenOff_askedAgain() {
    registry.fault(FakeRegistry.manifest("1"), Fault.dropAfter(10));

    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(registry.requests(FakeRegistry.manifest("1"))).hasSize(2);
  }

  @Test
  void open_hungUpWithoutAnswer_retried() {
    registry.fault(FakeRegistry.blob(IMAGE.configDigest()), Fault.hangUp(), Fault.hangUp());

    ImageReport r = gate("team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(registry.requests(FakeRegistry.blob(IMAGE.configDigest()))).hasSize(3);
  }

  @Test
  void open_answerSlowerThanTheTimeout_retried() {
    RegistryOptions options = OPTIONS.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500));
    registry.fault(FakeRegistry.manifest("1"), Fault.delay(Duration.ofSeconds(2)));

    ImageReport r = gateOne(options, registry.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(registry.requests(FakeRegistry.manifest("1"))).hasSize(2);
  }

  @Test
  void open_blobLongerThanDeclared_refusedAtTheDeclaredSize() {
    registry.alwaysFault(FakeRegistry.blob(BIG_LAYER), Fault.extraBytes(100));

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).contains(BIG_LAYER.toString(), "more data than the declared size");
  }

  @Test
  void open_connectionDroppedEveryTime_givesUpNamingTheBlob() {
    registry.alwaysFault(FakeRegistry.blob(BIG_LAYER), Fault.dropAfter(1000));

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).contains(BIG_LAYER.toString(), "download broke off", "gave up after 3 attempts");
  }

  @Test
  void open_stalledDownload_timesOutAndResumes() {
    RegistryOptions options = OPTIONS.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500));
    registry.fault(FakeRegistry.blob(BIG_LAYER), Fault.stall(50_000, Duration.ofSeconds(20)));

    long start = System.nanoTime();
    ImageReport r = gateOne(options, registry.url("team/app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(registry.requests(FakeRegistry.blob(BIG_LAYER)).get(1).header("Range")).isPresent();
  }

  @Test
  void open_truncatedBlob_readErrorNamingLayer() {
    registry.alwaysFault(FakeRegistry.blob(BIG_LAYER), Fault.shortBody(1000));

    ImageReport r = gate("team/app:1");

    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(error(r)).contains(BIG_LAYER.toString());
  }

  @Test
  void open_corruptUncompressedLayer_digestMismatch() throws IOException {
    BuiltImage plain = RegistryFixtures.uncompressedImage();
    Digest layer = plain.layers().get(0).digest();
    registry.serve("plain", "1", plain).alwaysFault(FakeRegistry.blob(layer), Fault.corrupt());

    ImageReport r = gate("plain:1");

    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(error(r)).contains(layer.toString(), "digest mismatch");
  }

  @Test
  void open_corruptConfig_digestMismatchNamingRegistry() {
    registry.alwaysFault(FakeRegistry.blob(IMAGE.configDigest()), Fault.corrupt());

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).startsWith(registry.host() + "/team/app:1: ").contains(IMAGE.configDigest().toString(), "digest mismatch");
  }

  @Test
  void open_dockerContentDigestDisagrees_refused() {
    registry.manifest("team/app", "lying", MediaTypes.OCI_MANIFEST, IMAGE.manifestBytes(),
        Map.of("Docker-Content-Digest", IMAGE.configDigest().toString()));

    ImageReport r = gate("team/app:lying");

    assertThat(error(r)).contains("team/app:lying", "manifest digest mismatch", "Docker-Content-Digest says "
        + IMAGE.configDigest(), "the content is " + IMAGE.manifestDigest());
  }

  @Test
  void open_byDigestButOtherContent_refused() {
    BuiltImage other = RegistryFixtures.uncompressedImage();
    registry.manifest("team/app", IMAGE.manifestDigest().toString(), MediaTypes.OCI_MANIFEST, other.manifestBytes(), Map.of());

    ImageReport r = gate("team/app@" + IMAGE.manifestDigest());

    assertThat(error(r)).contains("digest is " + other.manifestDigest(), "not the requested " + IMAGE.manifestDigest());
  }

  @Test
  void open_byDigest_verifiedAndGated() {
    ImageReport r = gate("team/app@" + IMAGE.manifestDigest());

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
  }

  @Test
  void open_schema1Manifest_refusedByName() {
    byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"team/app\",\"tag\":\"old\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8);
    registry.manifest("team/app", "old", MediaTypes.DOCKER_MANIFEST_V1_SIGNED, schema1, Map.of());

    ImageReport r = gate("team/app:old");

    assertThat(error(r)).contains("team/app:old", "schema 1", "not supported");
  }

  @Test
  void open_schema1ServedAsPlainJsonWithItsOwnDigest_refusedAsSchema1() {
    byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"team/app\",\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
    registry.manifest("team/app", "signed", "application/json", schema1,
        Map.of("Docker-Content-Digest", IMAGE.manifestDigest().toString()));

    ImageReport r = gate("team/app:signed");

    assertThat(error(r)).contains("team/app:signed", "schema 1").doesNotContain("digest mismatch");
  }

  @Test
  void open_basicChallengeWithoutCredentials_askedOnceNotTwice() {
    registry.requireBasicAuth("alice", "s3cret");

    gate("team/app:1");

    assertThat(registry.requests(FakeRegistry.manifest("1"))).hasSize(1);
  }

  @Test
  void open_unknownTag_manifestUnknown() {
    ImageReport r = gate("team/app:nope");

    assertThat(error(r)).isEqualTo(registry.host() + "/team/app:nope: manifest unknown: no such tag or digest in the "
        + "repository (404 Not Found: MANIFEST_UNKNOWN: manifest unknown)");
  }

  @Test
  void open_nameUnknown_repositoryNotFound() {
    registry.fault(FakeRegistry.manifest("1"), Fault.error(404, "NAME_UNKNOWN", "repository name not known to registry"));

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).isEqualTo(registry.host() + "/team/app:1: repository not found (404 Not Found: NAME_UNKNOWN: "
        + "repository name not known to registry)");
  }

  @Test
  void open_denied_accessDeniedNamingWho() {
    registry.fault(FakeRegistry.blob(BIG_LAYER), Fault.error(403, "DENIED", "requested access to the resource is denied"));

    ImageReport r = gate("team/app:1");

    assertThat(error(r)).isEqualTo(registry.host() + "/team/app@" + BIG_LAYER + " (blob): access denied to anonymous "
        + "pulls (403 Forbidden: DENIED: requested access to the resource is denied)");
  }

  @Test
  void open_noCredentials_unauthorizedNamesTheSourcesTried() {
    registry.requireBasicAuth("alice", "s3cret");
    RegistryOptions options = OPTIONS.withCredentials(CredentialSources.chain(List.of(
        CredentialSources.environment(Map.of()), CredentialSources.dockerConfig(Path.of("/nonexistent/config.json"), List.of()))));

    ImageReport r = gateOne(options, registry.url("team/app:1"));

    assertThat(error(r)).contains("team/app:1: unauthorized", "no credentials were found",
        "IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD", "/nonexistent/config.json");
  }

  @Test
  void open_wrongPassword_unauthorizedNamesUserAndSourceButNotSecret() {
    registry.requireBasicAuth("alice", "s3cret");
    RegistryOptions options = OPTIONS.withCredentials(CredentialSources.fixed("alice", "hunter2", "--username/--password-stdin"));

    ImageReport r = gateOne(options, registry.url("team/app:1"));

    assertThat(error(r)).contains("unauthorized", "refused user 'alice' from --username/--password-stdin")
        .doesNotContain("hunter2");
  }

  @Test
  void open_rightPassword_basicAuth() {
    registry.requireBasicAuth("alice", "s3cret");
    RegistryOptions options = OPTIONS.withCredentials(CredentialSources.fixed("alice", "s3cret", "test"));

    assertThat(gateOne(options, registry.url("team/app:1")).error()).isEmpty();
  }

  @Test
  void open_untrustedCertificate_tlsErrorWithoutFallingBackToHttp() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.loopback();
    try (FakeRegistry tls = FakeRegistry.startTls(cert.serverContext()).serve("team/app", "1", IMAGE)) {
      ImageReport r = gateOne(OPTIONS, tls.url("team/app:1"));

      assertThat(error(r)).contains(tls.host(), "TLS verification of https://" + tls.host() + " failed");
      assertThat(tls.requests()).isEmpty();
    }
  }

  @Test
  void open_trustedCertificate_overHttps() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.loopback();
    try (FakeRegistry tls = FakeRegistry.startTls(cert.serverContext()).serve("team/app", "1", IMAGE)) {
      ImageReport r = gateOne(OPTIONS.withSslContext(cert.clientContext()), tls.url("team/app:1"));

      assertThat(r.error()).isEmpty();
      assertThat(tls.requests()).isNotEmpty();
    }
  }

  @Test
  void open_nothingListening_connectionRefused() {
    String host = registry.host();
    registry.close();

    ImageReport r = gateOne(OPTIONS, "docker://" + host + "/team/app:1");

    assertThat(error(r)).isEqualTo(host + "/team/app:1: connection refused by http://" + host
        + " (is a registry listening there?)");
  }

  @Test
  void allowsPlainHttp_onlyLoopbackAndListedHosts() {
    RegistryOptions options = OPTIONS.withInsecureRegistries(java.util.Set.of("registry.lan:5000", "Build.Local"));

    assertThat(options.allowsPlainHttp("127.0.0.1:5000")).isTrue();
    assertThat(options.allowsPlainHttp("127.1.2.3")).isTrue();
    assertThat(options.allowsPlainHttp("localhost:5000")).isTrue();
    assertThat(options.allowsPlainHttp("[::1]:5000")).isTrue();
    assertThat(options.allowsPlainHttp("registry.lan:5000")).isTrue();
    assertThat(options.allowsPlainHttp("build.local:443")).isTrue();
    assertThat(options.allowsPlainHttp("registry.lan:5001")).isFalse();
    assertThat(options.allowsPlainHttp("128.0.0.1")).isFalse();
    assertThat(options.allowsPlainHttp("127.0.0.1.nip.io")).isFalse();
    assertThat(options.allowsPlainHttp("localhost.example.com")).isFalse();
    assertThat(options.allowsPlainHttp("docker.io")).isFalse();
  }

  @Test
  void credentials_toString_neverShowsTheSecret() {
    assertThat(new RegistryCredentials("alice", "hunter2", "test").toString()).contains("alice").doesNotContain("hunter2");
    assertThat(Optional.of(new RegistryCredentials("alice", "hunter2", "test")).toString()).doesNotContain("hunter2");
  }
}
