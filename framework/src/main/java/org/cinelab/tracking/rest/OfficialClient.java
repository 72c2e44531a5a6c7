package org.cinelab.tracking.rest;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.cinelab.io.UserMessages;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;
import org.mlflow_project.apachehttp.client.config.RequestConfig;
import org.mlflow_project.apachehttp.conn.ssl.NoopHostnameVerifier;
import org.mlflow_project.apachehttp.conn.ssl.SSLConnectionSocketFactory;
import org.mlflow_project.apachehttp.impl.client.CloseableHttpClient;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the official {@link MlflowClient} (2.17.2) for a server, with the two fixes it needs.
 *
 * <p>Its HTTP layer ({@code MlflowHttpCaller}) sets no connect or read timeouts and retries every
 * non-2xx answer, 4xx and non-idempotent calls included, three times; neither is configurable
 * through its public API. So the caller is replaced, by reflection, with one built through the
 * client's own package-private constructor: a single attempt (CineLab's {@link RestApi} decides what
 * is safe to retry), an Apache client with timeouts and no automatic retries, and the client's
 * rate-limit (429) backoff kept. If a future client version changes these internals, the stock
 * client is used and a warning says that timeouts are missing.
 */
final class OfficialClient {
    private static final Logger LOG = LoggerFactory.getLogger(OfficialClient.class);
    private static final int RATE_LIMIT_MAX_MILLIS = 60_000;
    private static final int RATE_LIMIT_FIRST_SLEEP_MILLIS = 1_000;
    private static final int MAX_CONNECTIONS = 16;

    private OfficialClient() {}

    static MlflowClient create(RestSettings settings) {
        BasicMlflowHostCreds creds = new BasicMlflowHostCreds(settings.baseUri(), settings.username(),
                settings.password(), settings.token(), settings.insecureTls());
        MlflowClient client = new MlflowClient(creds);
        try {
            installCaller(client, creds, httpClient(settings));
        } catch (ReflectiveOperationException | RuntimeException | GeneralSecurityException e) {
            LOG.warn("Could not configure timeouts on the MLflow Java client ({}); requests to {} may wait forever",
                    UserMessages.of(e), settings.baseUri());
        }
        return client;
    }

    private static void installCaller(MlflowClient client, MlflowHostCredsProvider creds, CloseableHttpClient http)
            throws ReflectiveOperationException {
        Class<?> callerClass = Class.forName("org.mlflow.tracking.MlflowHttpCaller");
        Constructor<?> constructor = callerClass.getDeclaredConstructor(MlflowHostCredsProvider.class, int.class,
                int.class, int.class, CloseableHttpClient.class);
        constructor.setAccessible(true);
        Object caller = constructor.newInstance(creds, RATE_LIMIT_MAX_MILLIS, RATE_LIMIT_FIRST_SLEEP_MILLIS, 1, http);
        Field field = MlflowClient.class.getDeclaredField("httpCaller");
        field.setAccessible(true);
        field.set(client, caller);
    }

    private static CloseableHttpClient httpClient(RestSettings settings) throws GeneralSecurityException {
        int connect = (int) settings.connectTimeout().toMillis();
        int read = (int) settings.requestTimeout().toMillis();
        RequestConfig config = RequestConfig.custom().setConnectTimeout(connect).setConnectionRequestTimeout(connect)
                .setSocketTimeout(read).build();
        HttpClientBuilder builder = HttpClientBuilder.create().setDefaultRequestConfig(config)
                .disableAutomaticRetries().setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS);
        if (settings.insecureTls()) {
            builder.setSSLSocketFactory(new SSLConnectionSocketFactory(trustAll(), NoopHostnameVerifier.INSTANCE));
        }
        return builder.build();
    }

    /** For {@code MLFLOW_TRACKING_INSECURE_TLS=true}: accept any certificate, as MLflow's Python client does. */
    static SSLContext trustAll() throws GeneralSecurityException {
        TrustManager trustAll = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context;
    }
}
