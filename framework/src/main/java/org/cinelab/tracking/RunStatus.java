package org.cinelab.tracking;

/** MLflow run states, with the integer codes the file store writes in {@code meta.yaml}. */
public enum RunStatus {
    RUNNING(1), SCHEDULED(2), FINISHED(3), FAILED(4), KILLED(5);

    private final int code;

    RunStatus(int code) { this.code = code; }

    public int code() { return code; }

    public boolean isTerminal() { return this == FINISHED || this == FAILED || this == KILLED; }

    public static RunStatus fromCode(int code) {
        for (RunStatus s : values()) if (s.code == code) return s;
        throw new IllegalArgumentException("unknown MLflow run status code " + code);
    }
}
