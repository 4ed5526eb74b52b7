package dev.terrace.jobs.cron;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) with
 * ranges ({@code 1-5}), steps ({@code *}{@code /15}, {@code 10-50/10}), lists ({@code 1,3,5}),
 * month and weekday names ({@code JAN}, {@code MON}; Sunday is 0 or 7) and the macros
 * {@code @yearly @monthly @weekly @daily @hourly}. As in Vixie cron, when both day fields are
 * restricted a day matches if either does.
 *
 * <p>Times are evaluated in the zone of the instant given to {@link #next}: the caller picks the
 * job's time zone. A local time that a daylight-saving jump skips does not occur, so it does not
 * fire that day; a local time that occurs twice fires once, at its first occurrence.
 */
public final class CronExpression {
  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
      "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  /** No expression that can match at all goes longer than this without a match (Feb 29 in 8 years). */
  private static final int MAX_YEARS = 9;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronExpression(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, null, "minute");
    this.hours = field(f[1], 0, 23, null, "hour");
    this.daysOfMonth = field(f[2], 1, 31, null, "day of month");
    this.months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.domRestricted = !f[2].startsWith("*");
    this.dowRestricted = !f[4].startsWith("*");
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the field and what is wrong with it
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty cron expression");
    }
    String t = text.trim();
    String expanded = t.startsWith("@") ? MACROS.get(t.toLowerCase(Locale.ROOT)) : t;
    if (expanded == null) {
      throw new IllegalArgumentException("unknown cron macro '" + t + "'");
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("cron expression '" + t
          + "' must have 5 fields (minute hour day-of-month month day-of-week), has " + fields.length);
    }
    return new CronExpression(t, fields);
  }

  /** The first time strictly after {@code after} (whole minutes) that matches, in its zone. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = after.plusYears(MAX_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalStateException("cron expression '" + text + "' never matches");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String spec, int min, int max, String[] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, null, 0, what, part);
        range = part.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw bad(what, part, "a range is low-high");
        }
        lo = number(ends[0], min, max, names, min, what, part);
        hi = number(ends[1], min, max, names, min, what, part);
        if (hi < lo) {
          throw bad(what, part, "the range runs backwards");
        }
      } else {
        lo = number(range, min, max, names, min, what, part);
        hi = slash >= 0 ? max : lo;
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, int min, int max, String[] names, int namesBase, String what,
      String part) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(s)) {
          return i + namesBase;
        }
      }
    }
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw bad(what, part, "'" + s + "' is not a number");
    }
    if (v < min || v > max) {
      throw bad(what, part, v + " is outside " + min + "-" + max);
    }
    return v;
  }

  private static IllegalArgumentException bad(String what, String part, String why) {
    return new IllegalArgumentException("bad " + what + " field '" + part + "' in cron expression: " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
