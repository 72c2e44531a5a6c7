package org.cinelab.spark.state;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cinelab.io.StateStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Hadoop implementation on file: paths through Hadoop's LocalFileSystem, in each of its commit
 * methods (the object-store one too: on a local file system it shows the buffering, not S3's atomicity).
 */
class HadoopStateStorageTest {
    @TempDir java.nio.file.Path dir;

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private HadoopStateStorage storage(HadoopStateStorage.Commit commit) throws IOException {
        Configuration conf = new Configuration();
        HadoopStateStorage opened = HadoopStateStorage.open(dir.toUri(), conf);
        if (commit == opened.commit()) return opened;
        FileSystem fs = FileSystem.get(dir.toUri(), conf);
        return new HadoopStateStorage(fs, fs.makeQualified(new Path(dir.toUri())), conf, commit);
    }

    @Test
    void aFileUriUsesTheRawLocalFileSystemsRename() throws IOException {
        HadoopStateStorage storage = HadoopStateStorage.open(dir.toUri(), new Configuration());
        assertEquals(HadoopStateStorage.Commit.POSIX_RENAME, storage.commit());
        storage.write("trials/t01/state.json", bytes("{}"));
        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("trials/t01"))) {
            assertEquals(List.of("state.json"), files.map(p -> p.getFileName().toString()).toList(), "no .crc side files");
        }
    }

    @ParameterizedTest
    @EnumSource(HadoopStateStorage.Commit.class)
    void writesReadBackAndOverwritesReplaceTheWholeFile(HadoopStateStorage.Commit commit) throws IOException {
        HadoopStateStorage storage = storage(commit);
        storage.write("trials/t01/state.json", bytes("{\"epochsDone\":1}"));
        storage.write("trials/t01/state.json", bytes("{\"epochsDone\":2}"));
        assertEquals("{\"epochsDone\":2}", new String(storage.read("trials/t01/state.json").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), storage.read("trials/t09/state.json"));
    }

    @ParameterizedTest
    @EnumSource(HadoopStateStorage.Commit.class)
    void aFailingWriterLeavesTheOldContentAndNoVisibleTempFile(HadoopStateStorage.Commit commit) throws IOException {
        HadoopStateStorage storage = storage(commit);
        storage.write("trials/t01/checkpoint-1.bin", bytes("old"));
        IOException e = assertThrows(IOException.class, () -> storage.write("trials/t01/checkpoint-1.bin", out -> {
            out.write(bytes("half of the new"));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(bytes("old"), storage.read("trials/t01/checkpoint-1.bin").orElseThrow());
        assertEquals(List.of("checkpoint-1.bin"), storage.list("trials/t01"));
        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("trials/t01"))) {
            assertTrue(files.map(p -> p.getFileName().toString()).noneMatch(n -> n.endsWith(".tmp")), "temp file removed");
        }
    }

    @ParameterizedTest
    @EnumSource(HadoopStateStorage.Commit.class)
    void listAndDeleteWorkOnFolders(HadoopStateStorage.Commit commit) throws IOException {
        StateStorage storage = storage(commit);
        storage.write("trials/t02/state.json", bytes("b"));
        storage.write("trials/t01/state.json", bytes("a"));
        storage.write("experiment.json", bytes("e"));
        assertEquals(List.of("experiment.json", "trials"), storage.list(""));
        assertEquals(List.of("t01", "t02"), storage.list("trials"));
        assertEquals(List.of(), storage.list("missing"));
        assertTrue(storage.delete("trials/t01"));
        assertFalse(storage.delete("trials/t01"));
        assertEquals(List.of("t02"), storage.list("trials"));
    }

    @Test
    void aKeyOutsideTheFolderIsRefused() throws IOException {
        HadoopStateStorage storage = storage(HadoopStateStorage.Commit.POSIX_RENAME);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> storage.write("../x", bytes("x")));
        assertTrue(e.getMessage().contains("'../x'"), e.getMessage());
    }
}
