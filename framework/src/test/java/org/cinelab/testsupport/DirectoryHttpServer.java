package org.cinelab.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a directory over HTTP on 127.0.0.1 (an ephemeral port) for download tests: GET of a file,
 * 404 for anything else, {@code Range: bytes=N-} answered with 206, and an optional one-shot
 * connection cut after a number of bytes to simulate an interrupted download.
 */
public final class DirectoryHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it; {@code range} is null when none was sent. */
    public record Request(String path, String range, int status) {}

    private final Path root;
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile long cutAfterBytes = -1;
    private volatile int nextStatus = -1;

    public DirectoryHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next response body stops after {@code bytes} bytes and the connection is closed. */
    public void cutNextResponseAfter(long bytes) { cutAfterBytes = bytes; }

    /** The next request is answered with {@code status} and no body. */
    public void answerNextWith(int status) { nextStatus = status; }

    public List<Request> requests() { return List.copyOf(requests); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String rawPath = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            Path file = root.resolve(rawPath.substring(1)).normalize();
            String range = ex.getRequestHeaders().getFirst("Range");
            int forced = nextStatus;
            nextStatus = -1;
            if (forced > 0) {
                requests.add(new Request(rawPath, range, forced));
                ex.sendResponseHeaders(forced, -1);
                return;
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                requests.add(new Request(rawPath, range, 404));
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int status = 200;
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                if (m.matches()) {
                    start = (int) Long.parseLong(m.group(1));
                    if (start >= bytes.length) {
                        requests.add(new Request(rawPath, range, 416));
                        ex.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    status = 206;
                    ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
                }
            }
            requests.add(new Request(rawPath, range, status));
            int length = bytes.length - start;
            ex.sendResponseHeaders(status, length);
            long cut = cutAfterBytes;
            cutAfterBytes = -1;
            OutputStream out = ex.getResponseBody();
            if (cut >= 0 && cut < length) {
                out.write(bytes, start, (int) cut);
                out.flush();
                return;
            }
            out.write(bytes, start, length);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
