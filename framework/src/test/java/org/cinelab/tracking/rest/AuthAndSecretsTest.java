package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.spec.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials reach {@link FakeMlflowServer} (the in-process MLflow stand-in, which here demands
 * an {@code Authorization} header and records every request) only in that header: never in a
 * param, tag, artifact, spool file, message or {@link RestTracker#describe()}.
 */
class AuthAndSecretsTest {
    private static final String PASSWORD = "s3cret-Pa55";
    private static final String TOKEN = "tok-9f8e7d6c5b4a";

    @TempDir
    Path tmp;

    @Test
    void a_bearer_token_from_the_environment_is_sent_on_every_request_including_artifact_uploads() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            fake.requireAuthorization("Bearer " + TOKEN);
            RestSettings settings = settings(fake.uri(), Map.of(RestSettings.TOKEN_ENV, TOKEN));
            try (RestTracker tracker = new RestTracker(settings, s -> {}, false)) {
                String run = tracker.createRun(tracker.getOrCreateExperiment("auth", Map.of()), "r", 1L, Map.of());
                tracker.logArtifact(run, "a.txt", Files.writeString(tmp.resolve("a.txt"), "x"));
                tracker.logMetrics(run, List.of(new org.cinelab.tracking.MetricPoint("m", 1, 0, 1L)));
                tracker.setRunStatus(run, org.cinelab.tracking.RunStatus.FINISHED, 2L);
                assertFalse(tracker.describe().contains(TOKEN));
            }
            assertTrue(fake.requests().stream().allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization())));
            assertTrue(fake.requests().stream().anyMatch(r -> r.method().equals("PUT")));
        }
    }

    @Test
    void basic_credentials_come_from_the_environment_or_the_uri_and_a_wrong_one_fails_clearly() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            String basic = "Basic " + Base64.getEncoder().encodeToString(("ann:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            fake.requireAuthorization(basic);
            RestSettings fromEnv = settings(fake.uri(), Map.of(RestSettings.USERNAME_ENV, "ann", RestSettings.PASSWORD_ENV, PASSWORD));
            try (RestTracker tracker = new RestTracker(fromEnv, s -> {}, false)) {
                tracker.getOrCreateExperiment("auth", Map.of());
            }
            String uriWithPassword = fake.uri().replace("http://", "http://ann:" + PASSWORD + "@");
            try (RestTracker tracker = new RestTracker(settings(uriWithPassword, Map.of()), s -> {}, false)) {
                tracker.getOrCreateExperiment("auth", Map.of());
                assertFalse(tracker.describe().contains(PASSWORD), tracker.describe());
            }
            try (RestTracker tracker = new RestTracker(settings(fake.uri(), Map.of(RestSettings.USERNAME_ENV, "ann",
                    RestSettings.PASSWORD_ENV, "wrong-password")), s -> {}, false)) {
                MlflowServerException e = assertThrows(MlflowServerException.class,
                        () -> tracker.getOrCreateExperiment("auth", Map.of()));
                assertEquals(401, e.status());
                assertFalse(e.getMessage().contains("wrong-password"));
                assertFalse(tracker.isSpooling(), "401 is the user's to fix, not an outage");
            }
        }
    }

    @Test
    void a_password_in_the_specs_tracking_uri_never_reaches_params_tags_artifacts_or_the_spool(@TempDir Path data) throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            String uri = fake.uri().replace("http://", "http://ann:" + PASSWORD + "@");
            String yaml = RunnerLogging.SPEC + "tracking:\n  uri: " + uri + "\n";
            ExperimentSpec spec = RunnerLogging.spec(tmp.resolve("spec"), yaml);
            assertTrue(spec.resolvedYaml().contains(PASSWORD), "the spec itself holds the password");
            List<String> notices = new java.util.ArrayList<>();
            ExperimentResult result;
            try (RestTracker tracker = new RestTracker(settings(uri, Map.of()), notices::add, false)) {
                result = RunnerLogging.run(spec, tracker, RunnerLogging.data(data), tmp.resolve("state"));
                assertFalse(tracker.describe().contains(PASSWORD));
            }
            String basic = Base64.getEncoder().encodeToString(("ann:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            for (FakeMlflowServer.Request r : fake.requests()) {
                assertFalse(r.body().contains(PASSWORD) || r.body().contains(basic) || r.path().contains(PASSWORD),
                        r.method() + " " + r.path());
            }
            String specArtifact = new String(fake.artifacts(result.parentRunId()).get("spec.yaml"), StandardCharsets.UTF_8);
            assertTrue(specArtifact.contains("***@127.0.0.1"), specArtifact);
            assertTrue(notices.stream().noneMatch(n -> n.contains(PASSWORD)));
        }
    }

    @Test
    void secrets_are_masked_in_what_goes_to_the_spool_while_the_server_is_down() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            RestSettings settings = settings(fake.uri(), Map.of(RestSettings.TOKEN_ENV, TOKEN));
            fake.stop();
            List<String> notices = new java.util.ArrayList<>();
            try (RestTracker tracker = new RestTracker(settings, notices::add, false)) {
                String run = tracker.createRun(tracker.getOrCreateExperiment("down", Map.of()), "r", 1L,
                        Map.of("note", "token is " + TOKEN));
                tracker.logParams(run, Map.of("uri", "https://ann:" + PASSWORD + "@example.com"));
                assertTrue(tracker.isSpooling());
            }
            assertEquals(2, notices.size(), "the first failed attempt, then the switch to the spool: " + notices);
            try (Stream<Path> files = Files.walk(settings.spoolDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    assertFalse(text.contains(TOKEN) || text.contains(PASSWORD), f.toString());
                }
            }
        }
    }

    @Test
    void uris_with_a_password_are_shown_without_it() {
        assertEquals("see https://ann:***@mlflow.example.com/x", Secrets.redactUri("see https://ann:" + PASSWORD + "@mlflow.example.com/x"));
        RestSettings s = RestSettings.from("https://ann:" + PASSWORD + "@mlflow.example.com/", Map.of());
        assertEquals("https://mlflow.example.com", s.baseUri());
        assertFalse(s.toString().contains(PASSWORD));
        assertEquals("***", s.secrets().redact(PASSWORD));
    }

    private RestSettings settings(String uri, Map<String, String> env) {
        return RestSettings.from(uri, env).withRetry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5)))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withSpoolDir(tmp.resolve("spool"));
    }
}
