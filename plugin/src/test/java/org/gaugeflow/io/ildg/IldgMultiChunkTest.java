package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fields larger than one I/O chunk (4 MiB): chunk boundaries must not shift, drop or reorder sites. */
class IldgMultiChunkTest {

    @TempDir
    Path dir;

    @Test
    void roundTripAcrossChunks() throws Exception {
        try (PointerScope s = new PointerScope()) {
            // 10x10x10x12 SU(3): 12000 sites, 6.9 MB at 64 bits (2 chunks), 3.5 MB at 32 bits (1 chunk)
            Tensor u = TestConfigs.haarIldg(new SUN(3), "10x10x10x12", 21);
            for (Precision p : Precision.values()) {
                Path f = dir.resolve("big-" + p + ".lime");
                ScidacChecksum written = IldgWriter.write(f, u, TestConfigs.options(p));
                IldgConfiguration back = IldgReader.read(f, IldgReader.Options.defaults().withVerifyChecksum(false));
                assertEquals(written, back.computed(), p.toString());
                assertEquals(Optional.of(true), back.checksumOk());
                Tensor expect = p == Precision.DOUBLE ? u
                        : u.to(org.bytedeco.pytorch.global.torch.ScalarType.ComplexFloat)
                                .to(org.bytedeco.pytorch.global.torch.ScalarType.ComplexDouble);
                assertTrue(back.links().equal(expect), p.toString());
            }
        }
    }
}
