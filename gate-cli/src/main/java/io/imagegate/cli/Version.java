package io.imagegate.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.security.CodeSource;
import picocli.CommandLine;

/** The version from the jar's manifest ({@code dev} when run from classes). */
final class Version implements CommandLine.IVersionProvider {
  /** Stands for classes outside a jar, which may change at any time: unique to this process. */
  private static final String UNPACKAGED = "classes-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

  static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Identifies the code itself, for caches of what it computed: the version, and the jar's size
   * and modification time (a snapshot version is rebuilt under the same name). Run from classes,
   * a value of this process only, so nothing cached by other code is ever read.
   */
  static String build() {
    try {
      CodeSource source = Version.class.getProtectionDomain().getCodeSource();
      File location = source == null ? null : new File(source.getLocation().toURI());
      if (location != null && location.isFile()) {
        return get() + "+" + location.length() + "-" + location.lastModified();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through: treat as unpackaged
    }
    return get() + "+" + UNPACKAGED;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"imagegate " + get()};
  }
}
