package io.imagegate.docker;

import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.util.Optional;

/**
 * Run as an unprivileged user by {@link DockerDaemonSourceTest}: opens {@code args[1]} from the
 * engine at {@code args[0]} and prints the one-line error (or {@code OPENED}).
 */
final class PermissionProbe {
  private PermissionProbe() {}

  public static void main(String[] args) {
    DockerDaemonSource source = new DockerDaemonSource(new DockerEndpoint(args[0], Optional.empty()));
    try {
      source.openScanned(ImageReference.parse(args[1]), PlatformSelection.host(),
          new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT));
      System.out.println("OPENED");
    } catch (ImageReadException e) {
      System.out.println(e.getMessage());
    }
  }
}
