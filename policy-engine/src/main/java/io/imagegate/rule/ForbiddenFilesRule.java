package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Glob;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.scan.FileEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code forbidden-files}: programs by name ({@code curl}, {@code nc}, {@code pip}…, found through
 * symlinks, hard links and busybox applet links) and paths by glob ({@code /usr/bin/*-dev},
 * {@code **}{@code /.git/**}) that must not be in the final filesystem.
 */
public final class ForbiddenFilesRule implements RuleType {
  /** Path findings listed one by one before the rest are summed up in one finding. */
  static final int MAX_PATH_FINDINGS = 100;

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Forbidden files absent",
      "The final filesystem must not hold the named programs or any path matching the globs. A name is present "
          + "when an executable has that basename, or a symlink or hard link with that name resolves to one inside "
          + "the image, so a busybox applet link (/bin/wget -> busybox) counts as wget. Network tools, package "
          + "managers and compilers give an attacker who gets code execution a toolbox.",
      "Do not install the tool in the final stage: use a multi-stage build and COPY --from the builder only what "
          + "the application needs at run time, or remove the package (and its links) in the same RUN that "
          + "installed it. The finding names the layer (Dockerfile step) that added the file.",
      List.of(
          new RuleDocumentation.Parameter("names", "list of program names", "Programs that must not be present, e.g. [curl, wget, nc].", ""),
          new RuleDocumentation.Parameter("paths", "list of path globs", "Paths that must not exist: * within a segment, ** across segments, e.g. /usr/bin/*-dev, **/.git/**.", "")),
      List.of("security", "attack-surface"));

  @Override
  public String name() {
    return "forbidden-files";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Set<String> names = new LinkedHashSet<>(p.strings("names"));
    for (String n : names) {
      if (n.isEmpty() || n.contains("/")) {
        throw p.error("names", "'" + n + "' is not a program name (no slashes; use paths: for globs)");
      }
    }
    List<Glob> globs = p.globs("paths");
    if (names.isEmpty() && globs.isEmpty()) {
      throw p.error("forbidden-files needs names, paths, or both");
    }
    return facts -> {
      List<Violation> out = new ArrayList<>();
      Set<String> reported = new HashSet<>();
      for (Executables.Match m : Executables.named(facts.filesystem(), names)) {
        reported.add(m.entry().path());
        String what = m.loop() ? "cannot decide whether " + m.name() + " is present: " + m.describe()
            : m.name() + " is present: " + m.describe() + (m.isBusybox() ? " (busybox applet)" : "");
        out.add(new Violation(what, Location.file(m.entry().path(), m.entry().layer()),
            Map.of("path", m.entry().path(), "name", m.name())));
      }
      if (!globs.isEmpty()) {
        String coveredBy = null; // a matched path whose subtree needs no further findings
        int matched = 0;
        for (FileEntry e : facts.filesystem().entries()) {
          if (reported.contains(e.path()) || (coveredBy != null && e.path().startsWith(coveredBy))) {
            continue;
          }
          for (Glob g : globs) {
            if (g.matches(e.path())) {
              coveredBy = e.path() + "/";
              if (++matched <= MAX_PATH_FINDINGS) {
                out.add(new Violation(e.path() + " matches the forbidden path " + g,
                    Location.file(e.path(), e.layer()), Map.of("path", e.path(), "glob", g.toString())));
              }
              break;
            }
          }
        }
        if (matched > MAX_PATH_FINDINGS) {
          out.add(new Violation((matched - MAX_PATH_FINDINGS) + " more paths match the forbidden globs "
              + globs + " (only the first " + MAX_PATH_FINDINGS + " are listed)", Location.image()));
        }
      }
      return out;
    };
  }
}
