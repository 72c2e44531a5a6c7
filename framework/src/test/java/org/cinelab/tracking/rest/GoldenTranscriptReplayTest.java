package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the requests of the real MLflow servers' golden transcripts
 * ({@code shared/data/mlflow-golden/transcripts-*.json}) against {@link FakeMlflowServer}, the
 * in-process stand-in the REST tests use, in order, on one fresh fake, and checks that every answer
 * has the recorded status, content type and JSON shape, and the recorded values where MLflow
 * documents them as stable (error codes, page tokens, names, params, tags, metric values).
 * Run ids, which the fake makes itself, are substituted both ways.
 */
class GoldenTranscriptReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STABLE = Set.of("error_code", "next_page_token", "status", "key", "value", "name",
            "run_name", "experiment_id", "lifecycle_stage", "step", "path", "is_dir", "file_size", "artifact_location",
            "artifact_uri", "root_uri", "run_id", "run_uuid", "user_id");

    @ParameterizedTest(name = "{0} against the {1} fake")
    @CsvSource({"transcripts-2.17.json, V2_17", "transcripts-master.json, V3"})
    void the_fake_answers_every_recorded_request_like_the_real_server(String file, FakeMlflowServer.Flavor flavor) throws Exception {
        Path transcript = goldenDir().resolve(file);
        JsonNode exchanges = JSON.readTree(transcript.toFile()).get("exchanges");
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> goldenToFake = new LinkedHashMap<>();
        try (FakeMlflowServer fake = new FakeMlflowServer(flavor)) {
            fake.start();
            for (JsonNode exchange : exchanges) {
                String name = exchange.get("name").asText();
                HttpResponse<String> response = http.send(request(fake, exchange, goldenToFake), HttpResponse.BodyHandlers.ofString());
                assertEquals(exchange.get("status").asInt(), response.statusCode(), name + ": status");
                assertEquals(exchange.path("response_headers").path("content-type").asText(),
                        response.headers().firstValue("content-type").orElse(""), name + ": content-type");
                if (!exchange.get("response_is_json").asBoolean()) {
                    if (!name.equals("version")) assertEquals(exchange.get("response_body").asText(), response.body(), name);
                    continue;
                }
                JsonNode expected = exchange.get("response_body");
                JsonNode actual = JSON.readTree(response.body());
                learnRunIds(expected, actual, goldenToFake);
                JsonNode actualInGoldenIds = JSON.readTree(swap(response.body(), invert(goldenToFake)));
                List<String> problems = new ArrayList<>();
                compare(name, "", expected, actualInGoldenIds, problems);
                assertTrue(problems.isEmpty(), String.join("\n", problems));
            }
        }
    }

    private static HttpRequest request(FakeMlflowServer fake, JsonNode exchange, Map<String, String> ids) {
        String path = swap(exchange.get("path").asText(), ids);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(fake.uri() + path));
        JsonNode body = exchange.get("request_body");
        String method = exchange.get("method").asText();
        if (body == null || body.isNull()) return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        String text = body.isTextual() ? body.asText() : swap(body.toString(), ids);
        builder.header("Content-Type", exchange.path("request_headers").path("content-type").asText("application/json"));
        return builder.method(method, HttpRequest.BodyPublishers.ofString(text)).build();
    }

    /** Maps the run ids of {@code runs/create} answers. */
    private static void learnRunIds(JsonNode expected, JsonNode actual, Map<String, String> ids) {
        JsonNode goldenId = expected.path("run").path("info").path("run_id");
        JsonNode fakeId = actual.path("run").path("info").path("run_id");
        if (goldenId.isTextual() && fakeId.isTextual()) ids.putIfAbsent(goldenId.asText(), fakeId.asText());
    }

    private static Map<String, String> invert(Map<String, String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        ids.forEach((k, v) -> out.put(v, k));
        return out;
    }

    private static String swap(String text, Map<String, String> ids) {
        for (Map.Entry<String, String> e : ids.entrySet()) text = text.replace(e.getKey(), e.getValue());
        return text;
    }

    private static void compare(String exchange, String where, JsonNode expected, JsonNode actual, List<String> problems) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(exchange + where + ": expected an object, got " + actual);
                return;
            }
            Set<String> expectedKeys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (!expectedKeys.equals(actualKeys)) {
                problems.add(exchange + where + ": keys " + actualKeys + ", recorded " + expectedKeys);
                return;
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode e = expected.get(key);
                JsonNode a = actual.get(key);
                if (STABLE.contains(key) && e.isValueNode() && !e.equals(a) && !(e.isNumber() && a.isNumber()
                        && e.asDouble() == a.asDouble())) {
                    problems.add(exchange + where + "." + key + ": " + a + ", recorded " + e);
                }
                compare(exchange, where + "." + key, e, a, problems);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(exchange + where + ": expected an array of " + expected.size() + ", got " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) compare(exchange, where + "[" + i + "]", expected.get(i), actual.get(i), problems);
        } else if (expected.getNodeType() != actual.getNodeType() && !(expected.isNumber() && actual.isNumber())) {
            problems.add(exchange + where + ": " + actual.getNodeType() + " " + actual + ", recorded " + expected.getNodeType() + " " + expected);
        }
    }

    static Path goldenDir() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data", "mlflow-golden"))) return Path.of(env, "data", "mlflow-golden");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("mlflow-golden");
            if (Files.isDirectory(candidate)) return candidate;
        }
        SharedData.assumePresent(false, "../shared/data/mlflow-golden not present: skipping");
        return null;
    }
}
