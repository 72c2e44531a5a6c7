package org.cinelab.spark.state;

import org.apache.hadoop.conf.Configuration;
import org.cinelab.io.LocalStateStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class StateStoragesTest {
    @TempDir Path dir;

    @Test
    void aPathOrAFileUriIsLocalStorage() throws IOException {
        assertInstanceOf(LocalStateStorage.class, StateStorages.open(dir.toString(), new Configuration()));
        LocalStateStorage fromUri = (LocalStateStorage) StateStorages.open("file://" + dir, new Configuration());
        assertEquals(dir.toAbsolutePath().normalize(), fromUri.root());
        assertFalse(StateStorages.isClusterFileSystem("file:///x"));
        assertTrue(StateStorages.isClusterFileSystem("hdfs://nn:8020/x"));
    }

    @Test
    void aFileUriOnAnotherHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateStorages.open("file://fileserver/state", new Configuration()));
        assertTrue(e.getMessage().contains("fileserver") && e.getMessage().contains("file:///"), e.getMessage());
    }

    @Test
    void aSchemeWithoutItsHadoopConnectorSaysWhichOneIsMissing() {
        IOException e = assertThrows(IOException.class, () -> StateStorages.open("s3a://bucket/state", new Configuration()));
        assertTrue(e.getMessage().contains("s3a") && e.getMessage().contains("hadoop-aws"), e.getMessage());
    }
}
