package io.imagegate.rule;

import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.NameSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds programs in a merged filesystem the way a shell would run them: a name is present when an
 * executable file has it as its basename, or when a symlink or hard link with that basename
 * resolves (inside the image) to an executable. So a busybox applet link {@code /bin/wget ->
 * busybox} is {@code wget}.
 */
final class Executables {
  /** A marker that recognises a busybox binary whatever it is called. */
  static final String BUSYBOX_MARKER = "busybox";
  static final String BUSYBOX_BYTES = "BusyBox v";

  private Executables() {}

  /**
   * A program found under a name.
   *
   * @param entry the entry with the name (the link, or the file itself)
   * @param target the executable it runs; empty when resolution failed (see {@code loop})
   * @param loop the name is a symlink whose resolution loops or runs too deep: undecidable
   */
  record Match(String name, FileEntry entry, Optional<FileEntry> target, boolean loop) {
    /** "/bin/wget" or "/bin/wget -> /bin/busybox". */
    String describe() {
      if (loop) {
        return entry.path() + " (symlink loop: cannot tell what it runs)";
      }
      FileEntry t = target.orElseThrow();
      return t.path().equals(entry.path()) ? entry.path() : entry.path() + " -> " + t.path();
    }

    /** Whether what runs is a busybox binary. */
    boolean isBusybox() {
      return target.map(t -> t.name().equals("busybox") || t.markers().contains(BUSYBOX_MARKER)).orElse(false);
    }
  }

  /** Every entry named one of {@code names} that runs a program, in path order. */
  static List<Match> named(Filesystem fs, Set<String> names) {
    List<Match> out = new ArrayList<>();
    NameSet wanted = NameSet.of(names);
    for (FileEntry e : fs.entries()) {
      if (wanted.match(e.path()) == null) {
        continue;
      }
      switch (e.type()) {
        case FILE -> {
          if (e.isExecutable()) {
            out.add(new Match(e.name(), e, Optional.of(e), false));
          }
        }
        case HARDLINK -> {
          // a hard link is the file itself; its header may omit the mode, so fall back to the target's
          Optional<FileEntry> target = fs.get(e.linkTarget());
          boolean exec = e.isExecutable() || target.map(FileEntry::isExecutable).orElse(false);
          if (exec) {
            out.add(new Match(e.name(), e, Optional.of(target.orElse(e)), false));
          }
        }
        case SYMLINK -> {
          Filesystem.Resolution r = fs.resolve(e.path());
          if (r.status() == Filesystem.Resolution.Status.LOOP) {
            out.add(new Match(e.name(), e, Optional.empty(), true));
          } else if (r.entry().isPresent() && runs(fs, r.entry().get())) {
            out.add(new Match(e.name(), e, r.entry(), false));
          }
        }
        default -> {
          // directories and devices don't run
        }
      }
    }
    return out;
  }

  private static boolean runs(Filesystem fs, FileEntry e) {
    if (e.type() == FileType.HARDLINK && !e.isExecutable()) {
      return fs.get(e.linkTarget()).map(FileEntry::isExecutable).orElse(false);
    }
    return e.isExecutable();
  }

  /** Executables whose content carries {@code marker}, whatever their names. */
  static List<FileEntry> withMarker(Filesystem fs, String marker) {
    List<FileEntry> out = new ArrayList<>();
    for (FileEntry e : fs.entries()) {
      if (e.type() == FileType.FILE && e.markers().contains(marker)) {
        out.add(e);
      }
    }
    return out;
  }
}
