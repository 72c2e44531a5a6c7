package org.cinelab.cli;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code cinelab run --executor / --master / --state-dir URI} with the framework's jar alone (no Spark,
 * no spark module): what cannot work is refused before anything is logged, with exit code 2 and what to
 * do instead; a {@code file:} state dir works with the local executor.
 */
class RunExecutorOptionsTest {
    @TempDir Path tmp;

    static final String SPEC = """
            experiment: {name: executor-options}
            seed: 3
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {factors: 2}}
            search: {sampler: grid, scheduler: none, max_epochs: 1}
            space:
              lr: [0.01]
            """;

    private CliTest.Outcome run(String... options) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SPEC);
        String[] args = new String[options.length + 6];
        args[0] = "run";
        args[1] = spec.toString();
        args[2] = "--tracking-uri";
        args[3] = tmp.resolve("mlruns").toString();
        args[4] = "--data-dir";
        args[5] = tmp.resolve("data").toString();
        System.arraycopy(options, 0, args, 6, options.length);
        return CliTest.run(args);
    }

    @Test
    void sparkWithoutTheSparkJarSaysHowToRunItThroughSparkSubmit() throws Exception {
        CliTest.Outcome o = run("--executor", "spark", "--master", "local[2]");
        assertEquals(2, o.exit(), o.err());
        assertTrue(o.err().contains("--executor spark needs Apache Spark and CineLab's Spark jar"), o.err());
        assertTrue(o.err().contains("spark-submit --master local[2] --class org.cinelab.cli.Main spark/target/cinelab-spark-all.jar run SPEC --executor spark"),
                o.err());
        assertFalse(Files.exists(tmp.resolve("mlruns")), "nothing logged");
    }

    @Test
    void anUnknownExecutorIsRefused() throws Exception {
        CliTest.Outcome o = run("--executor", "ray");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("unknown executor 'ray'; known: local, spark"), o.err());
    }

    @Test
    void sparkOnlyOptionsAreRefusedWithTheLocalExecutor() throws Exception {
        CliTest.Outcome master = run("--master", "spark://host:7077");
        assertEquals(2, master.exit());
        assertTrue(master.err().contains("--master spark://host:7077 is for --executor spark"), master.err());
        CliTest.Outcome hdfs = run("--state-dir", "hdfs://namenode/cinelab/state");
        assertEquals(2, hdfs.exit());
        assertTrue(hdfs.err().contains("--state-dir hdfs://namenode/cinelab/state: a hdfs://, s3a:// ... state dir needs --executor spark"),
                hdfs.err());
        CliTest.Outcome hostFile = run("--state-dir", "file://otherhost/state");
        assertEquals(2, hostFile.exit());
        assertTrue(hostFile.err().contains("names the host 'otherhost'"), hostFile.err());
        assertFalse(Files.exists(tmp.resolve("mlruns")), "nothing logged");
    }

    @Test
    void aFileUriStateDirIsALocalFolder() throws Exception {
        SyntheticMovieLens.write(tmp.resolve("data"), 2000, 500, 1);
        Path state = tmp.resolve("state");
        CliTest.Outcome o = run("--state-dir", state.toUri().toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(Files.exists(state.resolve("experiment.json")));
        assertTrue(Files.exists(state.resolve("trials/t1/state.json")) || Files.exists(state.resolve("trials/t001/state.json")));
        CliTest.Outcome again = run("--state-dir", state.toUri().toString(), "--resume");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("already finished"), again.out());
    }
}
