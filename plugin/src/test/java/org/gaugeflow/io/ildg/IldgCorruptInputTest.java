package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.lime.LimeFormatException;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage gives one clear line naming the file and what is wrong. */
class IldgCorruptInputTest {

    @TempDir
    Path dir;

    private PointerScope scope;
    private Path file;
    private List<TestConfigs.RawRecord> records;

    @BeforeEach
    void writeGoodFile() throws Exception {
        scope = new PointerScope();
        file = dir.resolve("conf.lime");
        IldgWriter.write(file, TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 9), TestConfigs.options(Precision.DOUBLE));
        records = TestConfigs.parseByHand(file);
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private TestConfigs.RawRecord record(String type) {
        return records.stream().filter(r -> r.type().equals(type)).findFirst().orElseThrow();
    }

    private void overwrite(long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(bytes, offset);
        }
    }

    private static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void truncatedFile() throws Exception {
        TestConfigs.RawRecord bin = record("ildg-binary-data");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(bin.dataOffset() + 1000);
        }
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> IldgReader.read(file));
        assertEquals(file + " at offset " + (bin.dataOffset() - 144) + ": record 'ildg-binary-data' declares 9216"
                + " data bytes but only 1000 remain in the file (truncated or corrupt)", e.getMessage());
        assertOneLine(e);
    }

    @Test
    void wrongMagic() throws Exception {
        overwrite(0, ByteBuffer.wrap(new byte[] {'P', 'K', 3, 4}));
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> IldgReader.read(file));
        assertEquals(file + " at offset 0: bad LIME magic 0x504b0304, expected 0x456789ab", e.getMessage());
    }

    @Test
    void lengthPastTheEnd() throws Exception {
        TestConfigs.RawRecord sum = record("scidac-checksum");
        overwrite(sum.dataOffset() - 144 + 8, ByteBuffer.allocate(8).putLong(0, 1L << 40));
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> IldgReader.read(file));
        assertTrue(e.getMessage().startsWith(file + " at offset " + (sum.dataOffset() - 144)
                + ": record 'scidac-checksum' declares 1099511627776 data bytes but only "), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void flippedDataByteIsAChecksumMismatchShowingBothValues() throws Exception {
        TestConfigs.RawRecord bin = record("ildg-binary-data");
        byte[] one = {(byte) (bin.data()[777] ^ 0x10)};
        overwrite(bin.dataOffset() + 777, ByteBuffer.wrap(one));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> IldgReader.read(file));
        assertEquals(file + ": SciDAC checksum mismatch: stored " + e.stored() + ", computed " + e.computed(),
                e.getMessage());
        assertTrue(e.getMessage().matches(".*stored suma [0-9a-f]{8} sumb [0-9a-f]{8}, computed suma [0-9a-f]{8}"
                + " sumb [0-9a-f]{8}"), e.getMessage());
        IldgConfiguration unchecked = IldgReader.read(file, IldgReader.Options.defaults().withVerifyChecksum(false));
        assertEquals(Optional.of(false), unchecked.checksumOk());
    }

    @Test
    void xmlLatticeThatDoesNotFitTheData() throws Exception {
        LimeFiles rebuilt = new LimeFiles();
        for (TestConfigs.RawRecord r : records) {
            String xml = new String(r.data(), java.nio.charset.StandardCharsets.UTF_8);
            rebuilt.add(r.type(), r.type().equals("ildg-format") ? xml.replace("<lt>2</lt>", "<lt>4</lt>").getBytes()
                    : r.data());
        }
        rebuilt.write(file);
        IldgFormatException e = assertThrows(IldgFormatException.class, () -> IldgReader.read(file));
        assertEquals(file + ": ildg-format says 2x2x2x4 su3gauge 64-bit = 18432 bytes, but ildg-binary-data holds"
                + " 9216 bytes", e.getMessage());
    }

    @Test
    void noBinaryRecord() throws Exception {
        Path f = new LimeFiles().add("ildg-format", "<ildgFormat/>").write(dir.resolve("meta-only.lime"));
        assertEquals(f + ": no ildg-binary-data record among 1 LIME records",
                assertThrows(IldgFormatException.class, () -> IldgReader.read(f)).getMessage());
    }

    @Test
    void notANumberInXml() throws Exception {
        Path f = new LimeFiles().add("ildg-format", "<ildgFormat><field>su3gauge</field><lx>four</lx></ildgFormat>")
                .add("ildg-binary-data", new byte[8]).write(dir.resolve("nan.lime"));
        assertEquals(f + " ildg-format: <lx> is 'four', expected an integer",
                assertThrows(IldgFormatException.class, () -> IldgReader.read(f)).getMessage());
        assertTrue(Files.exists(f));
    }

    @Test
    void extentsWhoseSizeOverflowsNameTheFileAndLattice() throws Exception {
        Path f = new LimeFiles().add("ildg-format", "<ildgFormat><field>su3gauge</field><precision>64</precision>"
                + "<lx>1000000000</lx><ly>1000000000</ly><lz>1000000000</lz><lt>1000000000</lt></ildgFormat>")
                .add("ildg-binary-data", new byte[8]).write(dir.resolve("huge.lime"));
        IldgFormatException e = assertThrows(IldgFormatException.class, () -> IldgReader.read(f));
        assertEquals(f + ": lattice 1000000000x1000000000x1000000000x1000000000 (from ildg-format) of su3gauge: its size in"
                + " bytes overflows 64-bit integers; expected a lattice that fits in a file", e.getMessage());
    }

    @Test
    void aHugeGroupInTheFieldNameIsRefusedWithTheName() throws Exception {
        Path f = new LimeFiles().add("ildg-format", "<ildgFormat><field>su99999999999gauge</field><lx>2</lx></ildgFormat>")
                .add("ildg-binary-data", new byte[8]).write(dir.resolve("suhuge.lime"));
        Exception e = assertThrows(Exception.class, () -> IldgReader.read(f));
        assertTrue(e.getMessage().contains("su99999999999gauge") && !e.getMessage().contains("For input string"), e.getMessage());
        assertOneLine(e);
    }
}
