package io.imagegate.policy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a policy's {@code exceptions:}: it waives the findings of the rules it names, in
 * the images and at the paths it names, for a stated reason, until a date. A waived finding stays
 * in every report, marked, and does not count toward the verdict. (The Java name is not
 * {@code PolicyException}: that is the error a bad policy raises.)
 *
 * <p>Matching:
 * <ul>
 *   <li>{@code rule} is a rule id or a glob over rule ids ({@code no-*});
 *   <li>{@code images}, when given, are globs over the image's names — the reference as typed,
 *       its repository, or its manifest digest — where {@code *} also crosses {@code /};
 *   <li>{@code paths}, when given, are {@link Glob}s over the finding's path in the image; a
 *       finding without a path (a config field, the image's size) is not matched by them.
 * </ul>
 * An exception with an {@code until} date applies through that day (UTC) and not after it.
 */
public final class Waiver {
  private final String rule;
  private final List<String> images;
  private final List<String> paths;
  private final String reason;
  private final Optional<LocalDate> until;
  private final String origin;

  private final NameGlob rulePattern;
  private final List<NameGlob> imagePatterns;
  private final List<Glob> pathGlobs;

  private Waiver(String rule, List<String> images, List<String> paths, String reason, Optional<LocalDate> until,
      String origin) {
    this.rule = rule;
    this.images = List.copyOf(images);
    this.paths = List.copyOf(paths);
    this.reason = reason;
    this.until = until;
    this.origin = origin;
    this.rulePattern = NameGlob.compile(rule);
    List<NameGlob> ip = new ArrayList<>();
    for (String i : images) {
      ip.add(NameGlob.compile(i));
    }
    this.imagePatterns = List.copyOf(ip);
    List<Glob> pg = new ArrayList<>();
    for (String p : paths) {
      pg.add(Glob.compile(p));
    }
    this.pathGlobs = List.copyOf(pg);
  }

  /**
   * An exception; throws {@link IllegalArgumentException} for an empty or malformed glob or an
   * empty reason.
   *
   * @param origin where it is defined, {@code file:line}
   */
  public static Waiver of(String rule, List<String> images, List<String> paths, String reason,
      Optional<LocalDate> until, String origin) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an exception needs a reason");
    }
    return new Waiver(rule, images, paths, reason, until, origin);
  }

  /** The rule id or glob over rule ids. */
  public String rule() {
    return rule;
  }

  /** Globs over image names; empty means every image. */
  public List<String> images() {
    return images;
  }

  /** Globs over paths in the image; empty means any finding of the rule, with a path or not. */
  public List<String> paths() {
    return paths;
  }

  public String reason() {
    return reason;
  }

  /** The last day the exception applies (UTC), if it expires. */
  public Optional<LocalDate> until() {
    return until;
  }

  /** Where the exception is defined, {@code file:line}. */
  public String origin() {
    return origin;
  }

  /** Whether {@code ruleId} is the rule this exception names, or matches its glob. */
  public boolean matchesRule(String ruleId) {
    return rulePattern.matches(ruleId);
  }

  /** Whether one of the image's names matches (always, when the exception names no images). */
  public boolean matchesImage(Collection<String> imageNames) {
    if (imagePatterns.isEmpty()) {
      return true;
    }
    for (NameGlob p : imagePatterns) {
      for (String name : imageNames) {
        if (p.matches(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the finding's path matches (always, when the exception names no paths). */
  public boolean matchesPath(Optional<String> path) {
    if (pathGlobs.isEmpty()) {
      return true;
    }
    return path.isPresent() && pathGlobs.stream().anyMatch(g -> g.matches(path.get()));
  }

  /** Whether this exception covers a finding of {@code ruleId} at {@code path} in an image with these names. */
  public boolean matches(String ruleId, Optional<String> path, Collection<String> imageNames) {
    return matchesRule(ruleId) && matchesPath(path) && matchesImage(imageNames);
  }

  /** Whether {@code today} is after the {@code until} date. */
  public boolean expired(LocalDate today) {
    return until.isPresent() && today.isAfter(until.get());
  }

  /** Whether {@code text} holds glob characters ({@code * ? [}). */
  public static boolean isGlob(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof Waiver w && w.rule.equals(rule) && w.images.equals(images) && w.paths.equals(paths)
        && w.reason.equals(reason) && w.until.equals(until) && w.origin.equals(origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rule, images, paths, reason, until, origin);
  }

  @Override
  public String toString() {
    return "exception for " + rule + " at " + origin;
  }
}
