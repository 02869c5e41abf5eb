package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Glob;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.policy.Waiver;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.Filesystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code required-files}: paths that must exist in the final filesystem (symlinks must resolve
 * inside the image), or globs that must match at least one path.
 */
public final class RequiredFilesRule implements RuleType {
  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Required files present",
      "Each listed path must exist in the final filesystem; a symlink counts only when it resolves inside the image "
          + "to something that exists. A glob (with *, ? or [) must match at least one path. Typical use: the CA "
          + "bundle (/etc/ssl/certs/ca-certificates.crt) without which TLS clients fail at run time, timezone data, "
          + "or /etc/passwd for a named USER.",
      "Install or COPY the file in the final stage, e.g. COPY --from=builder /etc/ssl/certs/ca-certificates.crt "
          + "/etc/ssl/certs/ for a scratch image, or use a base that has it (distroless static has CA certificates).",
      List.of(new RuleDocumentation.Parameter("paths", "list of paths or path globs", "Paths that must exist, e.g. [/etc/ssl/certs/ca-certificates.crt].", "")),
      List.of("reliability"));

  @Override
  public String name() {
    return "required-files";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    List<String> paths = p.strings("paths");
    if (paths.isEmpty()) {
      throw p.error("paths", "required-files needs at least one path (e.g. paths: [/etc/ssl/certs/ca-certificates.crt])");
    }
    List<Object> wanted = new ArrayList<>();
    for (String path : paths) {
      if (!path.startsWith("/") && !path.startsWith("**")) {
        throw p.error("paths", "'" + path + "' is not an absolute path");
      }
      if (Waiver.isGlob(path)) {
        try {
          wanted.add(Glob.compile(path));
        } catch (IllegalArgumentException e) {
          throw p.error("paths", "bad glob: " + e.getMessage());
        }
      } else {
        wanted.add(path);
      }
    }
    return facts -> {
      List<Violation> out = new ArrayList<>();
      Filesystem fs = facts.filesystem();
      for (Object w : wanted) {
        if (w instanceof Glob g) {
          if (fs.entries().stream().noneMatch(e -> g.matches(e.path()))) {
            out.add(new Violation("no path matches the required " + g, Location.image(), Map.of("path", g.toString())));
          }
          continue;
        }
        String path = (String) w;
        Filesystem.Resolution r = fs.resolve(path);
        Location where = new Location(Optional.of(path), OptionalInt.empty(), Optional.empty());
        if (r.status() == Filesystem.Resolution.Status.FOUND) {
          continue;
        }
        Optional<FileEntry> link = fs.get(path);
        String why = switch (r.status()) {
          case LOOP -> "is a symlink loop";
          default -> link.filter(e -> e.type() == FileType.SYMLINK).isPresent()
              ? "is a dangling symlink (-> " + link.get().linkTarget() + ")" : "is missing";
        };
        if (link.isPresent()) {
          where = Location.file(path, link.get().layer());
        }
        out.add(new Violation("required file " + path + " " + why, where, Map.of("path", path)));
      }
      return out;
    };
  }
}
