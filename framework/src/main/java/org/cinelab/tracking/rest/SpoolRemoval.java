package org.cinelab.tracking.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;

/**
 * Deletes a spool once a replay delivered all of it, so that it is not replayed again and does not
 * pile up. Only call this after a replay that ended without an error. A spool that still holds a
 * run that is RUNNING (another CineLab process may be logging to it) or KILLED (its execution can be
 * resumed, and resume reads the spool's runs) is kept.
 */
public final class SpoolRemoval {
    /** What was done; {@code description} says it about the spool: "removed", or "kept, as ...". */
    public record Outcome(boolean removed, String description) {}

    private SpoolRemoval() {}

    public static Outcome afterFullReplay(MlflowFileStore spool) throws IOException {
        int open = 0;
        for (ExperimentInfo experiment : spool.listExperiments()) {
            for (RunInfo run : spool.listRuns(experiment.experimentId())) {
                if (run.status() != RunStatus.FINISHED && run.status() != RunStatus.FAILED) open++;
            }
        }
        Path root = spool.root();
        if (open > 0) {
            return new Outcome(false, "kept, as " + open + " run(s) in it are still RUNNING or KILLED"
                    + " (being logged to, or resumable with --resume); sync it again once they have ended");
        }
        deleteTree(root);
        return new Outcome(true, "removed");
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) Files.deleteIfExists(p);
    }
}
