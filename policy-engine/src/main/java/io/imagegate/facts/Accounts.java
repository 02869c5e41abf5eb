package io.imagegate.facts;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The users (and groups) an image's {@code /etc/passwd} and {@code /etc/group} define.
 * Malformed lines are skipped, as glibc's parser skips them.
 */
public final class Accounts {
  private final Map<String, Long> uidByName = new HashMap<>();
  private final Map<Long, String> nameByUid = new HashMap<>();
  private final Map<String, Long> gidByName = new HashMap<>();

  private Accounts() {}

  /** Parses passwd and group content (group may be empty). */
  public static Accounts parse(byte[] passwd, byte[] group) {
    Accounts a = new Accounts();
    for (String line : new String(passwd, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 4 && !f[0].isEmpty() && !line.startsWith("#")) {
        parseId(f[2]).ifPresent(uid -> {
          a.uidByName.putIfAbsent(f[0], uid);
          a.nameByUid.putIfAbsent(uid, f[0]);
        });
      }
    }
    for (String line : new String(group, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && !f[0].isEmpty() && !line.startsWith("#")) {
        parseId(f[2]).ifPresent(gid -> a.gidByName.putIfAbsent(f[0], gid));
      }
    }
    return a;
  }

  /** Parses a non-negative decimal id. */
  public static Optional<Long> parseId(String text) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }

  /** The uid of user {@code name}. */
  public Optional<Long> uid(String name) {
    return Optional.ofNullable(uidByName.get(name));
  }

  /** The name of uid {@code uid}. */
  public Optional<String> userName(long uid) {
    return Optional.ofNullable(nameByUid.get(uid));
  }

  /** The gid of group {@code name}. */
  public Optional<Long> gid(String name) {
    return Optional.ofNullable(gidByName.get(name));
  }
}
