package org.cinelab.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that does not match its format, located to the line: {@code file:line: problem: text}. */
public class DataFormatException extends IOException {
    public DataFormatException(String message) { super(message); }

    public static DataFormatException at(Path file, long line, String text, String problem) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return new DataFormatException(file + ":" + line + ": " + problem + ": '" + shown + "'");
    }
}
