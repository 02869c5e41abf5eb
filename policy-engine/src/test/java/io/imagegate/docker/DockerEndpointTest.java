package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link DockerEndpoint}: found as the docker command finds the engine. */
class DockerEndpointTest {

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("HOME", "/home/u");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @ParameterizedTest(name = "DOCKER_HOST={0} explicit={1} TLS_VERIFY={2} CERT_PATH={3}")
  @CsvSource(nullValues = "-", value = {
      // DOCKER_HOST,               explicit,                  TLS_VERIFY, CERT_PATH, host,                       certs,         describe
      "-,                           -,                         -,          -,         unix:///var/run/docker.sock, -,             /var/run/docker.sock",
      "unix:///run/user/1/d.sock,   -,                         -,          -,         unix:///run/user/1/d.sock,   -,             /run/user/1/d.sock",
      "unix:///run/user/1/d.sock,   unix:///tmp/x.sock,        -,          -,         unix:///tmp/x.sock,          -,             /tmp/x.sock",
      "tcp://10.0.0.5:2376,         -,                         1,          /certs,    tcp://10.0.0.5:2376,         /certs,        'tcp://10.0.0.5:2376 (TLS, certificates from /certs)'",
      "tcp://10.0.0.5:2376,         -,                         1,          -,         tcp://10.0.0.5:2376,         /home/u/.docker, 'tcp://10.0.0.5:2376 (TLS, certificates from /home/u/.docker)'",
      "tcp://10.0.0.5:2375,         -,                         0,          /certs,    tcp://10.0.0.5:2375,         -,             tcp://10.0.0.5:2375",
      "-,                           tcp://127.0.0.1:2376,      yes,        /certs,    tcp://127.0.0.1:2376,        /certs,        'tcp://127.0.0.1:2376 (TLS, certificates from /certs)'",
      "-,                           unix:///tmp/x.sock,        1,          /certs,    unix:///tmp/x.sock,          -,             /tmp/x.sock",
  })
  void resolve_environmentAndExplicitHost(String dockerHost, String explicit, String verify, String certPath,
      String host, String certs, String describe) {
    Map<String, String> env = env();
    if (dockerHost != null) {
      env.put("DOCKER_HOST", dockerHost);
    }
    if (verify != null) {
      env.put("DOCKER_TLS_VERIFY", verify);
    }
    if (certPath != null) {
      env.put("DOCKER_CERT_PATH", certPath);
    }
    DockerEndpoint e = DockerEndpoint.resolve(env, Optional.ofNullable(explicit));
    assertThat(e.host()).isEqualTo(host);
    assertThat(e.certPath()).isEqualTo(Optional.ofNullable(certs).map(Path::of));
    assertThat(e.describe()).isEqualTo(describe);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ssh://me@host | unsupported Docker host 'ssh://me@host': use unix:///path/to/docker.sock or tcp://HOST:PORT",
      "tcp://host    | Docker host tcp://host needs a host and a port (tcp://HOST:PORT)",
      "unix:///      | Docker host unix:/// names no socket (use unix:///path/to/docker.sock)",
      "/var/run/docker.sock | unsupported Docker host '/var/run/docker.sock': use unix:///path/to/docker.sock or tcp://HOST:PORT",
  })
  void resolve_malformedHost_oneLineError(String host, String message) {
    assertThatThrownBy(() -> DockerEndpoint.resolve(env(), Optional.of(host)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void socket_onlyForUnixHosts() {
    assertThat(DockerEndpoint.defaultSocket().socket()).contains(Path.of("/var/run/docker.sock"));
    assertThat(DockerEndpoint.resolve(env("DOCKER_HOST", "tcp://h:1"), Optional.empty()).socket()).isEmpty();
  }
}
