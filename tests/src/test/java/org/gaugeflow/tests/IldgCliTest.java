package org.gaugeflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.cli.Main;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gaugeflow ildg info|verify|convert} through {@link Main#execute}, on the ILDG fixtures of this module's
 * test resources (expected values: {@code src/test/resources/fixtures/ildg/README.md}).
 */
class IldgCliTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String fixture(String name) {
        return Fixtures.ildg(name).toString();
    }

    @Test
    void infoPrintsTheJsonOfTheThermalizedFixture() throws Exception {
        Run r = run("ildg", "info", fixture("su3-4x4x4x4-b5.7-binary-only.ildg"));
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1, j.get("records").size());
        assertEquals("ildg-binary-data", j.get("records").get(0).get("type").asText());
        assertEquals(0, j.get("records").get(0).get("offset").asLong());
        assertEquals(147456, j.get("records").get(0).get("length").asLong());
        assertEquals("[4,4,4,4]", j.get("lattice").toString());
        assertEquals(64, j.get("precision").asInt());
        assertEquals("su3gauge", j.get("field").asText());
        assertTrue(j.get("checksum").get("stored").isNull());
        assertTrue(j.get("checksum").get("ok").isNull());
        assertEquals(0.5682158, j.get("plaquette").asDouble(), 5e-8);
        assertTrue(j.get("max_unitarity_deviation").asDouble() < 1e-10);
    }

    @Test
    void infoOfTheTmLqcdFixtureShowsItsChecksum() throws Exception {
        Run r = run("ildg", "info", fixture("unity-4x4x4x4-tmlqcd.lime"));
        assertEquals(0, r.status(), r.err());
        JsonNode sum = new ObjectMapper().readTree(r.out()).get("checksum");
        assertEquals("35b49a1b", sum.get("stored").get("suma").asText());
        assertEquals("b49a1b35", sum.get("stored").get("sumb").asText());
        assertEquals(sum.get("stored"), sum.get("computed"));
        assertTrue(sum.get("ok").asBoolean());
    }

    @Test
    void convertThenVerifyAndDetectAFlippedByte() throws Exception {
        Path out = dir.resolve("conf32.lime");
        Run c = run("ildg", "convert", fixture("su3-4x4x4x4-b5.7-binary-only.ildg"), out.toString(), "--precision", "32");
        assertEquals(0, c.status(), c.err());
        assertEquals(0, run("ildg", "verify", out.toString()).status());
        JsonNode j = new ObjectMapper().readTree(run("ildg", "info", out.toString()).out());
        assertEquals(32, j.get("precision").asInt());
        assertEquals("ildg-format", j.get("lattice_source").asText());
        assertEquals(8, j.get("records").size());
        assertEquals(0.5682158, j.get("plaquette").asDouble(), 1e-6);

        long dataOffset = j.get("records").get(6).get("data_offset").asLong();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, dataOffset + 1234);
            b.put(0, (byte) (b.get(0) ^ 1));
            ch.write(b.flip(), dataOffset + 1234);
        }
        Run bad = run("ildg", "verify", out.toString());
        assertEquals(1, bad.status());
        assertTrue(bad.err().matches("gaugeflow: .*conf32\\.lime: SciDAC checksum mismatch: stored suma [0-9a-f]{8}"
                + " sumb [0-9a-f]{8}, computed suma [0-9a-f]{8} sumb [0-9a-f]{8}\\R"), bad.err());
    }

    @Test
    void errorsAreOneLineWithTheRightStatus() throws Exception {
        Run missing = run("ildg", "verify", dir.resolve("none.lime").toString());
        assertEquals(2, missing.status());
        assertEquals(1, missing.err().lines().count(), missing.err());

        Run precision = run("ildg", "convert", fixture("unity-4x4x4x4-tmlqcd.lime"), dir.resolve("o.lime").toString(),
                "--precision", "16");
        assertEquals(2, precision.status());
        assertEquals("gaugeflow: --precision 16: expected 32 or 64", precision.err().strip());
        assertFalse(Files.exists(dir.resolve("o.lime")));

        Path notLime = Files.writeString(dir.resolve("notes.txt"), "x".repeat(300));
        Run garbage = run("ildg", "info", notLime.toString());
        assertEquals(1, garbage.status());
        assertEquals("gaugeflow: " + notLime + " at offset 0: bad LIME magic 0x78787878, expected 0x456789ab",
                garbage.err().strip());
        assertFalse(garbage.err().contains("\tat "), "no stack trace without --debug");

        Run wrongLattice = run("ildg", "info", "--lattice", "4x4x4x8", fixture("unity-4x4x4x4-tmlqcd.lime"));
        assertEquals(1, wrongLattice.status());
        assertTrue(wrongLattice.err().strip().endsWith("the file's ildg-format says lattice 4x4x4x4 but 4x4x4x8 was given"),
                wrongLattice.err());
    }

    /** A file cut at a record boundary before its checksum: readers take it with a warning, verify fails. */
    @Test
    void verifyFailsOnAFileCutBeforeItsChecksumRecord() throws Exception {
        Path full = dir.resolve("full.lime");
        assertEquals(0, run("ildg", "convert", fixture("su3-4x4x4x4-b5.7-binary-only.ildg"), full.toString()).status());
        JsonNode records = new ObjectMapper().readTree(run("ildg", "info", full.toString()).out()).get("records");
        JsonNode last = records.get(records.size() - 1);
        assertEquals("scidac-checksum", last.get("type").asText());
        Path cut = dir.resolve("cut.lime");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(full), (int) last.get("offset").asLong()));

        Run info = run("ildg", "info", cut.toString());
        assertEquals(0, info.status(), info.err());
        assertTrue(new ObjectMapper().readTree(info.out()).get("warnings").toString().contains("MB/ME"), info.out());
        Run verify = run("ildg", "verify", cut.toString());
        assertEquals(1, verify.status(), verify.out());
        String err = verify.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("cut.lime: the last LIME message is not ended") && err.contains("cut at a record boundary")
                && err.contains("no scidac-checksum"), err);
        assertEquals(0, run("ildg", "verify", full.toString()).status());
    }

    /** Links that are not in the group (NaN) are not given a fresh checksum unless forced. */
    @Test
    void convertRefusesLinksThatAreNotInTheGroupUnlessForced() throws Exception {
        Path nan = dir.resolve("nan.lime");
        try (PointerScope s = new PointerScope()) {
            IldgConfiguration conf = IldgReader.read(Fixtures.ildg("su3-4x4x4x4-b5.7-binary-only.ildg"));
            Tensor links = conf.links().clone();
            links.view(-1).narrow(0, 17, 1).fill_(new Scalar(Double.NaN));
            IldgWriter.write(nan, links, IldgWriter.Options.of(Precision.DOUBLE, new Provenance("test", "wilson", 5.7, "test", 1L, null)));
        }
        Path out = dir.resolve("out.lime");
        Run refused = run("ildg", "convert", nan.toString(), out.toString());
        assertEquals(1, refused.status(), refused.out());
        String err = refused.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("nan.lime: max |U U^dagger - 1| = NaN") && err.contains("--force"), err);
        assertFalse(Files.exists(out));
        Run forced = run("ildg", "convert", nan.toString(), out.toString(), "--force");
        assertEquals(0, forced.status(), forced.err());
        assertEquals(1, run("ildg", "verify", out.toString()).status());
    }

    /** A killed convert's temporary file is removed by the next write of the same file. */
    @Test
    void convertRemovesTheLeftoverOfAKilledConvert() throws Exception {
        Path left = Files.writeString(dir.resolve(".conv.lime.k3j2x9.tmp"), "partial");
        Path other = Files.writeString(dir.resolve(".notes.tmp"), "not ours");
        Run c = run("ildg", "convert", fixture("unity-4x4x4x4-tmlqcd.lime"), dir.resolve("conv.lime").toString());
        assertEquals(0, c.status(), c.err());
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(other));
    }
}
