package org.cinelab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Failures read as words with their file, never as Java class names. */
class UserMessagesTest {
    @TempDir Path tmp;

    @Test
    void fileSystemFailuresNameTheFileAndWhatWentWrong() {
        IOException missing = assertThrows(IOException.class, () -> Files.readString(tmp.resolve("nope.csv")));
        assertEquals(tmp.resolve("nope.csv") + ": no such file or directory", UserMessages.of(missing));
        assertEquals(tmp.resolve("nope.csv") + ": no such file or directory", UserMessages.of(new UncheckedIOException(missing)));
        assertEquals("/mnt/full/mlruns/0/meta.yaml: no space left on device",
                UserMessages.of(new FileSystemException("/mnt/full/mlruns/0/meta.yaml", null, "No space left on device")));
        assertEquals("/ro/state: permission denied (or a read-only file system)",
                UserMessages.of(new java.nio.file.AccessDeniedException("/ro/state")));
    }

    @Test
    void wrappedMessagesLoseTheClassNamesTheyRepeat() {
        assertEquals("Connection refused",
                UserMessages.of(new IOException(new java.net.ConnectException("Connection refused"))));
        assertEquals("could not deliver: Network is unreachable",
                UserMessages.of(new RuntimeException("could not deliver: java.net.SocketException: Network is unreachable")));
    }

    @Test
    void aFailureWithoutAnyMessageStillSaysSomethingUseful() {
        assertEquals("an unexpected internal error (set CINELAB_DEBUG=1 to see where)", UserMessages.of(new IllegalStateException()));
        assertEquals("out of memory: give Java more heap (e.g. CINELAB_JAVA_OPTS=-Xmx16g) or make the model or data smaller",
                UserMessages.of(new OutOfMemoryError("Java heap space")));
    }
}
