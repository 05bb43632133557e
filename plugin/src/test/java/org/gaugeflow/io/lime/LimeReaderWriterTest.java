package org.gaugeflow.io.lime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimeReaderWriterTest {

    @TempDir
    Path dir;

    private Path writeRecords(String name, List<byte[]> data) throws IOException {
        Path f = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            LimeWriter w = new LimeWriter(ch);
            for (int i = 0; i < data.size(); i++) {
                w.writeRecord("rec-" + i, data.get(i), i == 0, i == data.size() - 1);
            }
        }
        return f;
    }

    @Test
    void writesAndReadsRecordsWithPaddingAndOffsets() throws IOException {
        byte[] a = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[16];
        byte[] c = new byte[0];
        Arrays.fill(b, (byte) 7);
        Path f = writeRecords("r.lime", List.of(a, b, c));
        assertEquals(144 + 8 + 144 + 16 + 144, Files.size(f));
        try (LimeReader r = LimeReader.open(f)) {
            List<LimeRecord> recs = r.records();
            assertEquals(3, recs.size());
            assertEquals(0, recs.get(0).headerOffset());
            assertEquals(144, recs.get(0).dataOffset());
            assertEquals(152, recs.get(1).headerOffset());
            assertEquals(312, recs.get(2).headerOffset());
            assertEquals("rec-1", recs.get(1).type());
            assertTrue(recs.get(0).header().messageBegin());
            assertFalse(recs.get(0).header().messageEnd());
            assertTrue(recs.get(2).header().messageEnd());
            assertArrayEquals(a, r.readBytes(recs.get(0), 100));
            assertArrayEquals(b, r.readBytes(recs.get(1), 100));
            assertArrayEquals(c, r.readBytes(recs.get(2), 100));
            ByteBuffer part = ByteBuffer.allocate(3);
            r.read(recs.get(0), 2, part);
            assertArrayEquals("llo".getBytes(StandardCharsets.US_ASCII), part.array());
            assertThrows(IOException.class, () -> r.read(recs.get(0), 3, ByteBuffer.allocate(3)));
            assertThrows(LimeFormatException.class, () -> r.readBytes(recs.get(1), 8));
        }
    }

    @Test
    void streamsARecordInPiecesAndChecksTheDeclaredLength() throws IOException {
        Path f = dir.resolve("s.lime");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            LimeWriter w = new LimeWriter(ch);
            try (LimeWriter.RecordOutput out = w.beginRecord("big", 11, true, true)) {
                out.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
                out.write(ByteBuffer.wrap(new byte[] {5, 6, 7, 8, 9, 10, 11}));
                assertThrows(IllegalStateException.class, () -> out.write(ByteBuffer.allocate(1)));
            }
            assertEquals(144 + 16, w.position());
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("short.lime"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            LimeWriter.RecordOutput shortOne = new LimeWriter(ch).beginRecord("short", 5, true, true);
            shortOne.write(ByteBuffer.allocate(2));
            assertThrows(IllegalStateException.class, shortOne::close);
        }
        try (LimeReader r = LimeReader.open(dir.resolve("s.lime"))) {
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, r.readBytes(r.records().get(0), 100));
        }
    }

    /** A sparse file with a 3 GiB record: offsets and reads past 2^31 work without reading it all. */
    @Test
    void handlesRecordsAndFilesLargerThan2GiB() throws IOException {
        long big = (3L << 30) + 5;
        Path f = dir.resolve("big.lime");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(new LimeHeader("ildg-binary-data", big, true, false).encode(), 0);
            long dataEnd = 144 + big;
            ch.write(ByteBuffer.wrap(new byte[] {42}), dataEnd - 1);
            long next = 144 + big + LimeHeader.padding(big);
            ch.write(new LimeHeader("scidac-checksum", 3, false, true).encode(), next);
            ch.write(ByteBuffer.wrap(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0}), next + 144);
        }
        try (LimeReader r = LimeReader.open(f)) {
            assertEquals(2, r.records().size());
            LimeRecord data = r.records().get(0);
            assertEquals(big, data.dataLength());
            LimeRecord sum = r.records().get(1);
            assertEquals(144 + big + 3, sum.headerOffset());
            ByteBuffer last = ByteBuffer.allocate(1);
            r.read(data, big - 1, last);
            assertEquals(42, last.get(0));
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), r.readBytes(sum, 10));
        }
    }

    @Test
    void truncatedDataIsALengthPastTheEnd() throws IOException {
        Path f = writeRecords("t.lime", List.of(new byte[10], new byte[1000]));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(f) - 100);
        }
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> LimeReader.open(f));
        assertEquals(f + " at offset 160: record 'rec-1' declares 1000 data bytes but only 900 remain in the file"
                + " (truncated or corrupt)", e.getMessage());
    }

    @Test
    void truncatedHeaderIsAnError() throws IOException {
        Path f = writeRecords("h.lime", List.of(new byte[8], new byte[8]));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(152 + 60);
        }
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> LimeReader.open(f));
        assertEquals(f + " at offset 152: truncated LIME header, 60 bytes where 144 were expected", e.getMessage());
    }

    @Test
    void missingPaddingAfterTheLastRecordIsTolerated() throws IOException {
        Path f = writeRecords("p.lime", List.of(new byte[3]));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(144 + 3);
        }
        try (LimeReader r = LimeReader.open(f)) {
            assertEquals(1, r.records().size());
        }
    }

    @Test
    void afewStrayZerosAfterTheLastRecordAreToleratedButNotOtherBytes() throws IOException {
        Path f = writeRecords("z.lime", List.of(new byte[8]));
        Files.write(f, new byte[5], StandardOpenOption.APPEND);
        try (LimeReader r = LimeReader.open(f)) {
            assertEquals(1, r.records().size());
        }
        Files.write(f, new byte[] {0, 1}, StandardOpenOption.APPEND);
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> LimeReader.open(f));
        assertEquals(f + " at offset 152: bad LIME magic 0x00000000, expected 0x456789ab", e.getMessage());
    }

    @Test
    void notALimeFileAndEmptyFileAreOneLineErrors() throws IOException {
        Path f = dir.resolve("x.txt");
        Files.writeString(f, "x".repeat(500));
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> LimeReader.open(f));
        assertEquals(f + " at offset 0: bad LIME magic 0x78787878, expected 0x456789ab", e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals(empty + ": empty file, expected LIME records",
                assertThrows(LimeFormatException.class, () -> LimeReader.open(empty)).getMessage());
    }
}
