package org.cinelab.tracking.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One JDBC connection to a SQLite file, shared by the threads of one store under a lock (SQLite
 * has one writer at a time anyway). Every write is one {@code BEGIN IMMEDIATE} transaction, so it
 * takes the write lock before reading what it checks and another process never sees half of it;
 * every read is one deferred transaction, a consistent snapshot. Waits for other processes' locks
 * up to the busy timeout, then fails with a message that names the file and what to do.
 */
final class SqliteDatabase implements AutoCloseable {
    /** How long a write waits for another process's lock (MLflow's own sessions wait 20 s). */
    static final int DEFAULT_BUSY_TIMEOUT_MS = 30_000;

    /** A unit of work inside one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    private final Path file;
    private final Connection connection;
    private final boolean readOnly;
    private final int busyTimeoutMs;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteDatabase(Path file, Connection connection, boolean readOnly, int busyTimeoutMs) {
        this.file = file;
        this.connection = connection;
        this.readOnly = readOnly;
        this.busyTimeoutMs = busyTimeoutMs;
    }

    /** Opens (SQLite creates an absent file unless {@code readOnly}) with foreign keys enforced, as MLflow's sessions do. */
    static SqliteDatabase open(Path file, boolean readOnly, int busyTimeoutMs) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
        config.setReadOnly(readOnly);
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + file);
            return new SqliteDatabase(file, connection, readOnly, busyTimeoutMs);
        } catch (SQLException e) {
            throw new IOException(explain("open", file, e, busyTimeoutMs), e);
        }
    }

    Path file() {
        return file;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    /** Runs {@code work} in one read transaction. */
    <T> T read(String what, Work<T> work) throws IOException {
        return inTransaction("BEGIN", what, work);
    }

    /** Runs {@code work} in one write transaction; on any failure nothing of it is kept. */
    <T> T write(String what, Work<T> work) throws IOException {
        if (readOnly) {
            throw new IOException("cannot " + what + ": the tracking database " + file + " was opened read-only");
        }
        return inTransaction("BEGIN IMMEDIATE", what, work);
    }

    /** Runs a statement outside any transaction (PRAGMAs that refuse to run inside one). */
    String pragma(String sql) throws IOException {
        lock.lock();
        try (Statement s = connection.createStatement()) {
            if (!s.execute(sql)) return null;
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IOException(explain("run " + sql + " on", file, e, busyTimeoutMs), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #pragma} for a statement SQLite may refuse at once, without its busy timeout, while another
     * connection writes: switching to the write-ahead log needs the database to itself, and SQLite answers
     * SQLITE_BUSY straight away where waiting could deadlock (a process creating the schema at the same
     * moment). Tried again every 10 ms until the busy timeout has passed.
     */
    String pragmaWaitingForWriters(String sql) throws IOException {
        long deadline = System.nanoTime() + busyTimeoutMs * 1_000_000L;
        while (true) {
            try {
                return pragma(sql);
            } catch (IOException e) {
                boolean busy = e.getCause() instanceof SQLException failure && locked(primaryCode(failure));
                if (!busy || System.nanoTime() >= deadline) throw e;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T inTransaction(String begin, String what, Work<T> work) throws IOException {
        lock.lock();
        try {
            try (Statement s = connection.createStatement()) {
                s.execute(begin);
            } catch (SQLException e) {
                throw new IOException(explain(what, file, e, busyTimeoutMs), e);
            }
            try {
                T result = work.run(connection);
                try (Statement s = connection.createStatement()) {
                    s.execute("COMMIT");
                }
                return result;
            } catch (SQLException e) {
                rollback();
                throw new IOException(explain(what, file, e, busyTimeoutMs), e);
            } catch (IOException | RuntimeException | Error e) {
                rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** SQLite may have rolled back already (e.g. after SQLITE_FULL); then there is nothing to undo. */
    private void rollback() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
            // "cannot rollback - no transaction is active": SQLite undid it itself
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(explain("close", file, e, busyTimeoutMs), e);
        } finally {
            lock.unlock();
        }
    }

    /** SQLite's primary result code of a failure, or -1 when it did not come from SQLite. */
    static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) return se.getResultCode().code & 0xFF;
        return -1;
    }

    /** Whether a primary result code says another connection held the database (busy or locked). */
    private static boolean locked(int code) {
        return code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    /** A message for people: what failed, on which file, the likely cause and what to do; no class names. */
    static String explain(String what, Path file, SQLException e, int busyTimeoutMs) {
        String sqlite = sqliteText(e);
        int code = primaryCode(e);
        String prefix = "could not " + what + " the tracking database " + file + ": ";
        if (locked(code)) {
            return prefix + "it stayed locked by another writer for " + (busyTimeoutMs / 1000.0) + " s (SQLite: " + sqlite
                    + "). Another process holds a write transaction on it: an MLflow server upgrading it, a sqlite3 "
                    + "shell inside BEGIN, or another program. Close that transaction and run again (with --resume "
                    + "if runs were interrupted)";
        }
        if (code == SQLiteErrorCode.SQLITE_READONLY.code) {
            return prefix + "it is read-only (SQLite: " + sqlite + "). Check the permissions of the file and of its "
                    + "directory (SQLite writes a journal beside it), a read-only mount or an immutable file "
                    + "(lsattr), or choose another location with --tracking-uri sqlite:///other.db";
        }
        if (code == SQLiteErrorCode.SQLITE_FULL.code) {
            return prefix + "the database or its disk is full (SQLite: " + sqlite + "). Nothing of this write was kept. "
                    + "Free space on the disk holding " + file.getParent() + " and run again with --resume";
        }
        if (code == SQLiteErrorCode.SQLITE_IOERR.code) {
            return prefix + "the disk reported an I/O error (SQLite: " + sqlite + "); check that " + file.getParent()
                    + " is on a local, writable, not full disk (SQLite databases do not work reliably on network file systems)";
        }
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code || code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return prefix + "it is not an SQLite database, or it is damaged (SQLite: " + sqlite + "). A sqlite: tracking "
                    + "URI must name an MLflow database, or a path where CineLab may create one";
        }
        if (code == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return prefix + "SQLite cannot open it (SQLite: " + sqlite + "); check that its directory exists and is "
                    + "writable, and that the path is not a directory";
        }
        return prefix + sqlite;
    }

    private static String sqliteText(SQLException e) {
        String message = e.getMessage() == null ? "unknown error" : e.getMessage();
        return message.replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
    }
}
