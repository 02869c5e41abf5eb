package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.testing.ImageSnapshot;
import io.imagegate.testing.OciLayouts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link ManifestResolver}: picking the platform of a multi-platform index, and the
 * image by tag in a layout holding several.
 */
class ManifestResolverTest {
  @TempDir Path tmp;

  private static BuiltImage forPlatform(String platform) {
    return ImageBuilder.image().platform(platform)
        .layer(l -> l.file("/arch", platform, 0644))
        .label("arch", platform)
        .build();
  }

  private static final BuiltImage AMD64 = forPlatform("linux/amd64");
  private static final BuiltImage ARM64 = forPlatform("linux/arm64");

  private Path multiArch() throws IOException {
    Path dir = tmp.resolve("multi");
    BuiltImage.writeOciIndexLayout(dir, "latest", List.of(AMD64, ARM64));
    return dir;
  }

  private List<Image> open(String reference, PlatformSelection platforms) {
    return ImageSources.offline().open(ImageReference.parse(reference), platforms);
  }

  @Test
  void open_explicitArm64_picksTheArm64Manifest() throws IOException {
    Path dir = multiArch();

    List<Image> images = open("oci:" + dir, PlatformSelection.of(Platform.parse("linux/arm64")));

    assertThat(images).singleElement().satisfies(image -> {
      assertThat(image.platform()).contains(Platform.parse("linux/arm64"));
      assertThat(image.manifestDigest()).isEqualTo(ARM64.manifestDigest());
      assertThat(image.configDigest()).isEqualTo(ARM64.configDigest());
      assertThat(image.indexDigest()).isPresent();
      assertThat(ImageSnapshot.of(image).diffIds()).isEqualTo(ARM64.toImage("arm").config().diffIds());
    });
  }

  @Test
  void open_arm64v8_acceptsArm64WithoutVariant() throws IOException {
    List<Image> images = open("oci:" + multiArch(), PlatformSelection.of(Platform.parse("linux/arm64/v8")));

    assertThat(images).extracting(Image::configDigest).containsExactly(ARM64.configDigest());
  }

  @Test
  void open_hostDefault_picksTheHostPlatform() throws IOException {
    Path dir = multiArch();
    Platform host = Platform.host();

    if (host.architecture().equals("amd64") || host.architecture().equals("arm64")) {
      List<Image> images = open("oci:" + dir + ":latest", PlatformSelection.host());
      BuiltImage expected = host.architecture().equals("amd64") ? AMD64 : ARM64;
      assertThat(images).singleElement().extracting(Image::manifestDigest).isEqualTo(expected.manifestDigest());
    } else {
      assertThatThrownBy(() -> open("oci:" + dir, PlatformSelection.host()))
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining(host.toString());
    }
  }

  @Test
  void open_allPlatforms_givesEachPlatformOnceWithItsOwnName() throws IOException {
    Path dir = multiArch();

    List<Image> images = open("oci:" + dir, PlatformSelection.allPlatforms());

    assertThat(images).extracting(i -> i.platform().orElseThrow().toString())
        .containsExactly("linux/amd64", "linux/arm64");
    assertThat(images).extracting(Image::configDigest).containsExactly(AMD64.configDigest(), ARM64.configDigest());
    assertThat(images).extracting(Image::name).doesNotHaveDuplicates()
        .allSatisfy(name -> assertThat(name).startsWith("oci:" + dir))
        .anySatisfy(name -> assertThat(name).contains("linux/arm64"));
    assertThat(images).extracting(Image::indexDigest).doesNotContain(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"linux/s390x", "windows/amd64", "linux/arm/v7"})
  void open_missingPlatform_listsTheAvailableOnes(String wanted) throws IOException {
    Path dir = multiArch();

    assertThatThrownBy(() -> open("oci:" + dir, PlatformSelection.of(Platform.parse(wanted))))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("no image for platform " + wanted)
        .hasMessageContaining("available: linux/amd64, linux/arm64")
        .hasMessageNotContaining("\n");
  }

  @Test
  void open_singleManifestOfAnotherPlatform_isRefusedWhenAPlatformIsNamed() throws IOException {
    Path dir = tmp.resolve("arm-only");
    ARM64.writeOciLayout(dir, "");

    assertThat(open("oci:" + dir, PlatformSelection.host())).hasSize(1);
    assertThatThrownBy(() -> open("oci:" + dir, PlatformSelection.of(Platform.parse("linux/amd64"))))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("image is for linux/arm64, not the requested platform linux/amd64");
  }

  /** A layout holding two single-platform images tagged {@code one} and {@code two}. */
  private Path twoTagged() throws IOException {
    BuiltImage one = ImageBuilder.image().layer(l -> l.file("/which", "one", 0644)).user("one").build();
    BuiltImage two = ImageBuilder.image().layer(l -> l.file("/which", "two", 0644)).user("two").build();
    one.writeOciLayout(tmp.resolve("one"), "one");
    two.writeOciLayout(tmp.resolve("two"), "example.com/app:two");
    Path dir = tmp.resolve("both");
    OciLayouts.combine(dir, tmp.resolve("one"), tmp.resolve("two"));
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"one", "two", "example.com/app:two"})
  void open_layoutWithTwoTags_picksByTag(String tag) throws IOException {
    Path dir = twoTagged();

    Image image = ImageSnapshot.open("oci:" + dir + ":" + tag);

    assertThat(image.config().user()).isEqualTo(tag.endsWith("one") ? "one" : "two");
  }

  @Test
  void open_layoutWithTwoTagsUnknownTag_listsTheTags() throws IOException {
    Path dir = twoTagged();

    assertThatThrownBy(() -> ImageSnapshot.open("oci:" + dir + ":three"))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("no image tagged 'three'")
        .hasMessageContaining("one, example.com/app:two");
  }

  @Test
  void open_layoutWithTwoTagsNoTag_asksForATagAndListsThem() throws IOException {
    Path dir = twoTagged();

    assertThatThrownBy(() -> ImageSnapshot.open("oci:" + dir))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("2 images")
        .hasMessageContaining("one, example.com/app:two");
  }

  @Test
  void open_layoutWithTwoTagsAllPlatforms_givesBothImagesNamedApart() throws IOException {
    Path dir = twoTagged();

    List<Image> images = open("oci:" + dir, PlatformSelection.allPlatforms());

    assertThat(images).extracting(i -> i.config().user()).containsExactly("one", "two");
    assertThat(images).extracting(Image::name).containsExactly("oci:" + dir + " (one)", "oci:" + dir + " (example.com/app:two)");
  }

  @Test
  void open_tagOfAMultiPlatformIndex_resolvesThroughTheIndex() throws IOException {
    Path dir = multiArch();

    List<Image> images = open("oci:" + dir + ":latest", PlatformSelection.allPlatforms());

    assertThat(images).extracting(i -> i.platform().orElseThrow().architecture())
        .containsExactlyInAnyOrderElementsOf(Set.of("amd64", "arm64"));
  }
}
