package org.cinelab.data.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies an http(s) or file: URL into a {@code .part} file and resumes a partial one: over HTTP it
 * asks for the missing bytes with a {@code Range} header (a server that ignores it is answered by
 * starting over). An interrupted transfer leaves the {@code .part} file for the next attempt.
 */
final class Downloader {
    private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final PrintStream progress;

    Downloader(PrintStream progressOrNull) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(CONNECT_TIMEOUT).build();
        this.progress = progressOrNull;
    }

    /**
     * Completes {@code part} from {@code source}.
     *
     * @return false when the source does not exist (HTTP 404 or no such file); {@code part} is then untouched
     */
    boolean download(URI source, Path part, String label) throws IOException {
        Files.createDirectories(part.getParent());
        return "file".equalsIgnoreCase(source.getScheme()) ? copyFile(Path.of(source), part, label) : fetchHttp(source, part, label);
    }

    private boolean copyFile(Path source, Path part, String label) throws IOException {
        long total;
        try {
            total = Files.size(source);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (Files.isDirectory(source)) return false;
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > total) {
            Files.delete(part);
            have = 0;
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            in.position(have);
            transfer(Channels.newInputStream(in), out, have, total, label, source.toString());
        }
        return true;
    }

    private boolean fetchHttp(URI source, Path part, String label) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(10)).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("download of " + source + " interrupted");
        } catch (IOException e) {
            throw new NetworkFailure.DownloadFailedException(source, NetworkFailure.describe(e, source, CONNECT_TIMEOUT), e);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 404 || status == 410) return false;
            if (status == 416 && have > 0) {
                Optional<Long> total = response.headers().firstValue("Content-Range").map(Downloader::totalOf);
                if (total.isPresent() && total.get() == have) return true;
                Files.delete(part);
                return fetchHttp(source, part, label);
            }
            if (status != 200 && status != 206) {
                throw new NetworkFailure.DownloadFailedException(source, "the server answered HTTP " + status, null);
            }
            boolean append = status == 206;
            long start = append ? have : 0;
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = length < 0 ? -1 : start + length;
            if (append) {
                Long fromRange = response.headers().firstValue("Content-Range").map(Downloader::totalOf).orElse(null);
                if (fromRange != null) total = fromRange;
            }
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                transfer(body, out, start, total, label, source.toString());
            }
        }
        return true;
    }

    private static Long totalOf(String contentRange) {
        Matcher m = CONTENT_RANGE_TOTAL.matcher(contentRange.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : null;
    }

    private void transfer(InputStream in, OutputStream out, long start, long total, String label, String source) throws IOException {
        ProgressBar bar = new ProgressBar(progress, label, total);
        long done = start;
        byte[] buf = new byte[1 << 16];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                bar.update(done);
            }
        } catch (IOException e) {
            bar.finish(done);
            throw new DatasetException("download of " + source + " broke off after " + done + " of "
                    + (total < 0 ? "?" : Long.toString(total)) + " bytes (" + e.getMessage() + "); run the command again to resume", e);
        }
        bar.finish(done);
        if (total >= 0 && done < total) {
            throw new DatasetException("download of " + source + " broke off after " + done + " of " + total
                    + " bytes; run the command again to resume");
        }
    }
}
