package io.imagegate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pushes OCI layouts (written by {@link io.imagegate.build.BuiltImage}) to a registry with the real {@code skopeo}. */
public final class Skopeo {
  private Skopeo() {}

  /** Copies {@code oci:LAYOUT:TAG} to {@code destination} ({@code docker://HOST/REPO:TAG}), keeping digests. */
  public static void push(Path layout, String tag, String destination) throws IOException {
    copy(layout, tag, destination, false, Optional.empty());
  }

  /** Copies every platform of a multi-platform layout ({@code skopeo copy --all}). */
  public static void pushAll(Path layout, String tag, String destination) throws IOException {
    copy(layout, tag, destination, true, Optional.empty());
  }

  /** Copies every platform with {@code --dest-creds USER:PASSWORD}. */
  public static void pushAll(Path layout, String tag, String destination, String user, String password)
      throws IOException {
    copy(layout, tag, destination, true, Optional.of(user + ":" + password));
  }

  /** Copies with {@code --dest-creds USER:PASSWORD}. */
  public static void push(Path layout, String tag, String destination, String user, String password) throws IOException {
    copy(layout, tag, destination, false, Optional.of(user + ":" + password));
  }

  private static void copy(Path layout, String tag, String destination, boolean all, Optional<String> creds)
      throws IOException {
    Path skopeo = ExternalTools.require("skopeo", "skopeo");
    // --insecure-policy: no /etc/containers/policy.json needed; plain HTTP to the loopback test registry
    List<String> command = new ArrayList<>(List.of(skopeo.toString(), "--insecure-policy", "copy", "--quiet",
        "--dest-tls-verify=false", "--preserve-digests"));
    if (all) {
      command.add("--all");
    }
    creds.ifPresent(c -> {
      command.add("--dest-creds");
      command.add(c);
    });
    command.add("oci:" + layout + (tag.isEmpty() ? "" : ":" + tag));
    command.add(destination);
    ExternalTools.run(command);
  }
}
