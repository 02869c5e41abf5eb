package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link AuthChallenge}. */
class AuthChallengeTest {
  @Test
  void parse_dockerHubBearer() {
    AuthChallenge c = AuthChallenge.pick(List.of(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\""));

    assertThat(c.isBearer()).isTrue();
    assertThat(c.params()).isEqualTo(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
        "scope", "repository:library/alpine:pull"));
  }

  @Test
  void parse_commasAndEscapesInsideQuotes_spacesAroundEquals() {
    AuthChallenge c = AuthChallenge.parse(
        "bearer Realm = \"https://a.example/t?x=1,y=2\", scope=\"repository:a:pull,push repository:b:pull\","
            + " error=\"insufficient_scope\", note=\"say \\\"hi\\\"\"").get(0);

    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.param("realm")).contains("https://a.example/t?x=1,y=2");
    assertThat(c.param("scope")).contains("repository:a:pull,push repository:b:pull");
    assertThat(c.param("error")).contains("insufficient_scope");
    assertThat(c.param("note")).contains("say \"hi\"");
  }

  @Test
  void parse_severalChallengesInOneHeader_bearerPreferred() {
    List<AuthChallenge> all = AuthChallenge.parse("Basic realm=\"registry\", Bearer realm=\"https://t.example/token\",service=reg");

    assertThat(all).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
    assertThat(all.get(1).param("service")).contains("reg");
    assertThat(AuthChallenge.pick(List.of("Basic realm=x", "Bearer realm=\"https://t\"")).isBearer()).isTrue();
  }

  @Test
  void pick_basicOnly_unknownOrNone() {
    assertThat(AuthChallenge.pick(List.of("Basic realm=\"registry\"")).isBasic()).isTrue();
    assertThat(AuthChallenge.pick(List.of("Negotiate abc==", "Digest realm=x"))).isEqualTo(AuthChallenge.NONE);
    assertThat(AuthChallenge.pick(List.of())).isEqualTo(AuthChallenge.NONE);
    assertThat(AuthChallenge.pick(List.of("", " , "))).isEqualTo(AuthChallenge.NONE);
  }

  @Test
  void param_emptyValue_absent() {
    assertThat(AuthChallenge.parse("Bearer realm=\"\"").get(0).param("realm")).isEmpty();
  }
}
