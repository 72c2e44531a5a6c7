package org.cinelab.spark;

import com.sun.net.httpserver.HttpServer;
import org.cinelab.data.Checksums;
import org.cinelab.data.catalog.CatalogEntry;
import org.cinelab.data.catalog.DatasetCatalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A dataset "toy" (one ratings file in toy/) served as toy.zip over HTTP on 127.0.0.1, slowly (so two
 * executors that ask at once overlap), counting how often the archive is downloaded.
 */
final class ToyMirror implements AutoCloseable {
    static final byte[] RATINGS;

    static {
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 3000; i++) sb.append(1 + rnd.nextInt(50)).append('\t').append(1 + rnd.nextInt(80)).append('\t').append(1 + rnd.nextInt(5)).append('\n');
        RATINGS = sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What an executor needs to rebuild the catalog entry: plain strings travel with the task. */
    record Entry(String url, String archiveSha256, long archiveSize, String ratingsSha256, long ratingsSize) implements Serializable {
        DatasetCatalog catalog() {
            return DatasetCatalog.of(List.of(new CatalogEntry("toy", "Toy", "ratings", "toy", CatalogEntry.Access.PUBLIC, null,
                    new CatalogEntry.Archive(url, archiveSha256, archiveSize, null),
                    List.of(new CatalogEntry.Member("ratings.txt", ratingsSize, ratingsSha256, false, null)),
                    null, null, null, null, null)));
        }
    }

    private final HttpServer server;
    private final AtomicInteger archiveDownloads = new AtomicInteger();
    final Entry entry;

    ToyMirror() throws IOException {
        byte[] zip = zip();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/toy.zip", ex -> {
            try (ex) {
                archiveDownloads.incrementAndGet();
                sleep(500);
                ex.sendResponseHeaders(200, zip.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(zip);
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        entry = new Entry("http://127.0.0.1:" + server.getAddress().getPort() + "/toy.zip", Checksums.sha256(zip), zip.length,
                Checksums.sha256(RATINGS), RATINGS.length);
    }

    int archiveDownloads() { return archiveDownloads.get(); }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("toy/ratings.txt"));
            z.write(RATINGS);
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
