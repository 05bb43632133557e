package org.gaugeflow.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** The native engine alone: geometry, observables, force, momenta, zero-copy tensor access. */
class NativeEngineTest {

    static Stream<Arguments> groupsAndDims() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] dims = {{4, 3}, {3, 2, 4}, {2, 3, 2, 3}};
        for (int nc = 1; nc <= 3; nc++) {
            for (int[] d : dims) {
                b.add(Arguments.of(nc, d));
            }
        }
        return b.build();
    }

    @Test
    void libraryLoads() {
        assertTrue(NativeEngine.available(), NativeEngine.unavailableReason());
        assertEquals(NativeEngine.ABI_VERSION, NativeEngine.gf_abi_version());
        assertTrue(NativeEngine.gf_max_threads() >= 1);
    }

    @Test
    void badGeometryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NativeLattice(4, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new NativeLattice(1, 4));
        assertThrows(IllegalArgumentException.class, () -> new NativeLattice(1, 4, 4, 4, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new NativeLattice(3, 4, 1));
        assertEquals(NativeEngine.GF_ERR_EXTENT, NativeEngine.gf_check_geometry(2, 2, new int[] {2, 1}));
    }

    @ParameterizedTest
    @MethodSource("groupsAndDims")
    void unitFieldHasUnitPlaquetteAndNoForce(int nc, int[] dims) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, dims);
            Tensor u = TestFields.zeros(lat, 1);
            Tensor f = TestFields.zeros(lat, 1);
            lat.unitField(u, 0);
            long volume = 1;
            for (int l : dims) {
                volume *= l;
            }
            int planes = dims.length * (dims.length - 1) / 2;
            assertEquals(1.0, lat.plaquette(u, 0), 1e-15);
            // S = -(beta/N) sum Re Tr 1 = -beta V planes
            assertEquals(-2.5 * volume * planes, lat.action(u, 0, 2.5), 1e-9);
            lat.force(u, 0, 2.5, f, 0);
            double[] fv = TestFields.read(lat, f, 0);
            assertEquals(0.0, TestFields.maxAbsDiff(fv, new double[fv.length]), 1e-15);
        }
    }

    /** F is the force of H = K + S: dS/dt along U -> exp(i t P) U equals -2 Tr(P F) (SU(N)) or -P F (U(1)). */
    @ParameterizedTest
    @MethodSource("groupsAndDims")
    void forceIsMinusTheActionDerivative(int nc, int[] dims) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, dims);
            double beta = 1.7;
            Tensor u = TestFields.zeros(lat, 1);
            Tensor p = TestFields.zeros(lat, 1);
            Tensor f = TestFields.zeros(lat, 1);
            lat.randomField(u, 0, 11, 0);
            lat.randomMomenta(p, 0, 12, 0);
            lat.force(u, 0, beta, f, 0);
            double analytic = (nc == 1 ? -1.0 : -2.0)
                    * TestFields.reTrProduct(TestFields.read(lat, p, 0), TestFields.read(lat, f, 0));
            double h = 1e-4;
            double[] s = new double[2];
            for (int k = 0; k < 2; k++) {
                Tensor u2 = u.clone();
                Tensor p2 = p.clone();
                // beta = 0 in the MD: P stays, U <- exp(i t P) U with t = -h, +h
                lat.integrate(u2, 0, p2, 0, NativeEngine.GF_LEAPFROG, 0.0, k == 0 ? -h : h, 1);
                s[k] = lat.action(u2, 0, beta);
            }
            double numeric = (s[1] - s[0]) / (2 * h);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1.0, Math.abs(numeric)));
        }
    }

    @ParameterizedTest
    @MethodSource("groupsAndDims")
    void randomFieldAndUpdatesStayInTheGroup(int nc, int[] dims) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, dims);
            Tensor u = TestFields.zeros(lat, 2);
            Tensor p = TestFields.zeros(lat, 2);
            lat.randomField(u, 1, 5, 3);
            assertTrue(lat.unitarityViolation(u, 1) < 1e-14);
            lat.randomMomenta(p, 1, 6, 0);
            lat.integrate(u, 1, p, 1, NativeEngine.GF_OMELYAN, 3.0, 2.0, 7);
            assertTrue(lat.unitarityViolation(u, 1) < 1e-14);
            // configuration 0 of the batch is untouched
            double[] first = TestFields.read(lat, u, 0);
            assertEquals(0.0, TestFields.maxAbsDiff(first, new double[first.length]), 0.0);
        }
    }

    /** Momenta are Hermitian and traceless with pi_a ~ N(0,1): <K per link> = n_a / 2, Var = n_a / 2. */
    @ParameterizedTest
    @MethodSource("groupsAndDims")
    void momentaAreGaussianInTheAlgebra(int nc, int[] dims) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, dims);
            Tensor p = TestFields.zeros(lat, 1);
            int na = nc == 1 ? 1 : nc * nc - 1;
            long links = lat.fieldDoubles() / (2L * nc * nc);
            double sum = 0.0;
            int draws = 200;
            for (int k = 0; k < draws; k++) {
                lat.randomMomenta(p, 0, 99, k);
                sum += lat.kinetic(p, 0);
                double[] v = TestFields.read(lat, p, 0);
                for (int l = 0; l < links; l++) {
                    int o = 2 * nc * nc * l;
                    double trace = 0.0;
                    for (int i = 0; i < nc; i++) {
                        trace += v[o + 2 * (i * nc + i)];
                        assertEquals(0.0, v[o + 2 * (i * nc + i) + 1], 0.0);
                        for (int j = 0; j < nc; j++) {
                            assertEquals(v[o + 2 * (i * nc + j)], v[o + 2 * (j * nc + i)], 0.0);
                            assertEquals(v[o + 2 * (i * nc + j) + 1], -v[o + 2 * (j * nc + i) + 1], 0.0);
                        }
                    }
                    if (nc > 1) {
                        assertEquals(0.0, trace, 1e-14);
                    }
                }
            }
            double n = (double) draws * links;
            double mean = sum / n;
            double sigma = Math.sqrt(na / 2.0 / n);
            assertEquals(na / 2.0, mean, 4 * sigma);
        }
    }

    /** The same (seed, stream) gives bitwise the same trajectory for 1 and 2 threads. */
    @Test
    void trajectoriesDoNotDependOnThreadCount() {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(3, 4, 4, 4, 4);
            Tensor u1 = TestFields.zeros(lat, 1);
            lat.randomField(u1, 0, 1, 0);
            Tensor u2 = u1.clone();
            int saved = NativeEngine.gf_max_threads();
            try {
                NativeEngine.gf_set_threads(1);
                NativeTrajectory a = lat.trajectory(u1, 0, NativeEngine.GF_OMELYAN, 5.6, 0.5, 5, 7, 3, null, 0);
                NativeEngine.gf_set_threads(2);
                NativeTrajectory b = lat.trajectory(u2, 0, NativeEngine.GF_OMELYAN, 5.6, 0.5, 5, 7, 3, null, 0);
                assertEquals(a, b);
                assertEquals(0.0, TestFields.maxAbsDiff(TestFields.read(lat, u1, 0), TestFields.read(lat, u2, 0)), 0.0);
            } finally {
                NativeEngine.gf_set_threads(saved);
            }
        }
    }

    /** The engine addresses the tensor's own storage: a native write is visible through torch. */
    @Test
    void worksOnTensorMemoryWithoutCopy() {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(1, 4, 4);
            Tensor u = TestFields.zeros(lat, 3);
            org.bytedeco.javacpp.DoublePointer p2 = TensorMemory.field(u, lat.fieldDoubles(), 2);
            assertEquals(u.data_ptr().address() + 8 * 2 * lat.fieldDoubles(), p2.address() + 8 * p2.position());
            lat.unitField(u, 2);
            // |U| = 1 on every link of configuration 2 only, read back through torch
            assertEquals(32.0, u.select(0, 2).abs().sum().item_double(), 1e-12);
            assertEquals(0.0, u.select(0, 1).abs().sum().item_double(), 0.0);
            assertEquals(1.0, lat.plaquette(u, 2), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> lat.plaquette(u, 3));
            assertThrows(IllegalArgumentException.class, () -> lat.plaquette(u.transpose(2, 3), 0));
        }
    }

    /** A NaN in the field makes Delta H non-finite: the trajectory fails and leaves the field alone. */
    @Test
    void nonFiniteTrajectoryIsReportedAndRejected() {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(2, 4, 4);
            Tensor u = TestFields.zeros(lat, 1);
            lat.randomField(u, 0, 2, 0);
            double[] v = TestFields.read(lat, u, 0);
            v[5] = Double.NaN;
            TestFields.write(lat, u, 0, v);
            NativeEngineException e = assertThrows(NativeEngineException.class,
                    () -> lat.trajectory(u, 0, NativeEngine.GF_LEAPFROG, 2.0, 1.0, 10, 1, 0, null, 0));
            assertTrue(e.nonFinite());
            double[] after = TestFields.read(lat, u, 0);
            assertTrue(Double.isNaN(after[5]));
            after[5] = 0;
            v[5] = 0;
            assertEquals(0.0, TestFields.maxAbsDiff(v, after), 0.0);
        }
    }
}
