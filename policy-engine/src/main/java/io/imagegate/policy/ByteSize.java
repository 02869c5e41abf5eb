package io.imagegate.policy;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human byte sizes: {@code 100MB}, {@code 60MiB}, {@code 5 MB}, {@code 1.5GB}, {@code 1024}.
 * SI units are powers of 1000 and IEC units ({@code KiB}, {@code MiB}…) powers of 1024, as
 * Docker and dive print them.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]i?[bB]|[bB])?");

  private ByteSize() {}

  /** Parses a size; throws {@link IllegalArgumentException} saying what is expected. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (expected a number with a unit such as 100MB, 60MiB, 5 GB or 2048)");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor = switch (unit.toUpperCase(Locale.ROOT)) {
      case "B" -> 1L;
      case "KB" -> 1000L;
      case "MB" -> 1000L * 1000;
      case "GB" -> 1000L * 1000 * 1000;
      case "TB" -> 1000L * 1000 * 1000 * 1000;
      case "KIB" -> 1L << 10;
      case "MIB" -> 1L << 20;
      case "GIB" -> 1L << 30;
      case "TIB" -> 1L << 40;
      default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit " + unit);
    };
    return number.multiply(BigDecimal.valueOf(factor)).longValue();
  }

  /** Formats bytes with SI units and one decimal: {@code 812.4 MB}, {@code 4.2 kB}, {@code 512 B}. */
  public static String format(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
