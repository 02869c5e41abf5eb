package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.NameGlob;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.scan.ScanInterest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code forbidden-packages}: packages the image's package databases list as installed must not
 * match the globs (package managers, compilers, {@code *-dev}).
 */
public final class ForbiddenPackagesRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Forbidden packages not installed",
      "No package that the image's package databases list as installed may match the globs: dpkg's "
          + "/var/lib/dpkg/status, the per-package files in /var/lib/dpkg/status.d/ that distroless images carry, "
          + "and apk's /lib/apk/db/installed. Unlike forbidden-files this sees what the package manager installed "
          + "even when the binary has another name, and catches whole families by name (*-dev, gcc*). Each finding "
          + "names the package, its version and the layer that added its database entry. An RPM database, which "
          + "imagegate cannot read, is reported as undecidable rather than passed.",
      "Install the package only in a builder stage, or remove it in the same RUN that installed it (apt-get purge, "
          + "apk del); for a distroless or scratch final stage, copy only the application from the builder.",
      List.of(
          new RuleDocumentation.Parameter("names", "list of name globs", "Forbidden package names, e.g. [apt, dpkg, apk-tools, 'gcc*', '*-dev'].", ""),
          new RuleDocumentation.Parameter("except", "list of name globs", "Packages allowed although they match, e.g. [libc-dev-bin].", "")),
      List.of("security", "attack-surface", "cis-docker-4.3"));

  @Override
  public String name() {
    return "forbidden-packages";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    List<NameGlob> names = p.nameGlobs("names", true);
    if (names.isEmpty()) {
      throw p.error("names", "forbidden-packages needs at least one package name or glob (e.g. names: [apt, 'gcc*'])");
    }
    List<NameGlob> except = p.nameGlobs("except", true);
    return new Check() {
      @Override
      public ScanInterest interest() {
        return Packages.INTEREST;
      }

      @Override
      public List<Violation> evaluate(ImageFacts facts) {
        Packages.Inventory inventory = Packages.of(facts);
        List<Violation> out = new ArrayList<>();
        for (Packages.Package pkg : inventory.packages()) {
          if (except.stream().anyMatch(g -> g.matches(pkg.name()))) {
            continue;
          }
          Optional<NameGlob> hit = names.stream().filter(g -> g.matches(pkg.name())).findFirst();
          hit.ifPresent(g -> out.add(new Violation("package " + pkg.name() + " " + pkg.version() + " is installed ("
              + pkg.manager() + " database " + pkg.database() + ", entry added by layer " + pkg.layer() + ")"
              + (g.toString().equals(pkg.name()) ? "" : "; matches " + g),
              Location.file(pkg.database(), pkg.layer()),
              Map.of("package", pkg.name(), "version", pkg.version(), "path", pkg.database()))));
        }
        for (String why : inventory.undecidable()) {
          out.add(new Violation("cannot decide which packages are installed: " + why, Location.image()));
        }
        return out;
      }
    };
  }
}
