package org.cinelab.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A benchmark option with a bad or missing value is bad input that names the value and the benchmark's options. */
class BenchCommandTest {
    @Test
    void aValueThatIsNotANumberOrIsMissingIsBadInput() {
        CliTest.Outcome o = CliTest.run("bench", "s1", "--lengths", "abc");
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("bench s1: 'abc' is not a number") && o.err().contains("[--lengths 100,1500]"), o.err());
        assertFalse(o.err().contains("For input string"), o.err());

        o = CliTest.run("bench", "models", "--epochs");
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("bench models: the last option has no value") && o.err().contains("[--epochs N"), o.err());
    }
}
