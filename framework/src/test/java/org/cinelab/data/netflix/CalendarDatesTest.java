package org.cinelab.data.netflix;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CalendarDatesTest {
    private static long parse(String s) {
        return CalendarDates.epochDay(s.getBytes(StandardCharsets.US_ASCII), 0);
    }

    @Test
    void everyDayFrom1990To2010MatchesJavaTime() {
        for (LocalDate d = LocalDate.of(1990, 1, 1); d.getYear() < 2011; d = d.plusDays(1)) {
            assertEquals(d.toEpochDay(), parse(d.toString()), d.toString());
        }
    }

    @Test
    void impossibleOrMisshapenDatesAreInvalid() {
        for (String s : new String[] {"2005-02-29", "2004-13-01", "2004-00-10", "2004-04-31", "2004-01-00",
                "2004/01/01", "2004-1-011", "20a4-01-01", "1900-02-29"}) {
            assertEquals(CalendarDates.INVALID, parse(s), s);
        }
        assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), parse("2000-02-29"));
    }
}
