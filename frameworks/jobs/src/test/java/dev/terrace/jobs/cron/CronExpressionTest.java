package dev.terrace.jobs.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static ZonedDateTime at(String local, ZoneId zone) {
    return java.time.LocalDateTime.parse(local).atZone(zone);
  }

  private static String next(String cron, String after) {
    return CronExpression.parse(cron).next(at(after, UTC)).toLocalDateTime().toString();
  }

  @Test
  void everyMinuteIsTheNextWholeMinute() {
    assertThat(next("* * * * *", "2026-01-01T10:00:30")).isEqualTo("2026-01-01T10:01");
    assertThat(next("* * * * *", "2026-01-01T10:00")).isEqualTo("2026-01-01T10:01");
  }

  @Test
  void stepsRangesListsAndNames() {
    assertThat(next("*/15 * * * *", "2026-01-01T10:16")).isEqualTo("2026-01-01T10:30");
    assertThat(next("0 9-17/4 * * *", "2026-01-01T13:00")).isEqualTo("2026-01-01T17:00");
    assertThat(next("5,35 * * * *", "2026-01-01T10:06")).isEqualTo("2026-01-01T10:35");
    assertThat(next("0 0 1 JUN *", "2026-01-01T00:00")).isEqualTo("2026-06-01T00:00");
    // 2026-01-01 is a Thursday; the next Monday 08:00 is Jan 5.
    assertThat(next("0 8 * * MON", "2026-01-01T09:00")).isEqualTo("2026-01-05T08:00");
    assertThat(next("0 8 * * 7", "2026-01-01T09:00")).isEqualTo("2026-01-04T08:00");
    assertThat(next("0 8 * * mon-fri", "2026-01-02T09:00")).isEqualTo("2026-01-05T08:00");
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    // the 15th, or any Monday: after Thu Jan 1 comes Mon Jan 5 first
    assertThat(next("0 0 15 * 1", "2026-01-01T00:00")).isEqualTo("2026-01-05T00:00");
  }

  @Test
  void macrosAndLeapDays() {
    assertThat(next("@daily", "2026-01-01T10:00")).isEqualTo("2026-01-02T00:00");
    assertThat(next("@hourly", "2026-01-01T10:00")).isEqualTo("2026-01-01T11:00");
    assertThat(next("0 0 29 2 *", "2026-03-01T00:00")).isEqualTo("2028-02-29T00:00");
  }

  @Test
  void timeZonesAndDaylightSavingGaps() {
    ZoneId ny = ZoneId.of("America/New_York");
    ZonedDateTime n = CronExpression.parse("0 9 * * *").next(at("2026-01-01T10:00", ny));
    assertThat(n.toInstant().toString()).isEqualTo("2026-01-02T14:00:00Z");
    // 2026-03-08 02:30 does not exist in New York: that day has no such time, the next day has
    ZonedDateTime gap = CronExpression.parse("30 2 * * *").next(at("2026-03-07T03:00", ny));
    assertThat(gap.toLocalDateTime().toString()).isEqualTo("2026-03-09T02:30");
    // 2026-11-01 01:30 occurs twice: it fires at the first (EDT, -04:00)
    ZonedDateTime twice = CronExpression.parse("30 1 * * *").next(at("2026-10-31T03:00", ny));
    assertThat(twice.toInstant().toString()).isEqualTo("2026-11-01T05:30:00Z");
  }

  @Test
  void badExpressionsSayWhat() {
    assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> CronExpression.parse("60 * * * *")).hasMessageContaining("minute")
        .hasMessageContaining("outside 0-59");
    assertThatThrownBy(() -> CronExpression.parse("* * * FOO *")).hasMessageContaining("month");
    assertThatThrownBy(() -> CronExpression.parse("5-1 * * * *")).hasMessageContaining("backwards");
    assertThatThrownBy(() -> CronExpression.parse("@sometimes")).hasMessageContaining("macro");
    assertThatThrownBy(() -> CronExpression.parse("0 0 31 2 *").next(at("2026-01-01T00:00", UTC)))
        .hasMessageContaining("never matches");
  }
}
