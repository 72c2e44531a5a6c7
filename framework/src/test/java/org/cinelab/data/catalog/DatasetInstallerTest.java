package org.cinelab.data.catalog;

import org.cinelab.data.Checksums;
import org.cinelab.testsupport.DirectoryHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DatasetInstallerTest {
    @TempDir Path tmp;

    private final List<String> log = new ArrayList<>();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private DatasetInstaller installer(DatasetCatalog catalog, String mirror) {
        return new DatasetInstaller(catalog, mirror, new PrintStream(progress, true, StandardCharsets.UTF_8), log::add);
    }

    private Path mirrorWithZip(Map<String, byte[]> extra) throws Exception {
        return ToyDataset.writeZip(tmp.resolve("mirror"), extra);
    }

    private Path cache() { return tmp.resolve("cache"); }

    /** Everything in the cache except the download folder: what a failed install must not leave. */
    private List<String> cacheEntries() throws Exception {
        if (!Files.exists(cache())) return List.of();
        try (Stream<Path> s = Files.list(cache())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".downloads")).sorted().toList();
        }
    }

    @Test
    void fetch_downloads_the_archive_checks_it_and_installs_the_members() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            Path folder = installer(ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip)), server.baseUrl()).fetch("toy", cache());
            assertEquals(cache().resolve("toy"), folder);
            assertArrayEquals(ToyDataset.FILES.get("ratings.txt"), Files.readAllBytes(folder.resolve("ratings.txt")));
            assertEquals(List.of("toy"), cacheEntries());
            assertFalse(Files.exists(cache().resolve(".downloads")), "no lock file or empty download folder is left");
        }
        String bar = progress.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("\r") && bar.contains("100%"), bar);
    }

    @Test
    void a_second_fetch_of_a_verified_dataset_downloads_nothing() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            DatasetInstaller inst = installer(ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip)), server.baseUrl());
            inst.fetch("toy", cache());
            int requests = server.requests().size();
            inst.fetch("toy", cache());
            assertEquals(requests, server.requests().size());
            assertTrue(log.get(log.size() - 1).contains("already installed"), log.toString());
        }
    }

    @Test
    void two_threads_fetching_the_same_dataset_download_it_once() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            DatasetInstaller inst = installer(ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip)), server.baseUrl());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Path>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return inst.fetch("toy", cache());
                    }));
                }
                start.countDown();
                for (var r : results) assertEquals(cache().resolve("toy"), r.get());
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, server.requests().stream().filter(r -> r.path().endsWith("toy.zip")).count(), server.requests().toString());
            assertEquals(List.of("toy"), cacheEntries());
        }
    }

    @Test
    void a_zip_entry_escaping_the_target_is_rejected_and_nothing_is_written() throws Exception {
        Path zip = mirrorWithZip(Map.of("toy/../../evil.txt", "pwned".getBytes()));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip)), server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("zip-slip") && e.getMessage().contains("toy/../../evil.txt"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(cache().resolve("evil.txt")));
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void an_archive_with_the_wrong_checksum_is_deleted_and_nothing_is_installed() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        String wrong = "0".repeat(64);
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(wrong, null), server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("toy.zip") && e.getMessage().contains("expected " + wrong)
                    && e.getMessage().contains("actual " + Checksums.sha256(zip)), e.getMessage());
        }
        assertFalse(Files.exists(cache().resolve(".downloads/toy.zip.part")));
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void a_truncated_archive_without_a_published_checksum_fails_as_an_incomplete_zip() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, Arrays.copyOf(bytes, bytes.length / 2));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(null, null), server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("toy.zip") && e.getMessage().contains("truncated or corrupt"), e.getMessage());
        }
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void an_interrupted_download_resumes_with_a_range_request() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        DatasetCatalog catalog = ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            server.cutNextResponseAfter(1000);
            DatasetException e = assertThrows(DatasetException.class, () -> installer(catalog, server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("run the command again to resume"), e.getMessage());
            assertEquals(1000, Files.size(cache().resolve(".downloads/toy.zip.part")));
            assertEquals(List.of(), cacheEntries());

            installer(catalog, server.baseUrl()).fetch("toy", cache());
            DirectoryHttpServer.Request last = server.requests().get(server.requests().size() - 1);
            assertEquals("bytes=1000-", last.range());
            assertEquals(206, last.status());
            assertTrue(DatasetVerifier.verify(catalog.get("toy"), cache().resolve("toy"), true).ok());
        }
    }

    /** A port on this machine where nothing listens. */
    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertGivesTheWaysOn(String message) {
        assertTrue(message.contains("Nothing was installed in "), message);
        assertTrue(message.contains("point CINELAB_DATA (or --data-dir) at a folder that already holds toy/"), message);
        assertTrue(message.contains("cinelab datasets import toy --from toy.zip"), message);
        assertTrue(message.contains("once online, run the command again (or: cinelab datasets fetch toy"), message);
        assertFalse(message.contains(": null"), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void a_refused_connection_says_so_gives_the_ways_on_and_leaves_nothing() throws Exception {
        int port = closedPort();
        DatasetException e = assertThrows(DatasetException.class,
                () -> installer(ToyDataset.catalog(null, null), "http://127.0.0.1:" + port).ensure("toy", cache()));
        assertTrue(e.getMessage().startsWith("cannot download toy from http://127.0.0.1:" + port + "/toy.zip: the connection to 127.0.0.1:"
                + port + " was refused (nothing listens there, or a firewall rejects it)."), e.getMessage());
        assertGivesTheWaysOn(e.getMessage());
        assertFalse(Files.exists(cache()), "the cache folder this call made is removed again");
    }

    @Test
    void a_host_without_dns_answer_says_so() throws Exception {
        DatasetException e = assertThrows(DatasetException.class,
                () -> installer(ToyDataset.catalog(null, null), "http://no-such-host.invalid").fetch("toy", cache()));
        assertTrue(e.getMessage().contains(": the host no-such-host.invalid could not be found (no DNS answer: offline, or a proxy is needed?)."),
                e.getMessage());
        assertGivesTheWaysOn(e.getMessage());
        assertFalse(Files.exists(cache()));
    }

    @Test
    void an_http_error_names_the_status_and_an_existing_cache_keeps_its_contents() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        Files.createDirectories(cache().resolve("other"));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            server.answerNextWith(503);
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(null, null), server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("toy.zip: the server answered HTTP 503."), e.getMessage());
            assertGivesTheWaysOn(e.getMessage());
        }
        try (Stream<Path> left = Files.list(cache())) {
            assertEquals(List.of(cache().resolve("other")), left.toList(), "only what was there before");
        }
    }

    @Test
    void the_timeout_and_tls_failures_are_described_in_words() {
        java.net.URI uri = java.net.URI.create("https://files.example.org/x.zip");
        java.time.Duration t = java.time.Duration.ofSeconds(30);
        assertEquals("connecting to files.example.org:443 timed out after 30 s",
                NetworkFailure.describe(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"), uri, t));
        assertEquals("files.example.org:443 sent no answer in time",
                NetworkFailure.describe(new java.net.http.HttpTimeoutException("request timed out"), uri, t));
        assertEquals("the TLS handshake with files.example.org failed: PKIX path building failed",
                NetworkFailure.describe(new java.io.IOException(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")), uri, t));
        assertEquals("the connection to files.example.org:443 failed: Network is unreachable",
                NetworkFailure.describe(new java.io.IOException(new java.net.ConnectException("Network is unreachable")), uri, t));
    }

    @Test
    void two_fetches_at_once_download_once_and_leave_no_lock() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        DatasetCatalog catalog = ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            List<Path> installed = fetchAtOnce(catalog, server.baseUrl(), cache(), 2);
            assertEquals(installed.get(0), installed.get(1));
            assertEquals(1, server.requests().size(), server.requests().toString());
        }
        assertTrue(DatasetVerifier.verify(catalog.get("toy"), cache().resolve("toy"), true).ok());
        assertEquals(List.of("toy"), cacheEntries());
        assertFalse(Files.exists(cache().resolve(".downloads")));
    }

    /** Each fetch cleans the download folder when it ends, while others still use it: none may trip on what another removed. */
    @Test
    void many_fetches_at_once_each_clean_up_without_tripping_on_the_others() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        DatasetCatalog catalog = ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip));
        try (DirectoryHttpServer server = new DirectoryHttpServer(zip.getParent())) {
            for (int round = 0; round < 25; round++) {
                Path into = cache().resolve("round" + round);
                for (Path installed : fetchAtOnce(catalog, server.baseUrl(), into, 4)) assertEquals(into.resolve("toy"), installed, "round " + round);
                assertFalse(Files.exists(into.resolve(".downloads")), "round " + round);
            }
        }
    }

    /** {@code count} fetches of the toy dataset into {@code into}, started together: where each says it installed it. */
    private List<Path> fetchAtOnce(DatasetCatalog catalog, String mirror, Path into, int count) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            List<java.util.concurrent.Future<Path>> fetches = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) fetches.add(pool.submit(() -> installer(catalog, mirror).fetch("toy", into)));
            List<Path> installed = new java.util.ArrayList<>();
            for (var f : fetches) installed.add(f.get());
            return installed;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_file_mirror_works_like_an_http_one() throws Exception {
        Path zip = mirrorWithZip(Map.of());
        installer(ToyDataset.catalog(Checksums.sha256(zip), Files.size(zip)), zip.getParent().toUri().toString()).fetch("toy", cache());
        assertTrue(Files.isRegularFile(cache().resolve("toy/README")));
    }

    @Test
    void without_an_archive_the_mirror_serves_members_and_a_corrupted_one_is_named_with_both_checksums() throws Exception {
        Path mirror = tmp.resolve("mirror");
        ToyDataset.writeMembers(mirror);
        Path bad = mirror.resolve("toy/ratings.txt");
        byte[] bytes = Files.readAllBytes(bad);
        bytes[10] ^= 1;
        Files.write(bad, bytes);
        try (DirectoryHttpServer server = new DirectoryHttpServer(mirror)) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(null, null), server.baseUrl()).fetch("toy", cache()));
            String expected = Checksums.sha256(ToyDataset.FILES.get("ratings.txt"));
            assertTrue(e.getMessage().contains("toy/ratings.txt: SHA-256 mismatch: expected " + expected + ", actual " + Checksums.sha256(bytes)),
                    e.getMessage());
        }
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void a_member_missing_at_the_mirror_fails_naming_it() throws Exception {
        Path mirror = tmp.resolve("mirror");
        ToyDataset.writeMembers(mirror);
        Files.delete(mirror.resolve("toy/README"));
        try (DirectoryHttpServer server = new DirectoryHttpServer(mirror)) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> installer(ToyDataset.catalog(null, null), server.baseUrl()).fetch("toy", cache()));
            assertTrue(e.getMessage().contains("member toy/README") && e.getMessage().contains("missing"), e.getMessage());
        }
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void a_login_only_dataset_is_not_fetched_and_the_error_gives_the_import_command() throws Exception {
        DatasetException e = assertThrows(DatasetException.class, () -> installer(ToyDataset.catalog(null, null), null).ensure("locked", cache()));
        assertTrue(e.getMessage().contains("cinelab datasets import locked --from path/to/locked --data-dir " + cache()), e.getMessage());
    }

    @Test
    void ensure_fetches_a_missing_public_dataset_and_says_so() throws Exception {
        Path mirror = tmp.resolve("mirror");
        ToyDataset.writeMembers(mirror);
        Path folder = installer(ToyDataset.catalog(null, null), mirror.toString()).ensure("toy", cache());
        assertTrue(Files.isDirectory(folder));
        assertTrue(log.get(0).contains("toy is not installed") && log.get(0).contains("fetching"), log.toString());
    }

    @Test
    void importing_a_local_folder_installs_and_verifies_it() throws Exception {
        Path src = tmp.resolve("download");
        ToyDataset.writeMembers(src);
        Path folder = installer(ToyDataset.catalog(null, null), null).importFrom("locked", src.resolve("toy"), cache());
        assertEquals(cache().resolve("locked"), folder);
        assertTrue(installer(ToyDataset.catalog(null, null), null).verify("locked", cache()).ok());
    }

    @Test
    void verify_detects_a_modified_file() throws Exception {
        Path src = tmp.resolve("download");
        ToyDataset.writeMembers(src);
        DatasetInstaller inst = installer(ToyDataset.catalog(null, null), null);
        inst.importFrom("locked", src.resolve("toy"), cache());
        Path f = cache().resolve("locked/README");
        Files.writeString(f, "Toy data for tests\n");
        VerificationReport r = inst.verify("locked", cache());
        assertFalse(r.ok());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).startsWith("locked/README: SHA-256 mismatch: expected "), r.problems().toString());
    }

    @Test
    void a_failed_import_leaves_the_installed_copy_untouched() throws Exception {
        Path src = tmp.resolve("download");
        ToyDataset.writeMembers(src);
        DatasetInstaller inst = installer(ToyDataset.catalog(null, null), null);
        inst.importFrom("locked", src.resolve("toy"), cache());
        Files.writeString(src.resolve("toy/README"), "changed\n");
        assertThrows(DatasetException.class, () -> inst.importFrom("locked", src.resolve("toy"), cache()));
        assertTrue(inst.verify("locked", cache()).ok());
        assertEquals(List.of("locked"), cacheEntries());
    }
}
