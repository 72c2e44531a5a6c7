package org.cinelab.data.netflix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 CSV reader: fields separated by commas, records by LF or CRLF; a quoted field
 * may hold commas, line breaks and doubled quotes. Input is UTF-8, with or without a byte-order
 * mark. Blank lines between records are ignored, as pandas and Python's csv module do. Anything
 * else that RFC 4180 does not allow (a quote inside an unquoted field, text after a closing quote,
 * a quote left open at the end of the file, a record with a different number of fields than the
 * header) is a {@link MalformedDataException} naming the file and line.
 */
public final class Rfc4180Parser {
    private Rfc4180Parser() {}

    /** One record and the physical line (1-based) it starts on. */
    public record CsvRecord(long line, String[] fields) {}

    /** Reads the file; the first record is the header and fixes the field count of all others. */
    public static List<CsvRecord> parse(Path file) throws IOException {
        return parse(decodeUtf8(file, Files.readAllBytes(file)), file);
    }

    /** Parses text already in memory; {@code source} names it in error messages. */
    public static List<CsvRecord> parse(String text, Path source) throws MalformedDataException {
        return new Cursor(text, source).records();
    }

    static String decodeUtf8(Path file, byte[] bytes) throws MalformedDataException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE)) {
            throw new MalformedDataException(file, 1, "unknown encoding: UTF-16 byte-order mark (expected UTF-8)",
                    "");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes, start);
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int lineEnd = lineStart;
            while (lineEnd < bytes.length && bytes[lineEnd] != '\n') lineEnd++;
            String shown = new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            throw new MalformedDataException(file, line, String.format(
                    "unknown encoding: byte 0x%02X at column %d is not valid UTF-8 (re-save the file as UTF-8)",
                    bytes[bad] & 0xff, bad - lineStart + 1), shown);
        }
    }

    private static int firstInvalidUtf8(byte[] b, int from) {
        int i = from;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (extra < 0 || i + extra >= b.length) return i;
            int second = b[i + 1] & 0xff;
            boolean secondOk = switch (c) {
                case 0xE0 -> second >= 0xA0 && second <= 0xBF;
                case 0xED -> second >= 0x80 && second <= 0x9F;
                case 0xF0 -> second >= 0x90 && second <= 0xBF;
                case 0xF4 -> second >= 0x80 && second <= 0x8F;
                default -> (second & 0xC0) == 0x80;
            };
            if (!secondOk) return i;
            for (int k = 2; k <= extra; k++) if ((b[i + k] & 0xC0) != 0x80) return i;
            i += extra + 1;
        }
        return b.length - 1;
    }

    private static final class Cursor {
        private final String s;
        private final Path source;
        private int pos;
        private long line = 1;

        Cursor(String s, Path source) {
            this.s = s;
            this.source = source;
        }

        List<CsvRecord> records() throws MalformedDataException {
            List<CsvRecord> out = new ArrayList<>();
            int width = -1;
            while (pos < s.length()) {
                if (atLineBreak()) {
                    skipLineBreak();
                    continue;
                }
                int recordStart = pos;
                long recordLine = line;
                String[] fields = record(recordStart, recordLine);
                if (width < 0) {
                    width = fields.length;
                } else if (fields.length != width) {
                    throw new MalformedDataException(source, recordLine,
                            "record has " + fields.length + " fields, expected " + width + " as in the header",
                            s.substring(recordStart, Math.min(pos, s.length())).stripTrailing());
                }
                out.add(new CsvRecord(recordLine, fields));
            }
            return out;
        }

        private String[] record(int recordStart, long recordLine) throws MalformedDataException {
            List<String> fields = new ArrayList<>();
            while (true) {
                fields.add(pos < s.length() && s.charAt(pos) == '"' ? quoted(recordStart, recordLine) : unquoted());
                if (pos >= s.length()) break;
                char c = s.charAt(pos);
                if (c == ',') {
                    pos++;
                    continue;
                }
                skipLineBreak();
                break;
            }
            return fields.toArray(new String[0]);
        }

        private String unquoted() throws MalformedDataException {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ',' || atLineBreak()) break;
                if (c == '"') {
                    throw new MalformedDataException(source, line,
                            "quote inside an unquoted field (quote the whole field and double inner quotes)",
                            currentLine());
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        private String quoted(int recordStart, long recordLine) throws MalformedDataException {
            long openedOn = line;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                int close = s.indexOf('"', pos);
                if (close < 0) {
                    throw new MalformedDataException(source, openedOn,
                            "unterminated quoted field (opened on line " + openedOn + ", no closing quote before end of file)",
                            s.substring(recordStart, Math.min(s.length(), recordStart + 120)));
                }
                countLines(pos, close);
                sb.append(s, pos, close);
                pos = close + 1;
                if (pos < s.length() && s.charAt(pos) == '"') {
                    sb.append('"');
                    pos++;
                    continue;
                }
                if (pos < s.length() && s.charAt(pos) != ',' && !atLineBreak()) {
                    throw new MalformedDataException(source, line,
                            "unexpected '" + s.charAt(pos) + "' after closing quote (expected ',' or end of line)",
                            currentLine());
                }
                return sb.toString();
            }
        }

        private boolean atLineBreak() {
            char c = s.charAt(pos);
            return c == '\n' || c == '\r' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n';
        }

        private void skipLineBreak() {
            if (s.charAt(pos) == '\r') pos++;
            pos++;
            line++;
        }

        private void countLines(int from, int to) {
            for (int i = from; i < to; i++) if (s.charAt(i) == '\n') line++;
        }

        private String currentLine() {
            int start = s.lastIndexOf('\n', pos - 1) + 1;
            int end = s.indexOf('\n', pos);
            return s.substring(start, end < 0 ? s.length() : end).stripTrailing();
        }
    }
}
