package org.cinelab.tracking;

/** MLflow's local file store ({@code ./mlruns}). (Stub: being written.) */
public abstract class MlflowFileStore implements Tracker {
}
