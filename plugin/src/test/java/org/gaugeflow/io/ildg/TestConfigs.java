package org.gaugeflow.io.ildg;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;

/** Fields and independent file parsing for the ILDG tests. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Provenance provenance() {
        return new Provenance("0.1.0-test", "wilson", 5.7, "hmc", 120L, "sha256:abc<&>");
    }

    /** A Haar-random configuration in ILDG order (complex128, CPU). */
    static Tensor haarIldg(GaugeGroup group, String lattice, long seed) {
        try (Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            return GaugeField.haar(group, Lattice.parse(lattice), 1, rng).toIldgOrder(0);
        }
    }

    static IldgWriter.Options options(Precision p) {
        return IldgWriter.Options.of(p, provenance());
    }

    /** A LIME record parsed by hand (not with our reader): type, flags, data offset and data. */
    record RawRecord(String type, int flags, long dataOffset, byte[] data) {
    }

    /** Parses a small LIME file with plain DataInputStream, independently of the code under test. */
    static List<RawRecord> parseByHand(Path file) throws IOException {
        List<RawRecord> out = new ArrayList<>();
        long offset = 0;
        try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in)) {
            long size = Files.size(file);
            while (offset < size) {
                int magic = d.readInt();
                if (magic != 0x456789AB) {
                    throw new IOException("bad magic at " + offset);
                }
                d.readShort();
                int flags = d.readUnsignedByte();
                d.readUnsignedByte();
                long len = d.readLong();
                byte[] type = new byte[128];
                d.readFully(type);
                int end = 0;
                while (type[end] != 0) {
                    end++;
                }
                byte[] data = new byte[(int) len];
                d.readFully(data);
                int pad = (int) ((8 - len % 8) % 8);
                d.readFully(new byte[pad]);
                out.add(new RawRecord(new String(type, 0, end, StandardCharsets.US_ASCII), flags, offset + 144, data));
                offset += 144 + len + pad;
            }
        }
        return out;
    }
}
