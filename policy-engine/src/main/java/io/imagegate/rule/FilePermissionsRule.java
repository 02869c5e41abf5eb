package io.imagegate.rule;

import io.imagegate.policy.Check;
import io.imagegate.policy.Glob;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code file-permissions}: three switchable checks over the final filesystem: setuid/setgid
 * files (CIS Docker 4.8), world-writable files and directories (a sticky directory such as
 * {@code /tmp} is fine), and system paths not owned by root.
 */
public final class FilePermissionsRule implements RuleType {
  /** Findings listed per check before the rest are summed up. */
  static final int MAX_FINDINGS = 100;

  static final List<String> DEFAULT_SYSTEM_PATHS = List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/lib", "/usr/lib", "/etc");

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "Safe file permissions",
      "Three checks over the final filesystem, each switchable. setuid: no regular file has the setuid or setgid bit "
          + "(CIS Docker Benchmark 4.8), except paths on setuid-allowed; such a file runs with its owner's rights "
          + "whoever starts it, an easy privilege escalation. world-writable: no file, and no directory without "
          + "the sticky bit, is writable by every user, except paths on world-writable-allowed; a sticky world-writable "
          + "directory such as /tmp (mode 1777) is fine, since users cannot remove each other's files there. "
          + "root-owned: files and directories under the system paths (/bin, /sbin, /usr/bin, /usr/sbin, /lib, "
          + "/usr/lib, /etc by default) are owned by root (uid 0), except paths on owner-allowed; a system binary the "
          + "application user owns can be replaced by it. Symlinks are not checked (their mode and owner mean nothing).",
      "Remove the bits in the build: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + (or do not install the "
          + "package), chmod o-w the world-writable paths (or chmod +t a shared directory), and COPY --chown only "
          + "into the application's own directories, never into system paths.",
      List.of(
          new RuleDocumentation.Parameter("setuid", "boolean", "Check for setuid/setgid files.", "true"),
          new RuleDocumentation.Parameter("setuid-allowed", "list of path globs", "Files that may keep setuid/setgid.", ""),
          new RuleDocumentation.Parameter("world-writable", "boolean", "Check for world-writable files and non-sticky directories.", "true"),
          new RuleDocumentation.Parameter("world-writable-allowed", "list of path globs", "Paths that may be world-writable.", ""),
          new RuleDocumentation.Parameter("root-owned", "boolean", "Check that system paths are owned by root.", "true"),
          new RuleDocumentation.Parameter("system-paths", "list of directories", "Directories whose whole trees must be root-owned.", String.join(", ", DEFAULT_SYSTEM_PATHS)),
          new RuleDocumentation.Parameter("owner-allowed", "list of path globs", "Paths under the system paths that may have another owner.", "")),
      List.of("security", "cis-docker-4.8"));

  @Override
  public String name() {
    return "file-permissions";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    boolean setuid = p.bool("setuid").orElse(true);
    List<Glob> setuidAllowed = p.globs("setuid-allowed");
    boolean worldWritable = p.bool("world-writable").orElse(true);
    List<Glob> writableAllowed = p.globs("world-writable-allowed");
    boolean rootOwned = p.bool("root-owned").orElse(true);
    List<String> systemPaths = p.has("system-paths") ? p.strings("system-paths") : DEFAULT_SYSTEM_PATHS;
    for (String s : systemPaths) {
      if (!s.startsWith("/")) {
        throw p.error("system-paths", "'" + s + "' is not an absolute directory");
      }
    }
    List<Glob> ownerAllowed = p.globs("owner-allowed");
    if (!setuid && !worldWritable && !rootOwned) {
      throw p.error("file-permissions has every check switched off (setuid, world-writable, root-owned)");
    }
    return facts -> {
      List<Violation> setuidFound = new ArrayList<>();
      List<Violation> writableFound = new ArrayList<>();
      List<Violation> ownerFound = new ArrayList<>();
      for (FileEntry e : facts.filesystem().entries()) {
        if (e.type() == FileType.SYMLINK) {
          continue;
        }
        boolean regular = e.type() == FileType.FILE || e.type() == FileType.HARDLINK;
        if (setuid && regular && (e.mode() & 06000) != 0 && !matches(setuidAllowed, e.path())) {
          String bits = (e.mode() & 04000) != 0 ? ((e.mode() & 02000) != 0 ? "setuid and setgid" : "setuid") : "setgid";
          setuidFound.add(violation(e, e.path() + " is " + bits + " (mode " + mode(e) + ", owner uid " + e.uid() + ")", "setuid"));
        }
        if (worldWritable && (e.mode() & 0002) != 0 && !matches(writableAllowed, e.path())) {
          if (e.type() == FileType.DIRECTORY) {
            if ((e.mode() & 01000) == 0) {
              writableFound.add(violation(e, "directory " + e.path() + " is world-writable without the sticky bit (mode "
                  + mode(e) + "): any user can replace or delete what others put there", "world-writable"));
            }
          } else {
            writableFound.add(violation(e, e.path() + " is world-writable (mode " + mode(e) + ")", "world-writable"));
          }
        }
        if (rootOwned && e.uid() != 0 && underAny(systemPaths, e.path()) && !matches(ownerAllowed, e.path())) {
          ownerFound.add(violation(e, (e.type() == FileType.DIRECTORY ? "directory " : "") + e.path()
              + " is owned by uid " + e.uid() + ", not root", "root-owned"));
        }
      }
      List<Violation> out = new ArrayList<>();
      capped(setuidFound, "setuid/setgid files", out);
      capped(writableFound, "world-writable paths", out);
      capped(ownerFound, "system paths not owned by root", out);
      return out;
    };
  }

  private static Violation violation(FileEntry e, String message, String check) {
    return new Violation(message, Location.file(e.path(), e.layer()), Map.of("path", e.path(), "check", check));
  }

  private static void capped(List<Violation> found, String what, List<Violation> out) {
    out.addAll(found.subList(0, Math.min(found.size(), MAX_FINDINGS)));
    if (found.size() > MAX_FINDINGS) {
      out.add(new Violation((found.size() - MAX_FINDINGS) + " more " + what + " (only the first " + MAX_FINDINGS
          + " are listed)", Location.image()));
    }
  }

  private static boolean matches(List<Glob> globs, String path) {
    return globs.stream().anyMatch(g -> g.matches(path));
  }

  private static boolean underAny(List<String> dirs, String path) {
    for (String d : dirs) {
      String dir = d.length() > 1 && d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
      if (path.equals(dir) || path.startsWith(dir.equals("/") ? "/" : dir + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String mode(FileEntry e) {
    return String.format("%04o", e.mode());
  }
}
