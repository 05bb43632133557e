package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What real files contain, and the reader accepts. */
class IldgTolerantReaderTest {

    @TempDir
    Path dir;

    private PointerScope scope;

    @BeforeEach
    void scope() {
        scope = new PointerScope();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        scope.close();
    }

    /** Data bytes and checksum of a configuration, written by our writer and taken apart by hand. */
    private record Parts(Tensor links, byte[] data, ScidacChecksum sum) {
    }

    private Parts parts(Tensor links, Precision p) throws Exception {
        Path f = dir.resolve("source.lime");
        ScidacChecksum sum = IldgWriter.write(f, links, TestConfigs.options(p));
        byte[] data = TestConfigs.parseByHand(f).stream().filter(r -> r.type().equals("ildg-binary-data"))
                .findFirst().orElseThrow().data();
        return new Parts(links, data, sum);
    }

    private static String format(String field, int bits, long... ext) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<ildgFormat xmlns=\"http://www.lqcd.org/ildg\">\n"
                + "  <field>\n    " + field + "\n  </field>\n  <precision> " + bits + " </precision>\n");
        String[] names = {"lx", "ly", "lz", "lt"};
        for (int i = 0; i < ext.length; i++) {
            b.append("  <").append(names[i]).append(">\t").append(ext[i]).append("\n</").append(names[i]).append(">\n");
        }
        return b.append("</ildgFormat>\n\0").toString();
    }

    private static String checksum(String a, String b) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scidacChecksum>\n  <version>1.0</version>\n  <suma> " + a
                + " </suma>\n  <sumb>\n" + b + "</sumb>\n</scidacChecksum>\n\0\0";
    }

    @Test
    void binaryOnlyHypercubeIsInferredFromTheDataSize() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(new SUN(3), "4x4x4x4", 1), Precision.DOUBLE);
        Path f = new LimeFiles().add("ildg-binary-data", p.data()).write(dir.resolve("bin.ildg"));
        IldgConfiguration c = IldgReader.read(f);
        assertTrue(c.links().equal(p.links()));
        assertEquals("data size (hypercube)", c.info().layoutSource());
        assertEquals("4x4x4x4 su3gauge 64-bit", c.info().layout().toString());
        assertEquals(Optional.empty(), c.checksumOk());
        assertTrue(c.info().warnings().contains("no ildg-format record"));
    }

    @Test
    void binaryOnlyHypercubeAt32BitsIsInferredToo() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 1), Precision.FLOAT);
        Path f = new LimeFiles().add("ildg-binary-data", p.data()).write(dir.resolve("bin32.ildg"));
        assertEquals("2x2x2x2 su3gauge 32-bit", IldgReader.read(f).info().layout().toString());
    }

    @Test
    void binaryOnlyNonCubeNeedsTheUsersLatticeWhichMustFit() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(new SUN(3), "2x2x2x3", 2), Precision.FLOAT);
        Path f = new LimeFiles().add("ildg-binary-data", p.data()).write(dir.resolve("noncube.ildg"));
        IldgFormatException e = assertThrows(IldgFormatException.class, () -> IldgReader.read(f));
        assertEquals(f + ": no ildg-format record, and 6912 bytes of ildg-binary-data are not a 4D hypercube of"
                + " su3gauge; give the lattice (--lattice LxLxLxT)", e.getMessage());
        IldgConfiguration c = IldgReader.read(f, IldgReader.Options.defaults().withLattice(new long[] {2, 2, 2, 3}));
        assertEquals("user", c.info().layoutSource());
        assertEquals(Precision.FLOAT, c.info().layout().precision());
        assertTrue(c.links().sub(p.links()).abs().max().item_double() < 1e-7);
        IldgFormatException wrong = assertThrows(IldgFormatException.class, () -> IldgReader.read(f,
                IldgReader.Options.defaults().withLattice(new long[] {2, 2, 2, 4})));
        assertTrue(wrong.getMessage().contains("lattice 2x2x2x4 su3gauge needs 9216 (32-bit) or 18432 (64-bit) bytes,"
                + " but ildg-binary-data holds 6912 bytes"), wrong.getMessage());
    }

    @Test
    void whitespaceNulsPrefixedChecksumsUnknownAndRepeatedRecordsAndBadFlags() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(new SUN(3), "2x3x2x2", 3), Precision.DOUBLE);
        String a = "0x" + p.sum().sumaHex().toUpperCase();
        String b = "000" + p.sum().sumbHex();
        Path f = new LimeFiles()
                .add("xlf-info", "plaquette = 0.5\n trajectory nr = 7\n")
                .add("ildg-format", format("su3gauge", 64, 2, 3, 2, 2))
                .add("ildg-format", format("su3gauge", 64, 2, 3, 2, 2))
                .add("some-future-record", new byte[] {1, 2, 3})
                .add("ildg-binary-data", p.data())
                .add("scidac-checksum", checksum(a, b))
                .write(dir.resolve("odd.lime"), false);
        IldgConfiguration c = IldgReader.read(f);
        assertTrue(c.links().equal(p.links()));
        assertEquals(Optional.of(true), c.checksumOk());
        assertEquals(Optional.of(p.sum()), c.info().storedChecksum());
        List<String> w = c.info().warnings();
        assertTrue(w.contains("record 'ildg-format' appears 2 times; using the first"), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("inconsistent LIME MB/ME flag")), w.toString());
        assertEquals(6, c.info().records().size());
    }

    @Test
    void extensionLatticeAndFieldComeFromScidacRecordsWhenIldgFormatIsMissing() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(new SUN(2), "3x2x4", 4), Precision.DOUBLE);
        Path f = new LimeFiles()
                .add("scidac-private-file-xml", "<scidacFile><version>1.1</version><spacetime>3</spacetime>"
                        + "<dims>3 2 4 </dims><volfmt>0</volfmt></scidacFile>")
                .add("scidac-private-record-xml", "<scidacRecord><precision>D</precision><colors>2</colors>"
                        + "</scidacRecord>")
                .add("ildg-binary-data", p.data())
                .write(dir.resolve("su2.lime"));
        IldgConfiguration c = IldgReader.read(f);
        assertEquals("scidac-private-file-xml", c.info().layoutSource());
        assertEquals(FieldType.SU2, c.info().layout().field());
        assertArrayEquals(new long[] {3, 2, 4}, c.info().layout().extents());
        assertTrue(c.links().equal(p.links()));
    }

    @Test
    void u1TwoDimensionalFormatRecordIsRead() throws Exception {
        Parts p = parts(TestConfigs.haarIldg(U1.INSTANCE, "8x4", 5), Precision.FLOAT);
        Path f = new LimeFiles().add("ildg-format", format("u1gauge", 32, 8, 4)).add("ildg-binary-data", p.data())
                .write(dir.resolve("u1.lime"));
        IldgConfiguration c = IldgReader.read(f);
        assertEquals("8x4 u1gauge 32-bit", c.info().layout().toString());
    }
}
