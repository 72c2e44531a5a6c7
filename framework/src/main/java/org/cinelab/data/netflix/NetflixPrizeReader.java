package org.cinelab.data.netflix;

import org.cinelab.data.RatingTable;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Reads Netflix Prize ratings in their original text format: Kaggle's {@code combined_data_*.txt}
 * and the per-movie {@code training_set/mv_*.txt} files, which share one layout (a {@code MovieID:}
 * line, then {@code CustomerID,Rating,YYYY-MM-DD} lines).
 *
 * <p>Built for the full 100M ratings in a few GB of heap: files are cut into chunks at line
 * boundaries and parsed from bytes in parallel, without a String per line. A first pass counts
 * lines per chunk, so the output columns are allocated once at their final size and every chunk
 * writes its own slice; a chunk that starts inside a movie takes the movie of the last
 * {@code MovieID:} line before it. Malformed lines fail or are skipped and counted
 * ({@link OnError}); blank lines are ignored.
 */
public final class NetflixPrizeReader {
    /** How many skipped-line descriptions {@link NetflixPrizeRatings#problems()} keeps. */
    public static final int MAX_REPORTED_PROBLEMS = 20;
    public static final int DEFAULT_CHUNK_BYTES = 32 << 20;

    private final OnError onError;
    private final int threads;
    private final int chunkBytes;

    /** Fails on the first malformed line, one thread per core, 32 MiB chunks. */
    public NetflixPrizeReader() {
        this(OnError.FAIL, Runtime.getRuntime().availableProcessors(), DEFAULT_CHUNK_BYTES);
    }

    public NetflixPrizeReader(OnError onError, int threads, int chunkBytes) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        if (chunkBytes < 1) throw new IllegalArgumentException("chunkBytes must be >= 1, was " + chunkBytes);
        this.onError = onError;
        this.threads = threads;
        this.chunkBytes = chunkBytes;
    }

    public NetflixPrizeReader onError(OnError mode) { return new NetflixPrizeReader(mode, threads, chunkBytes); }

    public NetflixPrizeReader threads(int n) { return new NetflixPrizeReader(onError, n, chunkBytes); }

    public NetflixPrizeReader chunkBytes(int n) { return new NetflixPrizeReader(onError, threads, n); }

    /** Reads the per-movie files {@code mv_*.txt} of a {@code training_set} folder, in name order. */
    public NetflixPrizeRatings readTrainingSet(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("mv_") && n.endsWith(".txt");
            }).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException(dir + ": no mv_*.txt files (expected a Netflix Prize training_set folder)");
        return read(files);
    }

    /** Reads {@code combined_data_*.txt} or {@code mv_*.txt} files, in the given order. */
    public NetflixPrizeRatings read(List<Path> files) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "netflix-prize-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            return read(files, pool);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + files, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private NetflixPrizeRatings read(List<Path> files, ExecutorService pool) throws IOException, InterruptedException {
        List<Chunk> chunks = new ArrayList<>();
        for (Path f : files) chunks.addAll(plan(f));
        ThreadLocal<byte[]> buffers = new ThreadLocal<>();

        List<ChunkCounts> counts = all(pool, chunks.stream()
                .map(c -> (Callable<ChunkCounts>) () -> ChunkCounts.of(c, readChunk(c, buffers))).toList());

        long totalSlots = 0;
        long[] offsets = new long[chunks.size()];
        long[] firstLines = new long[chunks.size()];
        int[] startMovies = new int[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            boolean newFile = i == 0 || chunks.get(i).chunkInFile() == 0;
            firstLines[i] = newFile ? 1 : firstLines[i - 1] + counts.get(i - 1).newlines();
            startMovies[i] = newFile ? RatingChunkParser.NO_MOVIE
                    : counts.get(i - 1).lastMovie() != RatingChunkParser.NO_MOVIE ? counts.get(i - 1).lastMovie()
                    : startMovies[i - 1];
            offsets[i] = totalSlots;
            totalSlots += counts.get(i).ratingSlots();
        }
        if (totalSlots > Integer.MAX_VALUE - 16) {
            throw new IOException(files + ": " + totalSlots + " rating lines, more than one table can hold");
        }
        int capacity = (int) totalSlots;
        int[] rawUsers = new int[capacity];
        int[] rawItems = new int[capacity];
        float[] allRatings = new float[capacity];
        long[] allTimes = new long[capacity];

        List<Callable<RatingChunkParser.Result>> parses = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            int offset = (int) offsets[i];
            int slots = counts.get(i).ratingSlots();
            long firstLine = firstLines[i];
            int startMovie = startMovies[i];
            parses.add(() -> new RatingChunkParser(c.file(), onError, rawUsers, rawItems, allRatings, allTimes)
                    .parse(readChunk(c, buffers), c.length(), firstLine, startMovie, offset, slots));
        }
        List<RatingChunkParser.Result> results = all(pool, parses);

        int size = 0;
        long skipped = 0;
        int maxUser = 0;
        int maxMovie = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            RatingChunkParser.Result r = results.get(i);
            if (size != offsets[i] && r.written() > 0) {
                int from = (int) offsets[i];
                System.arraycopy(rawUsers, from, rawUsers, size, r.written());
                System.arraycopy(rawItems, from, rawItems, size, r.written());
                System.arraycopy(allRatings, from, allRatings, size, r.written());
                System.arraycopy(allTimes, from, allTimes, size, r.written());
            }
            size += r.written();
            skipped += r.skipped();
            maxUser = Math.max(maxUser, r.maxUser());
            maxMovie = Math.max(maxMovie, r.maxMovie());
            for (String p : r.problems()) if (problems.size() < MAX_REPORTED_PROBLEMS) problems.add(p);
        }
        boolean trim = size < capacity;
        int[] users = trim ? Arrays.copyOf(rawUsers, size) : rawUsers;
        int[] items = trim ? Arrays.copyOf(rawItems, size) : rawItems;
        float[] ratings = trim ? Arrays.copyOf(allRatings, size) : allRatings;
        long[] times = trim ? Arrays.copyOf(allTimes, size) : allTimes;
        try {
            IdMap userIds = IdMap.densifyInPlace(users, maxUser, pool, threads);
            IdMap movieIds = IdMap.densifyInPlace(items, maxMovie, pool, threads);
            return new NetflixPrizeRatings(new RatingTable(users, items, ratings, times), userIds, movieIds,
                    files, skipped, problems);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Cuts a file into chunks that end just after a line break (or at the end of the file). */
    private List<Chunk> plan(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = encodingPreambleLength(file, ch);
            List<Chunk> out = new ArrayList<>();
            ByteBuffer probe = ByteBuffer.allocate(1 << 14);
            while (start < size || out.isEmpty()) {
                long end = Math.min(size, start + chunkBytes);
                if (end < size) end = afterNextLineBreak(ch, end - 1, size, probe);
                if (end - start > Integer.MAX_VALUE - 16) {
                    throw new IOException(file + ": a line longer than 2 GB at byte " + start + " (not a Netflix Prize file?)");
                }
                out.add(new Chunk(file, out.size(), start, (int) (end - start)));
                start = end;
            }
            return out;
        }
    }

    /** Bytes to skip before the text: 3 for a UTF-8 byte-order mark; UTF-16/32 text is refused. */
    private static int encodingPreambleLength(Path file, FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4);
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) { /* fill */ }
        byte[] b = Arrays.copyOf(head.array(), head.position());
        int n = b.length;
        if (n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) return 3;
        boolean utf16Bom = n >= 2 && ((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF || (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE);
        boolean nul = false;
        for (byte x : b) nul |= x == 0;
        if (utf16Bom || nul) {
            throw new MalformedDataException(file, 1, "unknown encoding: "
                    + (utf16Bom ? "UTF-16 byte-order mark" : "NUL bytes (UTF-16 or binary?)")
                    + " (expected ASCII text: MovieID: and CustomerID,Rating,YYYY-MM-DD lines)",
                    new String(b, StandardCharsets.ISO_8859_1));
        }
        return 0;
    }

    private static long afterNextLineBreak(FileChannel ch, long from, long size, ByteBuffer probe) throws IOException {
        long pos = from;
        while (pos < size) {
            probe.clear();
            int n = ch.read(probe, pos);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) if (probe.get(i) == '\n') return pos + i + 1;
            pos += n;
        }
        return size;
    }

    private static byte[] readChunk(Chunk c, ThreadLocal<byte[]> buffers) throws IOException {
        byte[] buf = buffers.get();
        if (buf == null || buf.length < c.length()) {
            buf = new byte[c.length()];
            buffers.set(buf);
        }
        try (FileChannel ch = FileChannel.open(c.file(), StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, c.length());
            while (bb.hasRemaining()) {
                if (ch.read(bb, c.start() + bb.position()) < 0) {
                    throw new EOFException(c.file() + ": file shrank while being read");
                }
            }
        }
        return buf;
    }

    private static <T> List<T> all(ExecutorService pool, List<Callable<T>> tasks) throws IOException, InterruptedException {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) futures.add(pool.submit(t));
        List<T> out = new ArrayList<>(futures.size());
        try {
            for (Future<T> f : futures) out.add(f.get());
        } catch (ExecutionException e) {
            for (Future<T> f : futures) f.cancel(true);
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
        return out;
    }

    private record Chunk(Path file, int chunkInFile, long start, int length) {}

    /** First pass over a chunk: line and header counts, and the movie in force at its end. */
    private record ChunkCounts(long newlines, int ratingSlots, int lastMovie) {
        static ChunkCounts of(Chunk c, byte[] b) {
            int n = c.length();
            long newlines = 0;
            long headers = 0;
            int lastMovie = RatingChunkParser.NO_MOVIE;
            boolean colon = false;
            int lineStart = 0;
            for (int i = 0; i < n; i++) {
                byte x = b[i];
                if (x == '\n') {
                    if (colon) {
                        headers++;
                        lastMovie = RatingChunkParser.headerMovie(b, lineStart, i);
                        colon = false;
                    }
                    newlines++;
                    lineStart = i + 1;
                } else if (x == ':') {
                    colon = true;
                }
            }
            long lines = newlines;
            if (lineStart < n) {
                lines++;
                if (colon) {
                    headers++;
                    lastMovie = RatingChunkParser.headerMovie(b, lineStart, n);
                }
            }
            return new ChunkCounts(newlines, (int) (lines - headers), lastMovie);
        }
    }
}
