package org.cinelab.runner;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Ctrl-C's hook: the trials are asked to stop; the hook closes the runs itself only when the runner did not in time. */
class InterruptionTest {
    @Test
    void aRunnerStillFinishingATrialAfterTheGracePeriodHasItsRunsClosedByTheHook() {
        AtomicInteger stops = new AtomicInteger(), closed = new AtomicInteger();
        Interruption i = new Interruption(stops::incrementAndGet, 50, closed::incrementAndGet);
        assertFalse(i.fired(), "no Ctrl-C yet: a failure now is the run's own");
        i.hook.run(); // as the JVM runs it, with the runner still busy
        assertTrue(i.fired(), "after Ctrl-C a failure is the shutdown's doing");
        assertEquals(1, stops.get(), "the trials were asked to stop");
        assertEquals(1, closed.get(), "the open runs were closed before the JVM halts");
    }

    @Test
    void aRunnerThatClosedItsRunsLeavesTheHookNothingToDo() throws Exception {
        AtomicInteger stops = new AtomicInteger(), closed = new AtomicInteger();
        Interruption i = new Interruption(stops::incrementAndGet, 60_000, closed::incrementAndGet);
        i.hook.start();
        i.done();
        i.hook.join(10_000);
        assertFalse(i.hook.isAlive(), "the hook returns as soon as the runner is done, not after the grace period");
        assertEquals(1, stops.get());
        assertEquals(0, closed.get());
    }
}
