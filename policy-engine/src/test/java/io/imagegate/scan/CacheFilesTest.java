package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link CacheFiles}: the entry frame, use marks and pruning. */
class CacheFilesTest {
  private static final int MAGIC = 0x54455354;
  private static final Duration MONTH = Duration.ofDays(30);
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir
  Path root;

  private Path entry(String relative, Instant used) throws IOException {
    Path f = root.resolve(relative);
    CacheFiles.write(f, MAGIC, 1, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(f, FileTime.from(used));
    return f;
  }

  @Test
  void frame_roundTrips_andRefusesOtherVersionsAndDamage() throws IOException {
    Path f = root.resolve("layers/x.idx");
    CacheFiles.write(f, MAGIC, 1, new byte[] {9, 8, 7});
    assertThat(CacheFiles.read(f, MAGIC, 1)).hasValueSatisfying(b -> assertThat(b).containsExactly(9, 8, 7));
    assertThat(CacheFiles.read(f, MAGIC, 2)).isEmpty();
    assertThat(CacheFiles.read(f, MAGIC + 1, 1)).isEmpty();
    byte[] bytes = Files.readAllBytes(f);
    bytes[13] ^= 1;
    Files.write(f, bytes);
    assertThat(CacheFiles.read(f, MAGIC, 1)).isEmpty();
    assertThat(CacheFiles.read(root.resolve("missing"), MAGIC, 1)).isEmpty();
  }

  @Test
  void reading_marksTheEntryUsed() throws IOException {
    Path f = entry("layers/v3/k/a.idx", Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(CacheFiles.read(f, MAGIC, 1)).isPresent();
    assertThat(Files.getLastModifiedTime(f).toInstant()).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
  }

  @Test
  void prune_deletesWhatWasNotUsedForAMonth_andAbandonedTemporaries_onceADay() throws IOException {
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    Path oldLayer = entry("layers/v3/k/old.idx", now.minus(Duration.ofDays(31)));
    Path oldResult = entry("results/v1/ab/old.res", now.minus(Duration.ofDays(45)));
    Path recent = entry("layers/v3/k/recent.idx", now.minus(Duration.ofDays(29)));
    Path fresh = entry("results/v1/cd/fresh.res", now.minus(Duration.ofDays(2)));
    Path abandoned = entry("layers/v3/k/.tmp-1.part", now.minus(Duration.ofHours(2)));
    Path writing = entry("layers/v3/k/.tmp-2.part", now.minus(Duration.ofMinutes(5)));
    Path foreign = entry("notes/old.txt", now.minus(Duration.ofDays(400)));
    Path oldPolicy = entry("policies/0123456789abcdef/checked", now.minus(Duration.ofDays(60)));

    assertThat(CacheFiles.pruneIfDue(root, MONTH, DAY, now)).isEqualTo(4);
    assertThat(oldPolicy).doesNotExist();
    assertThat(oldLayer).doesNotExist();
    assertThat(oldResult).doesNotExist();
    assertThat(abandoned).doesNotExist();
    assertThat(recent).exists();
    assertThat(writing).as("another run may be writing it").exists();
    assertThat(foreign).as("only the cache's own areas").exists();

    Path later = entry("layers/v3/k/later.idx", now.minus(Duration.ofDays(90)));
    assertThat(CacheFiles.pruneIfDue(root, MONTH, DAY, now.plus(Duration.ofHours(23)))).as("pruned less than a day ago")
        .isZero();
    assertThat(later).exists();
    // a day on: recent turned 30 days unused and the temporary was never finished
    assertThat(CacheFiles.pruneIfDue(root, MONTH, DAY, now.plus(Duration.ofHours(25)))).isEqualTo(3);
    assertThat(later).doesNotExist();
    assertThat(recent).doesNotExist();
    assertThat(writing).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void prune_withoutACache_createsNothing() {
    Path none = root.resolve("none");
    assertThat(CacheFiles.pruneIfDue(none, MONTH, DAY, Instant.now())).isZero();
    assertThat(none).doesNotExist();
  }
}
