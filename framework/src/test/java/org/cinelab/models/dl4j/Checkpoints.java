package org.cinelab.models.dl4j;

import org.cinelab.models.TrialModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The resume contract every model must meet: stop after k epochs, restore, continue, same result. */
public final class Checkpoints {
    private Checkpoints() {}

    public static void assertResumesExactly(Supplier<TrialModel> fresh, int stopAfter, int total) throws IOException {
        TrialModel straight = fresh.get();
        double straightLoss = 0;
        for (int e = 1; e <= total; e++) straightLoss = straight.trainEpoch(e);

        TrialModel first = fresh.get();
        for (int e = 1; e <= stopAfter; e++) first.trainEpoch(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.saveCheckpoint(new DataOutputStream(bytes));
        TrialModel resumed = fresh.get();
        resumed.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        double resumedLoss = 0;
        for (int e = stopAfter + 1; e <= total; e++) resumedLoss = resumed.trainEpoch(e);

        assertEquals(straightLoss, resumedLoss, "last training loss");
        assertEquals(straight.evaluate(TrialModel.Split.TEST), resumed.evaluate(TrialModel.Split.TEST));
    }
}
