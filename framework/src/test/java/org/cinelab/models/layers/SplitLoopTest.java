package org.cinelab.models.layers;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SplitLoopTest {
    record Call(int lane, int from, int to, Thread thread) {}

    private static List<Call> calls(int threads, int n, int align, long work) {
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        SplitLoop.run(threads, n, align, work, (lane, from, to) -> calls.add(new Call(lane, from, to, Thread.currentThread())));
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort(java.util.Comparator.comparingInt(Call::from));
        return sorted;
    }

    @Test
    void aLongPassIsCutIntoAlignedRangesThatCoverItOnceEachOnItsOwnLane() {
        int n = 100_003, align = 64;
        List<Call> calls = calls(3, n, align, n);
        assertEquals(3, calls.size(), calls.toString());
        int expectedFrom = 0;
        for (Call c : calls) {
            assertEquals(expectedFrom, c.from(), "ranges follow each other without a gap or overlap");
            assertEquals(0, c.from() % align, "a range starts on a multiple of the alignment");
            assertTrue(c.to() > c.from());
            expectedFrom = c.to();
        }
        assertEquals(n, expectedFrom);
        assertEquals(List.of(0, 1, 2), calls.stream().map(Call::lane).toList());
        assertSame(Thread.currentThread(), calls.get(0).thread(), "lane 0 is the caller");
        // a helper that had not started its range when the caller finished its own left it to the caller
        if (calls.get(1).thread() != Thread.currentThread()) assertNotSame(calls.get(1).thread(), calls.get(2).thread());
    }

    /**
     * A parked helper takes tens of microseconds to wake, the caller's range here takes less: the caller
     * then takes the helper's range back and runs it as that lane. Every range still runs once, on its lane.
     */
    @Test
    void theCallerRunsARangeItsHelperHasNotStarted() throws Exception {
        Thread me = Thread.currentThread();
        int takenBack = 0;
        for (int pass = 0; pass < 200 && takenBack == 0; pass++) {
            Thread.sleep(1); // past the helper's spin: it parks
            List<Call> calls = calls(2, 40_000, 16, 40_000);
            assertEquals(List.of(0, 1), calls.stream().map(Call::lane).toList());
            assertEquals(List.of(0, 20_000, 20_000, 40_000), List.of(calls.get(0).from(), calls.get(0).to(), calls.get(1).from(), calls.get(1).to()));
            assertSame(me, calls.get(0).thread());
            if (calls.get(1).thread() == me) takenBack++;
        }
        assertTrue(takenBack > 0, "in 200 passes the caller never ran the range of a parked helper");
        assertTrue(ComputeLanes.tryAcquire(1), "the helpers are free");
        ComputeLanes.awaitAndRelease(1);
        assertEquals(2, calls(2, 40_000, 16, 40_000).size(), "and take work again");
    }

    @Test
    void anOddCountGivesOneRangePerThreadNotOneMore() {
        // half of 65,537 rounded down is 32,768: ranges of that size would need a third lane
        List<Call> rows = calls(2, 65_537, 1, 65_537);
        assertEquals(2, rows.size(), rows.toString());
        assertEquals(65_537, rows.get(1).to());
        List<Call> columns = calls(2, 513, 16, 513L * 128);
        assertEquals(2, columns.size(), columns.toString());
        assertEquals(513, columns.get(1).to());
    }

    @Test
    void shortPassesAndOneThreadRunOnTheCallerInOneRange() {
        Call whole = new Call(0, 0, 1000, Thread.currentThread());
        assertEquals(List.of(whole), calls(2, 1000, 16, 1000));
        Call columns = new Call(0, 0, 500, Thread.currentThread());
        assertEquals(List.of(columns), calls(2, 500, 16, 500L * 10), "500 columns of 10 rows: too little work");
        assertEquals(2, calls(2, 500, 16, 500L * 128).size(), "500 columns of 128 rows are split");
        assertEquals(List.of(new Call(0, 0, 100_000, Thread.currentThread())), calls(1, 100_000, 16, 100_000));
    }

    @Test
    void whileOtherWorkHoldsTheHelpersTheCallerRunsTheSameRangesInTurn() throws Exception {
        Thread me = Thread.currentThread();
        HeldLanes.whileHeld(() -> assertEquals(List.of(new Call(0, 0, 50_000, me), new Call(1, 50_000, 100_000, me)),
                calls(2, 100_000, 16, 100_000)));
    }

    @Test
    void aHelpersFailureReachesTheCallerAndFreesTheHelpers() {
        var e = assertThrows(IllegalStateException.class, () -> SplitLoop.run(2, 100_000, 16, (lane, from, to) -> {
            if (lane == 1) throw new IllegalStateException("lane 1 failed at " + from);
        }));
        assertTrue(e.getMessage().startsWith("lane 1 failed at "), e.getMessage());
        assertTrue(ComputeLanes.tryAcquire(1), "the helpers are free again");
        ComputeLanes.awaitAndRelease(1);
    }

    /**
     * A body that runs a pass of its own while the helpers have the outer pass's ranges: the inner pass
     * must not hand work to a helper that is busy (it runs its ranges in turn), and the outer pass must
     * still wait for its helper's range.
     */
    @Test
    void aPassInsideAPassRunsItsRangesInTurnAndTheOuterStillWaitsForItsHelper() {
        List<Call> inner = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean helperDone = new java.util.concurrent.atomic.AtomicBoolean();
        SplitLoop.run(2, 100_000, 16, (lane, from, to) -> {
            if (lane == 1) {
                try {
                    Thread.sleep(20); // still busy when the caller's nested pass starts
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                helperDone.set(true);
            } else {
                SplitLoop.run(2, 60_000, 16, (l, f, t) -> inner.add(new Call(l, f, t, Thread.currentThread())));
            }
        });
        assertTrue(helperDone.get(), "the outer pass returned before its helper's range was done");
        List<Call> sorted = new ArrayList<>(inner);
        sorted.sort(java.util.Comparator.comparingInt(Call::from));
        Thread me = Thread.currentThread();
        assertEquals(List.of(new Call(0, 0, 30_000, me), new Call(1, 30_000, 60_000, me)), sorted);
        assertTrue(ComputeLanes.tryAcquire(1), "the helpers are free again");
        ComputeLanes.awaitAndRelease(1);
    }
}
