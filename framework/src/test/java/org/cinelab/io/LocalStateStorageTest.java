package org.cinelab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class LocalStateStorageTest {
    @TempDir Path dir;

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void aWrittenFileReadsBackAndAnOverwriteReplacesIt() throws IOException {
        LocalStateStorage storage = new LocalStateStorage(dir);
        storage.write("trials/t01/state.json", bytes("{\"epochsDone\":1}"));
        storage.write("trials/t01/state.json", bytes("{\"epochsDone\":2}"));
        assertEquals("{\"epochsDone\":2}", new String(storage.read("trials/t01/state.json").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), storage.read("trials/t02/state.json"));
    }

    @Test
    void aWriterThatFailsLeavesTheOldContentAndNoTempFile() throws IOException {
        LocalStateStorage storage = new LocalStateStorage(dir);
        storage.write("trials/t01/checkpoint-1.bin", bytes("old"));
        IOException e = assertThrows(IOException.class, () -> storage.write("trials/t01/checkpoint-1.bin", out -> {
            out.write(bytes("half of the new"));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().endsWith("checkpoint-1.bin: disk full"), e.getMessage());
        assertArrayEquals(bytes("old"), storage.read("trials/t01/checkpoint-1.bin").orElseThrow());
        try (Stream<Path> files = Files.list(dir.resolve("trials/t01"))) {
            assertEquals(List.of("checkpoint-1.bin"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void listGivesSortedNamesWithoutHiddenOnesAndDeleteRemovesAFolder() throws IOException {
        LocalStateStorage storage = new LocalStateStorage(dir);
        storage.write("trials/t02/state.json", bytes("b"));
        storage.write("trials/t01/state.json", bytes("a"));
        storage.write("experiment.json", bytes("e"));
        Files.write(dir.resolve("trials/.cinelab-123.tmp"), bytes("partial"));
        assertEquals(List.of("experiment.json", "trials"), storage.list(""));
        assertEquals(List.of("t01", "t02"), storage.list("trials"));
        assertEquals(List.of(), storage.list("nothing/here"));
        assertTrue(storage.delete("trials/t01"));
        assertFalse(storage.delete("trials/t01"));
        assertEquals(List.of("t02"), storage.list("trials"));
    }

    @Test
    void keysThatLeaveTheFolderAreRefusedWithTheKeyInTheMessage() {
        LocalStateStorage storage = new LocalStateStorage(dir);
        for (String key : List.of("../escape", "/abs", "a//b", "a/./b", "", "a\\b", "dir/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> storage.write(key, bytes("x")), key);
            assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("trials/t07/state.json"), e.getMessage());
        }
    }
}
