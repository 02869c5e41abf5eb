package io.imagegate.registry;

import static io.imagegate.registry.RegistryFixtures.OPTIONS;
import static io.imagegate.registry.RegistryFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Digest;
import io.imagegate.image.MediaTypes;
import io.imagegate.image.Platform;
import io.imagegate.image.PlatformSelection;
import io.imagegate.report.ImageReport;
import io.imagegate.testing.FakeRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RegistrySource}'s content negotiation against {@link FakeRegistry}: Docker
 * schema 2 manifests and manifest lists (which skopeo would convert), and the Accept headers sent.
 */
class RegistrySourceFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeRegistry registry;

  @BeforeEach
  void start() throws IOException {
    registry = FakeRegistry.start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static BuiltImage dockerImage(String platform) {
    return ImageBuilder.image().platform(platform).dockerMediaTypes()
        .layer(l -> l.createdBy("ADD / /").file("/etc/platform", platform, 0644))
        .user("app")
        .build();
  }

  /** A Docker manifest list over {@code images}, served as {@code repo:tag}. */
  private void serveList(String repo, String tag, List<BuiltImage> images) throws IOException {
    ObjectNode list = JSON.createObjectNode();
    list.put("schemaVersion", 2);
    list.put("mediaType", MediaTypes.DOCKER_MANIFEST_LIST);
    ArrayNode manifests = list.putArray("manifests");
    for (BuiltImage image : images) {
      registry.serve(repo, "unused-" + image.manifestDigest().shortHex(), image);
      ObjectNode d = manifests.addObject();
      d.put("mediaType", image.manifestMediaType());
      d.put("digest", image.manifestDigest().toString());
      d.put("size", image.manifestBytes().length);
      d.putObject("platform").put("os", image.platform().os()).put("architecture", image.platform().architecture());
    }
    byte[] bytes = JSON.writeValueAsBytes(list);
    Digest digest = Digest.sha256Of(bytes);
    registry.manifest(repo, tag, MediaTypes.DOCKER_MANIFEST_LIST, bytes, Map.of("Docker-Content-Digest", digest.toString()));
  }

  @Test
  void dockerSchema2Manifest_read() {
    BuiltImage image = dockerImage("linux/amd64");
    registry.serve("app", "1", image);

    ImageReport r = RegistryFixtures.gateOne(OPTIONS, registry.url("app:1"));

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(image.manifestDigest());
  }

  @Test
  void manifestRequests_acceptEveryIndexAndManifestType() {
    registry.serve("app", "1", dockerImage("linux/amd64"));

    RegistryFixtures.gateOne(OPTIONS, registry.url("app:1"));

    assertThat(registry.requests(FakeRegistry.manifest("1")).get(0).header("Accept")).hasValueSatisfying(accept ->
        assertThat(accept).contains(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.DOCKER_MANIFEST));
  }

  @Test
  void dockerManifestList_platformPickedChildFetchedByDigest() throws IOException {
    BuiltImage amd64 = dockerImage("linux/amd64");
    BuiltImage arm64 = dockerImage("linux/arm64");
    serveList("multi", "1", List.of(amd64, arm64));

    List<ImageReport> r = RegistryFixtures.gate(OPTIONS, registry.url("multi:1"),
        PlatformSelection.of(Platform.parse("linux/arm64"))).images();

    assertThat(r).singleElement().satisfies(i -> {
      assertThat(i.error()).isEmpty();
      assertThat(i.manifestDigest()).contains(arm64.manifestDigest());
      assertThat(i.platform()).contains(Platform.parse("linux/arm64"));
    });
    assertThat(registry.requests(FakeRegistry.manifest(arm64.manifestDigest().toString()))).singleElement()
        .satisfies(req -> assertThat(req.header("Accept")).hasValueSatisfying(a -> assertThat(a).startsWith(MediaTypes.DOCKER_MANIFEST)));
    assertThat(registry.requests(FakeRegistry.manifest(amd64.manifestDigest().toString()))).isEmpty();
  }

  @Test
  void dockerManifestList_allPlatforms_onePerPlatform() throws IOException {
    serveList("multi", "1", List.of(dockerImage("linux/amd64"), dockerImage("linux/arm64")));

    List<ImageReport> r = RegistryFixtures.gate(OPTIONS, registry.url("multi:1"), PlatformSelection.allPlatforms()).images();

    assertThat(r).extracting(i -> i.platform().map(Platform::toString).orElse("?"))
        .containsExactly("linux/amd64", "linux/arm64");
  }

  @Test
  void dockerManifestList_missingPlatform_listsWhatExists() throws IOException {
    serveList("multi", "1", List.of(dockerImage("linux/amd64"), dockerImage("linux/arm64")));

    List<ImageReport> r = RegistryFixtures.gate(OPTIONS, registry.url("multi:1"),
        PlatformSelection.of(Platform.parse("windows/amd64"))).images();

    assertThat(error(r.get(0))).startsWith(registry.host() + "/multi:1: ")
        .contains("no image for platform windows/amd64; available: linux/amd64, linux/arm64");
  }
}
