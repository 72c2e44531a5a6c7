package org.cinelab.tracking.rest;

import java.io.IOException;

/**
 * An MLflow server refused a request: HTTP {@code status} with MLflow's {@code error_code}
 * (e.g. {@code INVALID_PARAMETER_VALUE}) and message. 4xx answers are not retried.
 */
public class MlflowServerException extends IOException {
    private final int status;
    private final String errorCode;

    public MlflowServerException(String message, int status, String errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** MLflow's {@code error_code}, or null when the body was not MLflow's JSON error. */
    public String errorCode() {
        return errorCode;
    }

    public boolean isRetryable() {
        return status >= 500 || status == 429 || status == 408;
    }
}
