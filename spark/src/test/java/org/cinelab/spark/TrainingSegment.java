package org.cinelab.spark;

import org.cinelab.data.PreparedData;
import org.cinelab.io.StateStorage;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.space.Hyperparams;
import org.cinelab.spark.executor.DataSource;
import org.cinelab.spark.executor.ExecutorDatasets;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.TaskAttempt;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.spark.state.StateStorages;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.Tracker;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A trial segment the way phase 2 will run one, cut down to what these tests need: on an executor,
 * load the data through {@link ExecutorDatasets}, rebuild the model from its last checkpoint in the
 * state storage, train up to {@code targetEpoch}, and after each epoch log {@code train_loss} and
 * {@code val_rmse} (steps the tracker already holds are skipped), then write the checkpoint and the
 * epoch count. Real models, real data files, real storage; the engine's TrialRunner will replace it.
 *
 * @param stateUri   state dir (path, file:, hdfs://...), or null for none (then no resume)
 * @param tracking   where to log, or null for no logging
 * @param runId      the trial's run (created by the driver)
 * @param pauseAfterEpochLogged for the fault test: after logging this epoch (before its checkpoint)
 *                   attempt 0 writes its pid to {@code signalDir} and waits to be killed; 0 = never
 */
public record TrainingSegment(String modelType, Map<String, Object> params, long seed, DataSource data, String trialId,
                              int targetEpoch, String stateUri, TrackingTarget tracking, String runId,
                              int pauseAfterEpochLogged, String signalDir) implements Serializable {

    /** What the segment did. */
    public record Result(int resumedFromEpoch, List<Double> validationRmse, int attempt, long pid, String executorId)
            implements Serializable {}

    public TrainingSegment {
        params = new java.util.TreeMap<>(params);
    }

    public static TrainingSegment simple(String modelType, Map<String, Object> params, long seed, DataSource data, int epochs) {
        return new TrainingSegment(modelType, params, seed, data, "t00", epochs, null, null, null, 0, null);
    }

    public Result run() throws IOException {
        TaskAttempt attempt = TaskAttempt.current();
        long pid = ProcessHandle.current().pid();
        if (signalDir != null) Files.writeString(Path.of(signalDir, "attempt-" + attempt.attemptNumber() + ".pid"), Long.toString(pid));
        PreparedData prepared = ExecutorDatasets.standard(null).load(data);
        // One BLAS thread, as SegmentTask on an executor and the driver's references (the count changes the last digits).
        org.cinelab.models.dl4j.Nd4jRuntime.setBlasThreads(1);
        ModelFactory factory = ModelRegistry.find(modelType).orElseThrow();
        TrialModel model = factory.create(Hyperparams.resolve(factory.hyperParameters(), params, Map.of()), prepared, seed);
        StateStorage state = stateUri == null ? null : StateStorages.open(stateUri, new org.apache.hadoop.conf.Configuration());
        int done = 0;
        if (state != null) {
            Optional<byte[]> epochs = state.read(trialId + "/epochs");
            if (epochs.isPresent()) {
                done = Integer.parseInt(new String(epochs.get(), StandardCharsets.UTF_8));
                byte[] checkpoint = state.read(trialId + "/checkpoint-" + done + ".bin").orElseThrow();
                model.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(checkpoint)));
            }
        }
        Tracker tracker = tracking == null ? null : ExecutorTracking.open(tracking);
        Set<Long> logged = new HashSet<>();
        if (tracker != null && attempt.isRetry()) {
            for (MetricPoint p : tracker.getMetricHistory(runId, "val_rmse")) logged.add(p.step());
        }
        List<Double> rmse = new ArrayList<>();
        for (int epoch = done + 1; epoch <= targetEpoch; epoch++) {
            double loss = model.trainEpoch(epoch);
            double val = model.evaluate(TrialModel.Split.VALIDATION).get("rmse");
            rmse.add(val);
            if (tracker != null && !logged.contains((long) epoch)) {
                long now = System.currentTimeMillis();
                tracker.logMetrics(runId, List.of(new MetricPoint("train_loss", loss, epoch, now), new MetricPoint("val_rmse", val, epoch, now)));
            }
            if (epoch == pauseAfterEpochLogged && !attempt.isRetry()) {
                Files.writeString(Path.of(signalDir, "paused-" + attempt.attemptNumber()), Integer.toString(epoch));
                sleepUntilKilled();
            }
            if (state != null) {
                state.write(trialId + "/checkpoint-" + epoch + ".bin", out -> {
                    DataOutputStream d = new DataOutputStream(out);
                    model.saveCheckpoint(d);
                    d.flush();
                });
                state.write(trialId + "/epochs", Integer.toString(epoch).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Result(done, rmse, attempt.attemptNumber(), pid, attempt.executorId());
    }

    /** The same training on the calling thread, without Spark: the reference the tasks must match. */
    public List<Double> runHere(PreparedData prepared) {
        // As run() does on an executor; a CLI test earlier in this JVM may have sized the pool for --parallel.
        org.cinelab.models.dl4j.Nd4jRuntime.setBlasThreads(1);
        ModelFactory factory = ModelRegistry.find(modelType).orElseThrow();
        TrialModel model = factory.create(Hyperparams.resolve(factory.hyperParameters(), params, Map.of()), prepared, seed);
        List<Double> rmse = new ArrayList<>();
        for (int epoch = 1; epoch <= targetEpoch; epoch++) {
            model.trainEpoch(epoch);
            rmse.add(model.evaluate(TrialModel.Split.VALIDATION).get("rmse"));
        }
        return rmse;
    }

    private static void sleepUntilKilled() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the test did not kill this executor within 120 s");
    }
}
