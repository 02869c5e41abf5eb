package io.imagegate.report;

import io.imagegate.policy.Severity;
import io.imagegate.policy.Waiver;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A policy exception as the report describes it: what it waives, and what became of it in this
 * run. An {@link Status#EXPIRED expired} or {@link Status#STALE stale} exception is a notice that
 * every report shows (SARIF as a result on the policy file's line, JSON in {@code exceptions},
 * text in its own section); notices never change the verdict themselves — the findings an
 * expired exception no longer waives do.
 *
 * @param origin where the exception is defined, {@code file:line}
 * @param matched how many findings of the run it matches (for an expired one: would have waived)
 * @param message one sentence for people saying what happened and what to do
 */
public record WaiverSummary(String rule, List<String> images, List<String> paths, String reason,
    Optional<LocalDate> until, String origin, Status status, int matched, String message) {

  public WaiverSummary {
    images = List.copyOf(images);
    paths = List.copyOf(paths);
  }

  /** What became of an exception in a run. */
  public enum Status {
    /** In force; it waived the findings it matched (possibly none, when an image could not be read). */
    ACTIVE,
    /** Its {@code until} date has passed: it waives nothing and the findings it matches count again. */
    EXPIRED,
    /** In force but it matched no finding in the whole run: probably no longer needed. */
    STALE;

    /** The spelling in reports: {@code active}, {@code expired}, {@code stale}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Describes a policy exception with its outcome. */
  public static WaiverSummary of(Waiver w, Status status, int matched, String message) {
    return new WaiverSummary(w.rule(), w.images(), w.paths(), w.reason(), w.until(), w.origin(), status, matched,
        message);
  }

  /** Whether reports list this exception as a notice (expired or stale). */
  public boolean isNotice() {
    return status != Status.ACTIVE;
  }

  /** How serious the notice is: {@code warning} for expired, {@code note} for stale; empty when active. */
  public Optional<Severity> noticeSeverity() {
    return switch (status) {
      case ACTIVE -> Optional.empty();
      case EXPIRED -> Optional.of(Severity.WARNING);
      case STALE -> Optional.of(Severity.NOTE);
    };
  }

  /** The reserved rule id of the notice, as SARIF results carry it ({@code imagegate/exception-expired}…). */
  public Optional<String> noticeRuleId() {
    return isNotice() ? Optional.of(NOTICE_PREFIX + "exception-" + status.label()) : Optional.empty();
  }

  /**
   * Prefix of the reserved rule ids of notices. Policy rule ids cannot contain {@code /}, so these
   * never collide with a policy's own.
   */
  public static final String NOTICE_PREFIX = "imagegate/";
}
