package io.imagegate.registry;

import io.imagegate.image.ImageReadException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The credential sources: fixed (the command line), the environment, the Docker config, and chains of them. */
public final class CredentialSources {
  /** The user name variable. */
  public static final String ENV_USERNAME = "IMAGEGATE_REGISTRY_USERNAME";
  /** The password (or token) variable. */
  public static final String ENV_PASSWORD = "IMAGEGATE_REGISTRY_PASSWORD";

  private CredentialSources() {}

  /** No credentials: every registry is accessed anonymously. */
  public static CredentialSource none() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredentials> find(String registry) {
        return Optional.empty();
      }

      @Override
      public String describe() {
        return "no credential sources";
      }
    };
  }

  /** The same credentials for every registry (as {@code --username}/{@code --password-stdin} give them). */
  public static CredentialSource fixed(String username, String password, String source) {
    RegistryCredentials c = new RegistryCredentials(username, password, source);
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredentials> find(String registry) {
        return Optional.of(c);
      }

      @Override
      public String describe() {
        return source;
      }
    };
  }

  /** {@value #ENV_USERNAME} and {@value #ENV_PASSWORD} from {@code env}, for every registry. */
  public static CredentialSource environment(Map<String, String> env) {
    String source = ENV_USERNAME + "/" + ENV_PASSWORD;
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredentials> find(String registry) {
        String user = env.getOrDefault(ENV_USERNAME, "");
        String password = env.getOrDefault(ENV_PASSWORD, "");
        if (user.isEmpty() && password.isEmpty()) {
          return Optional.empty();
        }
        if (user.isEmpty() || password.isEmpty()) {
          throw new ImageReadException((user.isEmpty() ? ENV_PASSWORD : ENV_USERNAME) + " is set but "
              + (user.isEmpty() ? ENV_USERNAME : ENV_PASSWORD) + " is not; set both or neither");
        }
        return Optional.of(new RegistryCredentials(user, password, source));
      }

      @Override
      public String describe() {
        return source;
      }
    };
  }

  /**
   * A Docker client config ({@code config.json}): {@code credHelpers}, {@code credsStore} and
   * {@code auths}, with helpers {@code docker-credential-NAME} looked up in {@code helperPath}.
   */
  public static CredentialSource dockerConfig(Path configFile, List<Path> helperPath) {
    return new DockerConfigCredentials(configFile, helperPath);
  }

  /** The first source that has credentials for a registry wins. */
  public static CredentialSource chain(List<CredentialSource> sources) {
    List<CredentialSource> all = List.copyOf(sources);
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredentials> find(String registry) {
        for (CredentialSource s : all) {
          Optional<RegistryCredentials> c = s.find(registry);
          if (c.isPresent()) {
            return c;
          }
        }
        return Optional.empty();
      }

      @Override
      public String describe() {
        return all.stream().map(CredentialSource::describe).collect(Collectors.joining(", "));
      }
    };
  }

  /** The environment variables, then the Docker config, as this process sees them. */
  public static CredentialSource standard() {
    return standard(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The environment variables, then the Docker config ({@code $DOCKER_CONFIG/config.json}, else
   * {@code HOME/.docker/config.json}), helpers looked up on {@code $PATH}.
   */
  public static CredentialSource standard(Map<String, String> env, Path home) {
    String dockerConfigDir = env.get("DOCKER_CONFIG");
    Path config = dockerConfigDir != null && !dockerConfigDir.isEmpty()
        ? Path.of(dockerConfigDir, "config.json")
        : home.resolve(".docker").resolve("config.json");
    List<Path> path = new ArrayList<>();
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        path.add(Path.of(dir));
      }
    }
    return chain(List.of(environment(env), dockerConfig(config, path)));
  }
}
