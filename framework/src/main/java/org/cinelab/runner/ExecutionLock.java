package org.cinelab.runner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One execution per state directory: an OS file lock on {@code <state dir>/lock}, holding who
 * took it (pid, host, start time, command). A second {@code cinelab run} of the same state
 * directory is refused at once and told who holds it. The OS drops the lock when its process
 * dies, so a lock file left by SIGKILL is taken over (and said so).
 */
public final class ExecutionLock implements AutoCloseable {
    static final String FILE = "lock";

    /** Another process holds the state directory. CLI exit code 2. */
    public static final class HeldException extends IllegalStateException {
        public HeldException(String message) { super(message); }
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final String previousOwner;

    private ExecutionLock(FileChannel channel, FileLock lock, String previousOwner) {
        this.channel = channel;
        this.lock = lock;
        this.previousOwner = previousOwner;
    }

    /** Takes the lock of {@code stateDir} (created if absent), or throws {@link HeldException} naming the holder. */
    public static ExecutionLock acquire(Path stateDir, String command) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;  // held by this JVM (another runner in the same process)
        }
        String owner = read(ch);
        if (l == null) {
            ch.close();
            throw new HeldException("another execution is using state directory " + stateDir + ": "
                    + (owner.isBlank() ? "(no owner recorded)" : owner)
                    + "; wait for it to end, or run with another --state-dir");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(describeSelf(command).getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new ExecutionLock(ch, l, owner.isBlank() ? null : owner);
    }

    /** Who held the lock before this process took it over (a process killed without releasing it), or null. */
    public String previousOwner() { return previousOwner; }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    }

    private static String describeSelf(String command) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", started "
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()) + ": " + command + "\n";
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // a read-only or full disk: the OS lock still goes with the channel
        }
        lock.release();
        channel.close();
    }
}
