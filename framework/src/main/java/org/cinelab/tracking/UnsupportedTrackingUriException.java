package org.cinelab.tracking;

/** A tracking URI CineLab cannot write to (yet), e.g. {@code sqlite:} or {@code http:}; the message says what works. */
public class UnsupportedTrackingUriException extends IllegalArgumentException {
    private final String uri;

    public UnsupportedTrackingUriException(String uri, String message) {
        super(message);
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }
}
