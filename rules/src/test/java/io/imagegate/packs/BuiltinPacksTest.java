package io.imagegate.packs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.Policy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link BuiltinPacks}: every pack is indexed, documented in its header and loads. */
class BuiltinPacksTest {
  @ParameterizedTest
  @ValueSource(strings = {"minimal", "distroless", "cis-docker", "dive-ci"})
  void pack_isIndexedDocumentedAndLoads(String name) {
    BuiltinPacks packs = new BuiltinPacks();
    assertThat(packs.names()).contains(name);
    assertThat(packs.text(name)).get().asString().startsWith("# imagegate built-in pack: " + name + "\n#\n# ");
    Policy p = PackFixtures.load(name);
    assertThat(p.name()).isEqualTo(name);
    assertThat(p.rules()).isNotEmpty();
  }
}
