package org.cinelab.data.catalog;

import org.cinelab.data.Checksums;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a dataset folder against its catalog entry: every required member present, sizes and
 * SHA-256 as published, and at least one file matching a {@code require_any_of} pattern. The quick mode
 * (presence and size only) is what a run does before loading; {@code verify} hashes every byte.
 */
public final class DatasetVerifier {
    private DatasetVerifier() {}

    public static VerificationReport verify(CatalogEntry entry, Path folder, boolean hashContents) throws IOException {
        if (!Files.isDirectory(folder)) return new VerificationReport(entry.name(), folder, false, List.of(), 0, 0, 0);
        List<String> problems = new ArrayList<>();
        int bySha = 0;
        int bySize = 0;
        Set<String> listed = new HashSet<>();
        for (CatalogEntry.Member m : entry.members()) {
            listed.add(m.path());
            Path f = folder.resolve(m.path());
            String shown = entry.folder() + "/" + m.path();
            if (!Files.isRegularFile(f)) {
                if (!m.optional()) problems.add(shown + ": missing");
                continue;
            }
            long size = Files.size(f);
            boolean sizeOk = m.size() == null || m.size() == size;
            if (!sizeOk) problems.add(shown + ": " + size + " bytes, expected " + m.size() + (size < m.size() ? " (truncated?)" : ""));
            if (hashContents && m.hasChecksum()) {
                String actual = Checksums.sha256(f);
                if (actual.equalsIgnoreCase(m.sha256())) bySha++;
                else problems.add(shown + ": SHA-256 mismatch: expected " + m.sha256() + ", actual " + actual);
            } else if (sizeOk && m.size() != null) {
                bySize++;
            }
        }
        List<String> files = relativeFiles(folder);
        if (!entry.requireAnyOf().isEmpty()) {
            boolean any = entry.requireAnyOf().stream()
                    .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p))
                    .anyMatch(matcher -> files.stream().anyMatch(f -> matcher.matches(Path.of(f))));
            if (!any) problems.add(entry.folder() + "/: no file matches any of " + entry.requireAnyOf());
        }
        int unlisted = (int) files.stream().filter(f -> !listed.contains(f)).count();
        return new VerificationReport(entry.name(), folder, true, List.copyOf(problems), bySha, hashContents ? bySize : 0, unlisted);
    }

    static List<String> relativeFiles(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
