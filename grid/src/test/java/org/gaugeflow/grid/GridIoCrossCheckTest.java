package org.gaugeflow.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.io.nersc.NerscDataType;
import org.gaugeflow.io.nersc.NerscFiles;
import org.gaugeflow.io.nersc.NerscFloatingPoint;
import org.gaugeflow.io.nersc.NerscWriter;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * I/O cross-checks through Grid (docs/grid.md): files written by gaugeflow's ILDG and NERSC writers are read by Grid's
 * readers (which verify checksums, and plaquette and link trace where the file has them) with the same links and
 * plaquette; files written by Grid's writers are read, and checked, by gaugeflow's readers. The lattice has unequal
 * extents so that a swapped axis would show.
 */
class GridIoCrossCheckTest {

    static final Lattice LAT = new Lattice(6, 4, 4, 8);
    static final Provenance PROVENANCE = new Provenance("test", "wilson", 6.0, "grid-cross-check", 0L, null);

    @TempDir Path tmp;

    @BeforeEach
    void grid() {
        GridTestSupport.assumeGrid();
    }

    private static Tensor roundedToFloat(Tensor u) {
        return u.to(FieldOptions.CPU_DOUBLE.torchDevice(), Precision.FLOAT.complexType())
                .to(FieldOptions.CPU_DOUBLE.torchDevice(), Precision.DOUBLE.complexType());
    }

    /** gaugeflow's ILDG writer (64 and 32 bit, with ildg-data-lfn) -> Grid's IldgReader: same links, same plaquette. */
    @ParameterizedTest
    @CsvSource({"DOUBLE", "FLOAT"})
    void gridReadsOurIldgFiles(Precision precision) throws Exception {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.hot(LAT, 31);
            Path file = tmp.resolve("ours-" + precision + ".ildg");
            IldgGaugeFields.write(file, f, 0, IldgWriter.Options.of(precision, PROVENANCE).withLfn("gaugeflow/cross-check"));
            GridLattice g = new GridLattice(LAT);
            Tensor read = torch.zeros_like(f.links());
            g.readIldg(file, read, 0);
            Tensor expected = precision == Precision.DOUBLE ? f.links() : roundedToFloat(f.links());
            assertTrue(read.equal(expected), "Grid read other links than we wrote: max diff " + GridTestSupport.maxAbsDiff(read, expected));
            assertEquals(WilsonAction.averagePlaquette(f.withLinks(expected)).item_double(), g.plaquette(read, 0), 1e-12);
        }
    }

    /** Grid's IldgWriter -> gaugeflow's ILDG reader (checksum verified): the same links. */
    @Test
    void weReadGridIldgFiles() throws Exception {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.hot(LAT, 32);
            Path file = tmp.resolve("grid.ildg");
            new GridLattice(LAT).writeIldg(file, f.links(), 0, "grid/cross-check");
            IldgGaugeFields.Loaded l = IldgGaugeFields.read(file, IldgReader.Options.defaults(), FieldOptions.CPU_DOUBLE);
            assertEquals(LAT, l.field().lattice());
            assertTrue(l.field().links().equal(f.links()), "we read other links than Grid wrote");
        }
    }

    /** gaugeflow's NERSC writer (3x3 and two-row, 64 and 32 bit) -> Grid's NerscIO reader (checksum, plaquette, link trace). */
    @ParameterizedTest
    @CsvSource({"SU3_GAUGE_3X3, IEEE64BIG", "SU3_GAUGE, IEEE64BIG", "SU3_GAUGE_3X3, IEEE32BIG", "SU3_GAUGE, IEEE64LITTLE"})
    void gridReadsOurNerscFiles(NerscDataType type, NerscFloatingPoint fp) throws Exception {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.hot(LAT, 33);
            Path file = tmp.resolve("ours-" + type + "-" + fp + ".nersc");
            NerscFiles.write(file, f, 0, NerscWriter.Options.defaults().withDataType(type).withFloatingPoint(fp));
            GridLattice g = new GridLattice(LAT);
            Tensor read = torch.zeros_like(f.links());
            g.readNersc(file, read, 0);
            boolean single = fp == NerscFloatingPoint.IEEE32BIG;
            Tensor expected = single ? roundedToFloat(f.links()) : f.links();
            double diff = GridTestSupport.maxAbsDiff(read, expected);
            if (type == NerscDataType.SU3_GAUGE_3X3) {
                assertTrue(read.equal(expected), "Grid read other links than we wrote: max diff " + diff);
            } else {
                assertTrue(diff < 1e-14, "two-row file: third row reconstructed by Grid differs by " + diff);
            }
            assertEquals(WilsonAction.averagePlaquette(f.withLinks(expected)).item_double(), g.plaquette(read, 0), 1e-13);
        }
    }

    /** Grid's NERSC writer (3x3 and two-row, IEEE64BIG) -> gaugeflow's NERSC reader with all header checks. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void weReadGridNerscFiles(boolean twoRow) throws Exception {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.hot(LAT, 34);
            Path file = tmp.resolve("grid-" + twoRow + ".nersc");
            new GridLattice(LAT).writeNersc(file, f.links(), 0, twoRow);
            NerscFiles.Loaded l = NerscFiles.read(file);
            assertEquals(twoRow ? NerscDataType.SU3_GAUGE : NerscDataType.SU3_GAUGE_3X3, l.configuration().header().dataType());
            double diff = GridTestSupport.maxAbsDiff(l.field().links(), f.links());
            if (twoRow) {
                assertTrue(diff < 1e-14, "two-row file: third row differs by " + diff);
            } else {
                assertTrue(l.field().links().equal(f.links()), "we read other links than Grid wrote: max diff " + diff);
            }
        }
    }
}
