package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.policy.Glob;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.ScanInterest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packages an image's package databases say are installed, each with the layer that put its
 * database entry there: dpkg's {@code /var/lib/dpkg/status}, the one-file-per-package
 * {@code /var/lib/dpkg/status.d/} that distroless writes, and apk's {@code /lib/apk/db/installed}.
 */
final class Packages {
  static final String DPKG_STATUS = "/var/lib/dpkg/status";
  static final String DPKG_STATUS_DIR = "/var/lib/dpkg/status.d";
  static final String APK_INSTALLED = "/lib/apk/db/installed";
  /** RPM keeps its database in Berkeley DB or SQLite, which imagegate does not read. */
  static final List<String> RPM_DATABASES = List.of(
      "/var/lib/rpm/Packages", "/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages");
  /** A Debian system's status file is a few MB; this leaves ample room. */
  static final int MAX_DATABASE_BYTES = 32 << 20;

  static final ScanInterest INTEREST = ScanInterest.capture(Glob.compile(DPKG_STATUS), MAX_DATABASE_BYTES)
      .and(ScanInterest.capture(Glob.compile(APK_INSTALLED), MAX_DATABASE_BYTES))
      .and(ScanInterest.capture(Glob.compile(DPKG_STATUS_DIR + "/*"), 1 << 20));

  private Packages() {}

  /**
   * An installed package.
   *
   * @param database the file its entry is in
   * @param layer the layer that added the entry (for a whole-database file, the first layer from
   *     which the package has been there at this version without interruption)
   */
  record Package(String name, String version, String manager, String database, int layer) {}

  /**
   * What the databases say.
   *
   * @param undecidable databases that could not be read whole, or that imagegate cannot read
   */
  record Inventory(List<Package> packages, List<String> undecidable) {}

  static Inventory of(ImageFacts facts) {
    List<Package> out = new ArrayList<>();
    List<String> undecidable = new ArrayList<>();
    history(facts, DPKG_STATUS, "dpkg", out, undecidable);
    history(facts, APK_INSTALLED, "apk", out, undecidable);
    for (FileEntry e : facts.filesystem().entries()) {
      if (e.type() != FileType.FILE || !e.path().startsWith(DPKG_STATUS_DIR + "/") || e.name().endsWith(".md5sums")
          || e.path().indexOf('/', DPKG_STATUS_DIR.length() + 1) >= 0) {
        continue; // distroless keeps <package>.md5sums beside the entries; package names may hold dots
      }
      if (facts.layerIndexes().get(e.layer()).truncated().contains(e.path())) {
        undecidable.add(e.path() + " is too large to read whole");
        continue;
      }
      Optional<byte[]> content = facts.filesystem().content(e.path());
      if (content.isEmpty()) {
        continue;
      }
      for (Map.Entry<String, String> p : parseDpkg(content.get()).entrySet()) {
        out.add(new Package(p.getKey(), p.getValue(), "dpkg", e.path(), e.layer()));
      }
    }
    for (String rpm : RPM_DATABASES) {
      facts.filesystem().get(rpm).ifPresent(e -> undecidable.add("an RPM database is present at " + rpm
          + ", which imagegate cannot read"));
    }
    return new Inventory(out, undecidable);
  }

  /** Follows a whole-database file layer by layer, so each package is attributed to the layer that installed it. */
  private static void history(ImageFacts facts, String path, String manager, List<Package> out, List<String> undecidable) {
    Map<String, String[]> current = new LinkedHashMap<>(); // name -> {version, since layer}
    boolean truncated = false;
    for (ImageFacts.PathVersion v : facts.versions(path)) {
      Map<String, String[]> next = new LinkedHashMap<>();
      if (v.content().isPresent()) {
        Map<String, String> parsed = manager.equals("apk") ? parseApk(v.content().get()) : parseDpkg(v.content().get());
        parsed.forEach((name, version) -> {
          String[] before = current.get(name);
          next.put(name, before != null && before[0].equals(version) ? before
              : new String[] {version, String.valueOf(v.layer())});
        });
      }
      current.clear();
      current.putAll(next);
      truncated = v.truncated();
    }
    if (truncated) {
      undecidable.add(path + " is larger than " + (MAX_DATABASE_BYTES >> 20) + " MiB and was not read whole");
    }
    current.forEach((name, vs) -> out.add(new Package(name, vs[0], manager, path, Integer.parseInt(vs[1]))));
  }

  /** dpkg status stanzas: name → version of the packages not removed (Status not {@code not-installed} / {@code config-files}). */
  static Map<String, String> parseDpkg(byte[] content) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String stanza : new String(content, StandardCharsets.UTF_8).split("\\n\\s*\\n")) {
      String name = null;
      String version = "";
      String status = "";
      for (String line : stanza.split("\n")) {
        if (line.startsWith("Package:")) {
          name = line.substring(8).trim();
        } else if (line.startsWith("Version:")) {
          version = line.substring(8).trim();
        } else if (line.startsWith("Status:")) {
          status = line.substring(7).trim();
        }
      }
      if (name != null && !name.isEmpty() && !status.endsWith("not-installed") && !status.endsWith("config-files")) {
        out.put(name, version);
      }
    }
    return out;
  }

  /** apk installed-database stanzas ({@code P:name}, {@code V:version}): name → version. */
  static Map<String, String> parseApk(byte[] content) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String stanza : new String(content, StandardCharsets.UTF_8).split("\\n\\s*\\n")) {
      String name = null;
      String version = "";
      for (String line : stanza.split("\n")) {
        if (line.startsWith("P:")) {
          name = line.substring(2).trim();
        } else if (line.startsWith("V:")) {
          version = line.substring(2).trim();
        }
      }
      if (name != null && !name.isEmpty()) {
        out.put(name, version);
      }
    }
    return out;
  }
}
