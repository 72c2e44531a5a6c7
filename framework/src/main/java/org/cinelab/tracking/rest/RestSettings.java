package org.cinelab.tracking.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Everything needed to talk to one MLflow tracking server, read from its URI and MLflow's own
 * environment variables: {@code MLFLOW_TRACKING_TOKEN} (bearer) or {@code MLFLOW_TRACKING_USERNAME}
 * and {@code MLFLOW_TRACKING_PASSWORD} (basic; user-info in the URI is used when they are unset),
 * {@code MLFLOW_TRACKING_INSECURE_TLS}, {@code MLFLOW_HTTP_REQUEST_TIMEOUT} (seconds) and
 * {@code MLFLOW_HTTP_REQUEST_MAX_RETRIES}; plus {@code CINELAB_SPOOL_DIR}, where logging goes while
 * the server is down. {@link #toString()} never shows a secret.
 */
public record RestSettings(String baseUri, String username, String password, String token, boolean insecureTls,
                           Duration connectTimeout, Duration requestTimeout, RetryPolicy retry, Path spoolDir,
                           Secrets secrets) {
    public static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";
    public static final String INSECURE_TLS_ENV = "MLFLOW_TRACKING_INSECURE_TLS";
    public static final String TIMEOUT_ENV = "MLFLOW_HTTP_REQUEST_TIMEOUT";
    public static final String MAX_RETRIES_ENV = "MLFLOW_HTTP_REQUEST_MAX_RETRIES";
    public static final String SPOOL_DIR_ENV = "CINELAB_SPOOL_DIR";

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Settings for an {@code http(s)://} tracking URI. A trailing {@code /} is dropped (the official
     * client would otherwise request {@code //api/...}); user-info is removed from the base URI.
     */
    public static RestSettings from(String uri, Map<String, String> env) {
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("tracking URI '" + Secrets.redactUri(uri) + "' is not a valid URL: "
                    + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
            throw new IllegalArgumentException("tracking URI '" + Secrets.redactUri(uri)
                    + "' is not an http(s) server URL; expected e.g. http://localhost:5000");
        }
        String userInfo = parsed.getRawUserInfo();
        String username = blankToNull(env.get(USERNAME_ENV));
        String password = blankToNull(env.get(PASSWORD_ENV));
        if (username == null && password == null && userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String token = blankToNull(env.get(TOKEN_ENV));
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath().replaceAll("/+$", "");
        String base = scheme + "://" + hostPort(parsed) + path;
        int retries = intEnv(env, MAX_RETRIES_ENV, RetryPolicy.DEFAULT.maxAttempts() - 1);
        RetryPolicy retry = new RetryPolicy(retries + 1, RetryPolicy.DEFAULT.initialDelay(), RetryPolicy.DEFAULT.maxDelay());
        Duration timeout = Duration.ofSeconds(intEnv(env, TIMEOUT_ENV, (int) DEFAULT_REQUEST_TIMEOUT.toSeconds()));
        String spool = blankToNull(env.get(SPOOL_DIR_ENV));
        Path spoolDir = spool != null ? Path.of(spool)
                : Path.of(".cinelab", "spool", (parsed.getHost() + "_" + parsed.getPort()).replaceAll("[^A-Za-z0-9._-]", "_"));
        return new RestSettings(base, username, password, token, truthy(env.get(INSECURE_TLS_ENV)),
                DEFAULT_CONNECT_TIMEOUT, timeout, retry, spoolDir.toAbsolutePath().normalize(),
                Secrets.of(username, password, token, userInfo));
    }

    public RestSettings withRetry(RetryPolicy policy) {
        return new RestSettings(baseUri, username, password, token, insecureTls, connectTimeout, requestTimeout, policy,
                spoolDir, secrets);
    }

    public RestSettings withSpoolDir(Path dir) {
        return new RestSettings(baseUri, username, password, token, insecureTls, connectTimeout, requestTimeout, retry,
                dir.toAbsolutePath().normalize(), secrets);
    }

    public RestSettings withTimeouts(Duration connect, Duration request) {
        return new RestSettings(baseUri, username, password, token, insecureTls, connect, request, retry, spoolDir,
                secrets);
    }

    /** The {@code Authorization} header value, or null without credentials. */
    String authorizationHeader() {
        if (token != null) return "Bearer " + token;
        if (username != null && password != null) {
            return "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    String authDescription() {
        if (token != null) return "bearer token";
        if (username != null && password != null) return "basic auth as " + username;
        return "no auth";
    }

    @Override
    public String toString() {
        return "RestSettings[" + baseUri + ", " + authDescription() + (insecureTls ? ", insecure TLS" : "")
                + ", timeout " + requestTimeout.toSeconds() + " s, " + retry.maxAttempts() + " attempts, spool "
                + spoolDir + "]";
    }

    private static String hostPort(URI uri) {
        String host = uri.getHost();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static boolean truthy(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes"));
    }

    private static int intEnv(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) return fallback;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) throw new NumberFormatException();
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + "='" + value
                    + "' is not a non-negative whole number");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
