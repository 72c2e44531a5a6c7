package org.cinelab.data.netflix;

/** Allocation-free {@code YYYY-MM-DD} checks and epoch-day arithmetic (proleptic Gregorian, as java.time). */
final class CalendarDates {
    static final long SECONDS_PER_DAY = 86_400L;
    static final long INVALID = Long.MIN_VALUE;
    private static final long DAYS_0000_TO_1970 = 719_528L;

    private CalendarDates() {}

    /** Epoch day of the 10 bytes at {@code p} as {@code YYYY-MM-DD}, or {@link #INVALID}. */
    static long epochDay(byte[] b, int p) {
        int y0 = b[p] - '0', y1 = b[p + 1] - '0', y2 = b[p + 2] - '0', y3 = b[p + 3] - '0';
        int m0 = b[p + 5] - '0', m1 = b[p + 6] - '0', d0 = b[p + 8] - '0', d1 = b[p + 9] - '0';
        if (b[p + 4] != '-' || b[p + 7] != '-' || (y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) >>> 31 != 0
                || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) {
            return INVALID;
        }
        return epochDay(y0 * 1000 + y1 * 100 + y2 * 10 + y3, m0 * 10 + m1, d0 * 10 + d1);
    }

    /** Epoch day of a valid date, or {@link #INVALID} when month or day is out of range. */
    static long epochDay(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) return INVALID;
        long y = year;
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) total--;
        }
        return total - DAYS_0000_TO_1970;
    }

    static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
