package org.gaugeflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gaugeflow.cli.Main;
import org.gaugeflow.io.ildg.IldgArrays;
import org.gaugeflow.io.nersc.NerscReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gaugeflow convert} between ILDG and NERSC on the thermalized 4^4 SU(3) fixture written by another code:
 * ILDG -> NERSC -> ILDG keeps every link bit for bit (3x3, 64 bit), the NERSC file passes its own checks
 * (checksum, plaquette, link trace), and what NERSC cannot hold is refused with a one-line error.
 */
class ConvertCliTest {

    @Test
    void ildgToNerscAndBackKeepsTheLinks(@TempDir Path tmp) throws Exception {
        Path in = Fixtures.ildg("su3-4x4x4x4-b5.7-binary-only.ildg");
        Path nersc = tmp.resolve("conf.nersc");
        Path back = tmp.resolve("back.ildg");
        assertEquals(0, Main.execute("convert", in.toString(), nersc.toString(), "--format", "nersc"));
        var n = NerscReader.read(nersc);   // verifies checksum, plaquette and link trace
        assertEquals(0.5682158, n.header().doubleValue("PLAQUETTE"), 5e-7);
        assertEquals(0, Main.execute("convert", nersc.toString(), back.toString(), "--format", "ildg"));
        IldgArrays.Configuration a = IldgArrays.read(in);
        IldgArrays.Configuration b = IldgArrays.read(back);
        assertArrayEquals(a.extents(), b.extents());
        assertArrayEquals(a.links(), b.links(), 0.0);

        Path two = tmp.resolve("two.nersc");
        assertEquals(0, Main.execute("convert", in.toString(), two.toString(), "--format", "nersc", "--two-rows"));
        assertTrue(Files.size(two) < Files.size(nersc), "two rows per link are smaller");
        // the two stored rows come back exactly; the third is rebuilt as conj(row 0 x row 1) (computed here
        // independently), which differs from the input's own third row by its distance from SU(3)
        double[] t = NerscReader.read(two).links();
        double[] x = a.links();
        for (int link = 0; link < t.length / 18; link++) {
            int o = 18 * link;
            for (int i = 0; i < 12; i++) assertEquals(x[o + i], t[o + i], 0.0, "stored row, real " + (o + i));
            for (int c = 0; c < 3; c++) {
                int c1 = (c + 1) % 3;
                int c2 = (c + 2) % 3;
                // (r0 x r1)_c = r0[c1] r1[c2] - r0[c2] r1[c1]; the third row is its complex conjugate
                double re = mulRe(x, o + 2 * c1, o + 6 + 2 * c2) - mulRe(x, o + 2 * c2, o + 6 + 2 * c1);
                double im = mulIm(x, o + 2 * c1, o + 6 + 2 * c2) - mulIm(x, o + 2 * c2, o + 6 + 2 * c1);
                assertEquals(re, t[o + 12 + 2 * c], 1e-15, "rebuilt row, link " + link);
                assertEquals(-im, t[o + 13 + 2 * c], 1e-15, "rebuilt row, link " + link);
            }
        }
    }

    @Test
    void whatNerscCannotHoldIsRefused(@TempDir Path tmp) throws Exception {
        Path u1 = tmp.resolve("u1.ildg");
        double[] links = new double[4 * 4 * 2 * 2];
        for (int i = 0; i < links.length; i += 2) links[i] = 1.0;   // unit U(1) links on 4x4
        IldgArrays.write(u1, new IldgArrays.Configuration(new long[] {4, 4}, 1, links), org.gaugeflow.tensor.Precision.DOUBLE,
                new org.gaugeflow.io.ildg.Provenance("test", null, null, "test", null, null));
        assertEquals(2, Main.execute("convert", u1.toString(), tmp.resolve("x.nersc").toString(), "--format", "nersc"));
        assertTrue(Files.notExists(tmp.resolve("x.nersc")));
        assertEquals(2, Main.execute("convert", u1.toString(), tmp.resolve("y").toString(), "--format", "json"));
        Path junk = tmp.resolve("junk");
        Files.writeString(junk, "not a gauge field");
        assertEquals(2, Main.execute("convert", junk.toString(), tmp.resolve("z").toString(), "--format", "ildg"));
    }

    private static double mulRe(double[] v, int a, int b) { return v[a] * v[b] - v[a + 1] * v[b + 1]; }

    private static double mulIm(double[] v, int a, int b) { return v[a] * v[b + 1] + v[a + 1] * v[b]; }
}
