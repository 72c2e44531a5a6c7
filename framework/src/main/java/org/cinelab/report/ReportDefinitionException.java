package org.cinelab.report;

/** A report definition that cannot be used, located as {@code file:line: field 'x': problem}. */
public final class ReportDefinitionException extends IllegalArgumentException {
    public ReportDefinitionException(String message) { super(message); }
}
