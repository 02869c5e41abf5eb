package io.imagegate.image;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A history entry's {@code created_by} read back into the Dockerfile instruction that made it.
 * Builders record it differently:
 *
 * <ul>
 *   <li>the classic builder (and buildah): {@code /bin/sh -c #(nop)  USER app} for metadata,
 *       {@code /bin/sh -c #(nop) COPY file:<hash> in /app} for copies, {@code /bin/sh -c apt-get …}
 *       for a shell-form {@code RUN} ({@code |2 A=1 B=2 /bin/sh -c …} when build args are in scope),
 *       and just the argv for an exec-form {@code RUN};
 *   <li>BuildKit: {@code RUN /bin/sh -c apt-get … # buildkit}, {@code COPY app /app # buildkit}
 *       (sources as written, without {@code --from}), {@code USER app}, {@code WORKDIR /app},
 *       {@code ENTRYPOINT ["./app"]};
 *   <li>kaniko and others: {@code KEYWORD arguments}.
 * </ul>
 *
 * <p>The one reading of {@code created_by}: rules ({@code forbidden-instructions}, {@code secrets})
 * and the Dockerfile mapper both use it.
 *
 * @param keyword the instruction, upper case; empty when it can't be told (an imported layer, an exec-form RUN)
 * @param body what follows the keyword, whitespace collapsed; for {@code RUN} the command with its
 *     shell ({@code /bin/sh -c apt-get …}) but without the build-arg prefix
 */
public record HistoryInstruction(String keyword, String body) {
  /** The Dockerfile instructions. */
  public static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
  private static final String NOP = "/bin/sh -c #(nop) ";
  private static final String BUILDKIT_SUFFIX = "# buildkit";
  /** The classic builder's prefix for the build args in scope of a RUN: {@code |N NAME=value … }. */
  private static final Pattern BUILD_ARGS = Pattern.compile("^\\|(\\d+)\\s+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** Reads {@code createdBy}. */
  public static HistoryInstruction of(String createdBy) {
    String s = WHITESPACE.matcher(createdBy.strip()).replaceAll(" ");
    if (s.endsWith(BUILDKIT_SUFFIX)) {
      s = s.substring(0, s.length() - BUILDKIT_SUFFIX.length()).strip();
    }
    if (s.startsWith(NOP)) {
      String rest = s.substring(NOP.length()).strip();
      int sp = rest.indexOf(' ');
      return new HistoryInstruction((sp < 0 ? rest : rest.substring(0, sp)).toUpperCase(Locale.ROOT),
          sp < 0 ? "" : rest.substring(sp + 1).strip());
    }
    if (s.startsWith("/bin/sh -c ") || BUILD_ARGS.matcher(s).find()) {
      return new HistoryInstruction("RUN", withoutBuildArgs(s));
    }
    if (!s.isEmpty()) {
      int sp = s.indexOf(' ');
      String first = sp < 0 ? s : s.substring(0, sp);
      if (KEYWORDS.contains(first)) {
        String body = sp < 0 ? "" : s.substring(sp + 1).strip();
        return new HistoryInstruction(first, first.equals("RUN") ? withoutBuildArgs(body) : body);
      }
    }
    return new HistoryInstruction("", s);
  }

  /** The keyword, when {@code created_by} tells it. */
  public Optional<String> known() {
    return keyword.isEmpty() ? Optional.empty() : Optional.of(keyword);
  }

  /** {@code |2 A=1 B=2 /bin/sh -c x} → {@code /bin/sh -c x}: the count says how many words to drop. */
  private static String withoutBuildArgs(String s) {
    Matcher m = BUILD_ARGS.matcher(s);
    if (!m.find()) {
      return s;
    }
    String rest = s.substring(m.end());
    int n = Integer.parseInt(m.group(1));
    for (int i = 0; i < n && !rest.isEmpty(); i++) {
      int sp = rest.indexOf(' ');
      rest = sp < 0 ? "" : rest.substring(sp + 1);
    }
    return rest.strip();
  }
}
