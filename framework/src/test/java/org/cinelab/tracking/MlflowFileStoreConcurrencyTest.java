package org.cinelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads and processes writing to one store at once. */
class MlflowFileStoreConcurrencyTest {
    private static final Pattern METRIC_LINE = Pattern.compile("\\d+ -?\\d+\\.\\d+(E-?\\d+)? \\d+");
    private static final int THREADS = 8;
    private static final int POINTS_PER_THREAD = 1_000;

    @TempDir
    Path root;

    @Test
    void eight_threads_logging_1000_points_each_to_one_key_give_8000_whole_lines() throws Exception {
        MlflowFileStore store = new MlflowFileStore(root);
        String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
        List<Callable<Void>> loggers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            loggers.add(() -> {
                if (thread % 2 == 0) {
                    for (int i = 0; i < POINTS_PER_THREAD; i++) {
                        store.logMetrics(run, List.of(point(thread, i)));
                    }
                } else {
                    for (int i = 0; i < POINTS_PER_THREAD; i += 10) {
                        int from = i;
                        store.logMetrics(run, IntStream.range(from, from + 10).mapToObj(k -> point(thread, k)).toList());
                    }
                }
                return null;
            });
        }
        runAll(loggers);

        Path file = root.resolve(store.getRun(run).orElseThrow().experimentId()).resolve(run).resolve("metrics/loss");
        String text = Files.readString(file);
        assertTrue(text.endsWith("\n"));
        List<String> lines = text.lines().toList();
        assertEquals(THREADS * POINTS_PER_THREAD, lines.size());
        for (String line : lines) assertTrue(METRIC_LINE.matcher(line).matches(), line);
        Set<Long> steps = store.getMetricHistory(run, "loss").stream().map(MetricPoint::step).collect(Collectors.toSet());
        assertEquals(THREADS * POINTS_PER_THREAD, steps.size(), "every point is there exactly once");
    }

    @Test
    void threads_racing_to_create_one_experiment_get_one_id() throws Exception {
        MlflowFileStore first = new MlflowFileStore(root);
        MlflowFileStore second = new MlflowFileStore(root);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<String>> creators = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            MlflowFileStore store = t % 2 == 0 ? first : second;
            creators.add(() -> {
                start.await();
                return store.getOrCreateExperiment("shared", Map.of());
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> ids = creators.stream().map(pool::submit).toList();
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) distinct.add(id.get(60, TimeUnit.SECONDS));
            assertEquals(1, distinct.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, experimentDirectories().size(), "Default and 'shared'");
    }

    @Test
    void threads_racing_to_log_different_values_for_one_param_leave_exactly_one() throws Exception {
        MlflowFileStore store = new MlflowFileStore(root);
        String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
        List<Callable<Void>> writers = new ArrayList<>();
        List<Throwable> refusals = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            String value = "v" + t;
            writers.add(() -> {
                try {
                    store.logParams(run, Map.of("lr", value));
                } catch (IllegalArgumentException e) {
                    refusals.add(e);
                }
                return null;
            });
        }
        runAll(writers);
        assertEquals(THREADS - 1, refusals.size());
        assertTrue(store.getParams(run).get("lr").matches("v[0-7]"));
    }

    @Test
    void two_jvms_creating_the_same_experiments_at_once_end_with_one_of_each() throws Exception {
        List<String> names = IntStream.range(0, 40).mapToObj(i -> "race-" + i).toList();
        Path go = root.resolveSibling(root.getFileName() + ".go");
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < 2; p++) {
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        ExperimentCreatorMain.class.getName(), root.toString(), go.toString()));
                command.addAll(names);
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                processes.add(process);
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                outputs.add(out);
                assertEquals("READY", out.readLine());
            }
            Files.createFile(go);
            List<Map<String, String>> answers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Map<String, String> idByName = new HashMap<>();
                for (String line; (line = outputs.get(p).readLine()) != null; ) {
                    String[] kv = line.split("=", 2);
                    idByName.put(kv[0], kv[1]);
                }
                assertTrue(processes.get(p).waitFor(120, TimeUnit.SECONDS), "helper JVM did not finish");
                assertEquals(0, processes.get(p).exitValue());
                answers.add(idByName);
            }
            assertEquals(names.size(), answers.get(0).size());
            List<String> createdTwice = names.stream()
                    .filter(n -> !answers.get(0).get(n).equals(answers.get(1).get(n))).toList();
            assertEquals(List.of(), createdTwice, "names that got a different experiment in each JVM");
        } finally {
            processes.forEach(Process::destroyForcibly);
            Files.deleteIfExists(go);
        }
        MlflowFileStore store = new MlflowFileStore(root);
        Map<String, Long> experimentsPerName = store.listExperiments().stream()
                .collect(Collectors.groupingBy(ExperimentInfo::name, Collectors.counting()));
        for (String name : names) assertEquals(1L, experimentsPerName.get(name), name);
        assertEquals(names.size() + 1, experimentDirectories().size());
    }

    private List<Path> experimentDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals(".trash")).toList();
        }
    }

    private static MetricPoint point(int thread, int i) {
        return new MetricPoint("loss", thread + i / 1000.0, (long) thread * POINTS_PER_THREAD + i, 1_700_000_000_000L + i);
    }

    private static <T> void runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (Future<T> f : pool.invokeAll(tasks)) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
