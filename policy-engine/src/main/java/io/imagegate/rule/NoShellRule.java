package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.policy.Check;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.ScanInterest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code no-shell}: no shell in the final filesystem (by name, through links and busybox applets,
 * and busybox binaries recognised by content whatever their name), and no shell-form
 * {@code ENTRYPOINT} / {@code CMD} ({@code /bin/sh -c …}), which needs one.
 */
public final class NoShellRule implements RuleType {
  /** The shells looked for when the policy names none. */
  public static final List<String> DEFAULT_SHELLS =
      List.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox");

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "No shell in the image",
      "The final filesystem must not contain a shell (sh, bash, dash, ash, zsh, ksh, mksh, csh, tcsh, fish, busybox "
          + "by default), found by name, through symlinks and hard links, and busybox binaries recognised by content. "
          + "A shell-form ENTRYPOINT or CMD (/bin/sh -c ...) is a finding too, since it needs a shell. Without a shell "
          + "an attacker cannot easily chain commands after an exploit.",
      "Use a distroless or scratch base for the final stage and copy in only the application. Write ENTRYPOINT and "
          + "CMD in exec form: ENTRYPOINT [\"/app\"] instead of ENTRYPOINT /app.",
      List.of(
          new RuleDocumentation.Parameter("shells", "list of program names", "The shells to look for.", String.join(", ", DEFAULT_SHELLS)),
          new RuleDocumentation.Parameter("check-entrypoint", "boolean", "Also fail a shell-form ENTRYPOINT or CMD.", "true")),
      List.of("security", "attack-surface"));

  @Override
  public String name() {
    return "no-shell";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    Set<String> shells = new LinkedHashSet<>(p.has("shells") ? p.strings("shells") : DEFAULT_SHELLS);
    if (shells.isEmpty()) {
      throw p.error("shells", "expected at least one shell name");
    }
    boolean checkEntrypoint = p.bool("check-entrypoint").orElse(true);
    boolean busybox = shells.contains("busybox");
    return new Check() {
      @Override
      public ScanInterest interest() {
        return busybox ? ScanInterest.marker(Executables.BUSYBOX_MARKER, Executables.BUSYBOX_BYTES) : ScanInterest.NONE;
      }

      @Override
      public List<Violation> evaluate(ImageFacts facts) {
        List<Violation> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Executables.Match m : Executables.named(facts.filesystem(), shells)) {
          seen.add(m.entry().path());
          String what = m.loop() ? "cannot decide whether shell " + m.name() + " is present: " + m.describe()
              : "shell " + m.name() + " is present: " + m.describe() + (m.isBusybox() && !m.name().equals("busybox") ? " (busybox applet)" : "");
          out.add(new Violation(what, Location.file(m.entry().path(), m.entry().layer()),
              Map.of("path", m.entry().path(), "name", m.name())));
        }
        if (busybox) {
          for (FileEntry e : Executables.withMarker(facts.filesystem(), Executables.BUSYBOX_MARKER)) {
            if (seen.add(e.path())) {
              out.add(new Violation("a busybox binary (which provides sh) is present at " + e.path(),
                  Location.file(e.path(), e.layer()), Map.of("path", e.path(), "name", "busybox")));
            }
          }
        }
        if (checkEntrypoint) {
          List<String> entrypoint = facts.config().entrypoint();
          if (isShellForm(entrypoint, shells)) {
            out.add(shellForm("ENTRYPOINT", "Entrypoint", entrypoint));
          } else if (entrypoint.isEmpty() && isShellForm(facts.config().cmd(), shells)) {
            out.add(shellForm("CMD", "Cmd", facts.config().cmd()));
          }
        }
        return out;
      }
    };
  }

  private static Violation shellForm(String instruction, String field, List<String> argv) {
    return new Violation(instruction + " is in shell form (" + String.join(" ", argv.subList(0, 2)) + " ...), which needs a shell; "
        + "use the exec form", Location.config(field), Map.of("path", field));
  }

  /** {@code ["/bin/sh", "-c", …]} or any listed shell followed by {@code -c}. */
  static boolean isShellForm(List<String> argv, Set<String> shells) {
    if (argv.size() < 2) {
      return false;
    }
    String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    return (shells.contains(program) || program.equals("sh")) && argv.get(1).equals("-c");
  }
}
