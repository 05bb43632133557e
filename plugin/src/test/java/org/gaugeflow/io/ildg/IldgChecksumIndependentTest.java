package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checksum we write, recomputed from the file's bytes with java.util.zip.CRC32 and nothing of ours. */
class IldgChecksumIndependentTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<Arguments> cases() {
        return java.util.stream.Stream.of(Arguments.of(new SUN(3), "4x2x3x5", Precision.DOUBLE, 4 * 9 * 16),
                Arguments.of(new SUN(3), "4x2x3x5", Precision.FLOAT, 4 * 9 * 8),
                Arguments.of(U1.INSTANCE, "5x7", Precision.DOUBLE, 2 * 16));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void storedChecksumMatchesAHandComputation(GaugeGroup g, String lattice, Precision p, int siteBytes)
            throws Exception {
        try (PointerScope s = new PointerScope()) {
            Path f = dir.resolve("c.lime");
            IldgWriter.write(f, TestConfigs.haarIldg(g, lattice, 8), TestConfigs.options(p));
            List<TestConfigs.RawRecord> recs = TestConfigs.parseByHand(f);
            byte[] data = recs.get(6).data();
            assertEquals("ildg-binary-data", recs.get(6).type());
            assertEquals(0, data.length % siteBytes);
            int suma = 0;
            int sumb = 0;
            CRC32 crc = new CRC32();
            for (int r = 0; r < data.length / siteBytes; r++) {
                crc.reset();
                crc.update(data, r * siteBytes, siteBytes);
                int c = (int) crc.getValue();
                suma ^= (c << (r % 29)) | (c >>> ((32 - r % 29) % 32));
                sumb ^= (c << (r % 31)) | (c >>> ((32 - r % 31) % 32));
            }
            String xml = new String(recs.get(7).data(), StandardCharsets.UTF_8);
            assertEquals(String.format("%08x", suma), find(xml, "suma"));
            assertEquals(String.format("%08x", sumb), find(xml, "sumb"));
        }
    }

    private static String find(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([0-9a-f]{8})</" + tag + ">").matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no lowercase 8-digit <" + tag + "> in " + xml);
        }
        return m.group(1);
    }
}
