package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained DL4J network as a trial's model artifact: the network (ModelSerializer, with updater) and a README. */
public final class NetworkExport {
    private NetworkExport() {}

    /**
     * Writes {@code dir/fileName} and, unless {@code readme} is null, {@code dir/README.txt}.
     *
     * @return the network file
     */
    public static Path write(Path dir, String fileName, Model net, String readme) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName);
        ModelSerializer.writeModel(net, file.toFile(), true);
        if (readme != null) Files.writeString(dir.resolve("README.txt"), readme, StandardCharsets.UTF_8);
        return file;
    }
}
