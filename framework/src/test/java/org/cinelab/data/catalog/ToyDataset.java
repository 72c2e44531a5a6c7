package org.cinelab.data.catalog;

import org.cinelab.data.Checksums;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A generated two-file dataset "toy" in folder toy/, its zip, and a catalog entry that knows their checksums. */
final class ToyDataset {
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        java.util.Random rnd = new java.util.Random(7);
        StringBuilder ratings = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            ratings.append(1 + rnd.nextInt(900)).append('\t').append(1 + rnd.nextInt(1600)).append('\t').append(1 + rnd.nextInt(5))
                    .append('\t').append(880000000 + rnd.nextInt(10000000)).append('\n');
        }
        FILES.put("ratings.txt", ratings.toString().getBytes(StandardCharsets.US_ASCII));
        FILES.put("README", "toy data for tests\n".getBytes(StandardCharsets.US_ASCII));
    }

    private ToyDataset() {}

    /** Writes toy.zip (entries under toy/, plus any extra raw entries) and returns its path. */
    static Path writeZip(Path dir, Map<String, byte[]> extraEntries) throws IOException {
        Files.createDirectories(dir);
        Path zip = dir.resolve("toy.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (var f : FILES.entrySet()) {
                z.putNextEntry(new ZipEntry("toy/" + f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
            for (var f : extraEntries.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
        }
        return zip;
    }

    /** Writes the members as a mirror lays them out: dir/toy/&lt;member&gt;. */
    static void writeMembers(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("toy"));
        for (var f : FILES.entrySet()) Files.write(dir.resolve("toy").resolve(f.getKey()), f.getValue());
    }

    /** @param archiveSha256 the zip's checksum, or null for an archive without a published one */
    static DatasetCatalog catalog(String archiveSha256, Long archiveSize) {
        List<CatalogEntry.Member> members = FILES.entrySet().stream()
                .map(f -> new CatalogEntry.Member(f.getKey(), (long) f.getValue().length, Checksums.sha256(f.getValue()), false, null)).toList();
        CatalogEntry toy = new CatalogEntry("toy", "Toy", "ratings", "toy", CatalogEntry.Access.PUBLIC, "https://example.invalid/toy",
                new CatalogEntry.Archive("https://example.invalid/files/toy.zip", archiveSha256, archiveSize, null), members, List.of(),
                null, null, "test data", "none");
        CatalogEntry locked = new CatalogEntry("locked", "Locked", "titles", "locked", CatalogEntry.Access.LOGIN, "https://example.invalid/login",
                null, members, List.of(), "--from takes the folder", "path/to/locked", "test data", "none");
        return DatasetCatalog.of(List.of(toy, locked));
    }
}
