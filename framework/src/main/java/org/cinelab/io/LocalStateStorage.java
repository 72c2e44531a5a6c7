package org.cinelab.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link StateStorage} in a directory of the local file system (or a shared mount such as NFS): a
 * write goes to a temp file beside the target and is renamed over it, which POSIX makes atomic.
 */
public final class LocalStateStorage implements StateStorage {
    private final Path root;

    public LocalStateStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }

    @Override
    public Optional<byte[]> read(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(key, false)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String key, AtomicFiles.StreamWriter writer) throws IOException {
        AtomicFiles.write(resolve(key, false), writer);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        Path folder = resolve(dir, true);
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> children = Files.list(folder)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path target = resolve(key, false);
        if (!Files.exists(target)) return false;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(target)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) Files.deleteIfExists(p);
        return true;
    }

    @Override
    public String describe() { return root.toString(); }

    private Path resolve(String key, boolean rootAllowed) {
        String checked = StateStorage.checkKey(key, rootAllowed);
        return checked.isEmpty() ? root : root.resolve(checked);
    }
}
