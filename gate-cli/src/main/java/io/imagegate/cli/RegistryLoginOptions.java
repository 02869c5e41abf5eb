package io.imagegate.cli;

import io.imagegate.registry.CredentialSource;
import io.imagegate.registry.CredentialSources;
import io.imagegate.registry.RegistryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** How to reach registries: credentials and the hosts that may be spoken to over plain HTTP. */
final class RegistryLoginOptions {
  /** Where --username/--password-stdin credentials come from, in messages. */
  static final String SOURCE = "--username/--password-stdin";

  @Option(names = "--username", paramLabel = "USER",
      description = "Registry user name; the password is read from stdin (--password-stdin). Without them: "
          + "IMAGEGATE_REGISTRY_USERNAME/IMAGEGATE_REGISTRY_PASSWORD, then ~/.docker/config.json "
          + "(auths, credsStore, credHelpers).")
  String username;

  @Option(names = "--password-stdin", description = "Read the registry password (or token) for --username from stdin.")
  boolean passwordStdin;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Allow plain HTTP to this registry (repeatable). Loopback registries always may; "
          + "TLS, when used, is always verified.")
  List<String> insecureRegistries = new ArrayList<>();

  /** The engine's options; reads the password from {@code stdin} when asked to. */
  RegistryOptions options(InputStream stdin, String version) {
    if (passwordStdin && username == null) {
      throw new Main.UsageException("--password-stdin needs --username");
    }
    if (username != null && !passwordStdin) {
      throw new Main.UsageException("--username needs --password-stdin (a password on the command line would show "
          + "in the process list)");
    }
    CredentialSource credentials = username == null
        ? CredentialSources.standard()
        : CredentialSources.fixed(username, readPassword(stdin), SOURCE);
    Set<String> insecure = new HashSet<>();
    for (String host : insecureRegistries) {
      // as docker's daemon.json spells them too: host[:port], perhaps with a scheme or a slash
      String h = host.replaceFirst("^(?i)https?://", "").replaceFirst("/+$", "");
      if (h.isEmpty() || h.contains("/")) {
        throw new Main.UsageException("--insecure-registry expects HOST[:PORT], got '" + host + "'");
      }
      insecure.add(h);
    }
    return RegistryOptions.defaults()
        .withCredentials(credentials)
        .withInsecureRegistries(insecure)
        .withUserAgent("imagegate/" + version);
  }

  private static String readPassword(InputStream stdin) {
    String password;
    try {
      password = new String(stdin.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Main.UsageException("--password-stdin: cannot read stdin: " + e.getMessage());
    }
    // like docker login: one trailing newline (and a carriage return before it) is not part of it
    if (password.endsWith("\n")) {
      password = password.substring(0, password.length() - 1);
    }
    if (password.endsWith("\r")) {
      password = password.substring(0, password.length() - 1);
    }
    if (password.isEmpty()) {
      throw new Main.UsageException("--password-stdin: stdin is empty");
    }
    return password;
  }
}
