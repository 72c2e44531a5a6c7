package org.cinelab.data.netflix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Rfc4180ParserTest {
    private static final Path SRC = Path.of("t.csv");

    private static List<String[]> fields(String text) throws MalformedDataException {
        return Rfc4180Parser.parse(text, SRC).stream().map(Rfc4180Parser.CsvRecord::fields).toList();
    }

    @Test
    void quotedFieldsKeepCommasDoubledQuotesAndLineBreaks() throws Exception {
        List<Rfc4180Parser.CsvRecord> records = Rfc4180Parser.parse(
                "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\"\"\n", SRC);
        assertEquals(3, records.size());
        assertArrayEquals(new String[] {"x, y", "say \"hi\"", "two\nlines"}, records.get(1).fields());
        assertArrayEquals(new String[] {"last", "", ""}, records.get(2).fields());
        assertEquals(List.of(1L, 2L, 4L), records.stream().map(Rfc4180Parser.CsvRecord::line).toList());
    }

    @Test
    void crlfLineEndingsAndAMissingFinalNewlineAreAccepted() throws Exception {
        List<String[]> rows = fields("a,b\r\n1,\"2\r\n3\"\r\n4,5");
        assertEquals(3, rows.size());
        assertArrayEquals(new String[] {"1", "2\r\n3"}, rows.get(1));
        assertArrayEquals(new String[] {"4", "5"}, rows.get(2));
    }

    @Test
    void blankLinesBetweenRecordsAreIgnored() throws Exception {
        assertEquals(2, fields("a,b\n\n1,2\n\n").size());
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndNonAsciiTextDecoded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.csv");
        byte[] body = "name,city\nJoão,Zürich\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(file, withBom);
        List<Rfc4180Parser.CsvRecord> records = Rfc4180Parser.parse(file);
        assertArrayEquals(new String[] {"name", "city"}, records.get(0).fields());
        assertArrayEquals(new String[] {"João", "Zürich"}, records.get(1).fields());
    }

    @Test
    void anUnterminatedQuoteNamesTheLineWhereItOpened() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> fields("a,b\n1,2\n3,\"never closed\n4,5\n"));
        assertEquals("t.csv:3: unterminated quoted field (opened on line 3, no closing quote before end of file): "
                + "\"3,\\\"never closed\\n4,5\\n\"", e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void aRecordWithTheWrongNumberOfFieldsIsRejected() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> fields("a,b,c\n1,2,3\n\"x\ny\",2\n"));
        assertEquals("t.csv:3: record has 2 fields, expected 3 as in the header: \"\\\"x\\ny\\\",2\"", e.getMessage());
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsRejected() {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> fields("a,b\n1,say \"hi\"\n"));
        assertEquals("t.csv:2: quote inside an unquoted field (quote the whole field and double inner quotes): "
                + "\"1,say \\\"hi\\\"\"", e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsRejected() {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> fields("a,b\n\"1\"x,2\n"));
        assertEquals("t.csv:2: unexpected 'x' after closing quote (expected ',' or end of line): \"\\\"1\\\"x,2\"",
                e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8NameTheLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "a,b\nok,ok\nCaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Rfc4180Parser.parse(file));
        assertEquals(file + ":3: unknown encoding: byte 0xE9 at column 4 is not valid UTF-8 (re-save the file as UTF-8): "
                + "\"Caf\u00e9,1\"", e.getMessage());
    }

    @Test
    void utf16TextIsRefusedAsAnUnknownEncoding(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("utf16.csv");
        Files.write(file, "a,b\n".getBytes(StandardCharsets.UTF_16));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Rfc4180Parser.parse(file));
        assertEquals(1, e.line());
        assertEquals("unknown encoding: UTF-16 byte-order mark (expected UTF-8)", e.problem());
    }

    @Test
    void headerOnlyGivesOneRecord() throws Exception {
        assertEquals(List.of("a,b"), fields("a,b\n").stream().map(r -> String.join(",", Arrays.asList(r))).toList());
    }
}
