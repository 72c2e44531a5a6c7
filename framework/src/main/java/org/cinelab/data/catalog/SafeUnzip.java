package org.cinelab.data.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a zip archive into a folder, refusing any entry whose path would land outside it
 * ("zip-slip": {@code ../x}, absolute paths). All names are checked before anything is written. A
 * single top-level folder shared by every entry ({@code ml-100k/...} in the GroupLens zips) is
 * stripped, so the folder receives the dataset's files directly.
 */
final class SafeUnzip {
    private SafeUnzip() {}

    static void unpack(Path zip, Path dest) throws DatasetException {
        String what = zip.getFileName().toString();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            List<ZipEntry> files = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory() && !e.getName().startsWith("__MACOSX/")) files.add(e);
            }
            if (files.isEmpty()) throw new DatasetException(what + " holds no files");
            String prefix = commonTopFolder(files);
            Path root = dest.toAbsolutePath().normalize();
            List<Path> targets = new ArrayList<>();
            for (ZipEntry e : files) targets.add(target(root, e.getName(), prefix, what));
            for (int i = 0; i < files.size(); i++) {
                Path t = targets.get(i);
                Files.createDirectories(t.getParent());
                try (InputStream in = zf.getInputStream(files.get(i))) {
                    Files.copy(in, t);
                }
            }
        } catch (ZipException e) {
            throw new DatasetException(what + " is not a complete zip archive (truncated or corrupt): " + e.getMessage(), e);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException("cannot unpack " + what + ": " + e.getMessage(), e);
        }
    }

    private static Path target(Path root, String name, String prefix, String what) throws DatasetException {
        String rel = prefix != null && name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        Path t = root.resolve(rel.replace('\\', '/')).normalize();
        if (rel.isEmpty() || name.startsWith("/") || name.contains("\\") || !t.startsWith(root) || t.equals(root)) {
            throw new DatasetException("refusing to unpack " + what + ": entry '" + name
                    + "' would be written outside the dataset folder (zip-slip)");
        }
        return t;
    }

    private static String commonTopFolder(List<ZipEntry> files) {
        String first = files.get(0).getName();
        int slash = first.indexOf('/');
        if (slash <= 0) return null;
        String prefix = first.substring(0, slash + 1);
        if (prefix.equals("../") || prefix.equals("./")) return null;
        for (ZipEntry e : files) if (!e.getName().startsWith(prefix)) return null;
        return prefix;
    }
}
