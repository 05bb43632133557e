package org.gaugeflow.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The C ABI's promises (gaugeflow_engine.h, ERRORS and ABI VERSION): the version check, and every
 * entry point answering bad input or an impossible allocation with its error value, never a crash.
 */
class NativeAbiTest {

    /** A small buffer: the calls below must fail before reading or writing it beyond its end. */
    private static final int DOUBLES = 4 * 3 * 3 * 2;

    @Test
    void loadedLibraryHasTheExpectedAbiVersion() {
        assertTrue(NativeEngine.available(), NativeEngine.unavailableReason());
        assertNull(NativeEngine.unavailableReason());
        assertEquals(NativeEngine.ABI_VERSION, NativeEngine.gf_abi_version());
    }

    @Test
    void abiMismatchIsOneLineNamingBothVersions() {
        assertNull(NativeEngine.abiMismatch(4, 4));
        String reason = NativeEngine.abiMismatch(3, 4);
        assertEquals("native engine ABI version 3, expected 4: rebuild with mvn -B package", reason);
        assertFalse(reason.contains("\n"));
        assertEquals("native engine ABI version 0, expected 2: rebuild with mvn -B package",
                NativeEngine.abiMismatch(0, 2));
    }

    @Test
    void everyStatusCodeHasItsOwnText() {
        Set<String> texts = new HashSet<>();
        String unknown = NativeEngine.gf_error_string(99);
        assertEquals("unknown error code", unknown);
        for (int code = NativeEngine.GF_OK; code <= NativeEngine.GF_ERR_INTERNAL; code++) {
            String text = NativeEngine.gf_error_string(code);
            assertNotEquals(unknown, text, "code " + code);
            assertTrue(texts.add(text), "code " + code);
        }
        assertEquals("unknown error code", NativeEngine.gf_error_string(-1));
    }

    static Stream<Arguments> invalidGeometries() {
        return Stream.of(
                Arguments.of(0, 2, new int[] {4, 4}, NativeEngine.GF_ERR_GROUP),
                Arguments.of(4, 2, new int[] {4, 4}, NativeEngine.GF_ERR_GROUP),
                Arguments.of(1, 1, new int[] {4}, NativeEngine.GF_ERR_DIM),
                Arguments.of(1, 5, new int[] {4, 4, 4, 4, 4}, NativeEngine.GF_ERR_DIM),
                Arguments.of(2, 2, null, NativeEngine.GF_ERR_ARG),
                Arguments.of(2, 3, new int[] {4, 1, 4}, NativeEngine.GF_ERR_EXTENT),
                Arguments.of(1, 2, new int[] {-4, 4}, NativeEngine.GF_ERR_EXTENT),
                Arguments.of(3, 4, new int[] {2048, 2048, 2048, 2048}, NativeEngine.GF_ERR_EXTENT));
    }

    /** Invalid geometry: status functions return the geometry's code, double ones NaN, the size 0. */
    @ParameterizedTest
    @MethodSource("invalidGeometries")
    void invalidGeometryGivesTheErrorValueEverywhere(int nc, int nd, int[] dims, int code) {
        try (DoublePointer u = new DoublePointer(DOUBLES); DoublePointer p = new DoublePointer(DOUBLES);
             DoublePointer f = new DoublePointer(DOUBLES)) {
            double[] result = new double[NativeEngine.GF_RES_COUNT];
            assertEquals(code, NativeEngine.gf_check_geometry(nc, nd, dims));
            assertEquals(0L, NativeEngine.gf_field_doubles(nc, nd, dims));
            assertEquals(code, NativeEngine.gf_force(nc, nd, dims, 1.0, u, f));
            assertEquals(code, NativeEngine.gf_unit_field(nc, nd, dims, u));
            assertEquals(code, NativeEngine.gf_random_field(nc, nd, dims, 1, 0, u));
            assertEquals(code, NativeEngine.gf_reunitarize(nc, nd, dims, u));
            assertEquals(code, NativeEngine.gf_random_momenta(nc, nd, dims, 1, 0, p));
            assertEquals(code, NativeEngine.gf_integrate(nc, nd, dims, 1.0, NativeEngine.GF_LEAPFROG, 1.0, 1, u, p));
            assertEquals(code, NativeEngine.gf_trajectory(nc, nd, dims, 1.0, NativeEngine.GF_LEAPFROG, 1.0, 1,
                    1, 0, u, p, result));
            assertTrue(Double.isNaN(NativeEngine.gf_plaquette(nc, nd, dims, u)));
            assertTrue(Double.isNaN(NativeEngine.gf_action(nc, nd, dims, 1.0, u)));
            assertTrue(Double.isNaN(NativeEngine.gf_kinetic(nc, nd, dims, p)));
            assertTrue(Double.isNaN(NativeEngine.gf_unitarity_violation(nc, nd, dims, u)));
            assertTrue(Double.isNaN(NativeEngine.gf_force_flops(nc, nd, dims)));
        }
    }

    /** Valid geometry, missing pointers: GF_ERR_ARG and NaN; gf_copy does nothing. */
    @Test
    void nullPointersGiveTheErrorValueEverywhere() {
        int[] dims = {2, 2};
        int leap = NativeEngine.GF_LEAPFROG;
        try (DoublePointer u = new DoublePointer(NativeEngine.gf_field_doubles(2, 2, dims))) {
            NativeEngine.gf_unit_field(2, 2, dims, u);
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_force(2, 2, dims, 1.0, u, null));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_force(2, 2, dims, 1.0, null, u));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_unit_field(2, 2, dims, null));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_random_field(2, 2, dims, 1, 0, null));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_reunitarize(2, 2, dims, null));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_random_momenta(2, 2, dims, 1, 0, null));
            assertEquals(NativeEngine.GF_ERR_ARG, NativeEngine.gf_integrate(2, 2, dims, 1.0, leap, 1.0, 1, u, null));
            assertEquals(NativeEngine.GF_ERR_ARG,
                    NativeEngine.gf_trajectory(2, 2, dims, 1.0, leap, 1.0, 1, 1, 0, u, null, null));
            assertTrue(Double.isNaN(NativeEngine.gf_plaquette(2, 2, dims, null)));
            assertTrue(Double.isNaN(NativeEngine.gf_action(2, 2, dims, 1.0, null)));
            assertTrue(Double.isNaN(NativeEngine.gf_kinetic(2, 2, dims, null)));
            assertTrue(Double.isNaN(NativeEngine.gf_unitarity_violation(2, 2, dims, null)));
            NativeEngine.gf_copy(null, u, 4);
            NativeEngine.gf_copy(u, null, 4);
            try (DoublePointer v = new DoublePointer(4)) {
                v.put(new double[] {7, 7, 7, 7});
                NativeEngine.gf_copy(v, u, -1);
                assertEquals(7.0, v.get(0), 0.0);
                NativeEngine.gf_copy(v, u, 4);
                assertEquals(1.0, v.get(0), 0.0);
                assertEquals(0.0, v.get(1), 0.0);
            }
        }
    }

    /**
     * 2^30 sites of 4D SU(3) pass the geometry check, but the work memory of one MD call (the force
     * buffer: 576 GiB; the trajectory's three buffers: 1.7 TiB) exceeds physical memory: the calls
     * return GF_ERR_ALLOC at once and touch neither the tiny field nor the result.
     */
    @Test
    void impossibleWorkMemoryIsRefusedWithAllocError() {
        assumeTrue(physicalMemoryBytes() < (512L << 30), "machine has 512 GiB or more of memory");
        int[] dims = {128, 128, 256, 256};
        assertEquals(NativeEngine.GF_OK, NativeEngine.gf_check_geometry(3, 4, dims));
        assertEquals(4L * (1L << 30) * 18, NativeEngine.gf_field_doubles(3, 4, dims));
        try (DoublePointer u = new DoublePointer(DOUBLES); DoublePointer p = new DoublePointer(DOUBLES)) {
            for (int i = 0; i < DOUBLES; i++) {
                u.put(i, 0.25);
            }
            double[] result = {-1, -1, -1, -1, -1, -1};
            assertEquals(NativeEngine.GF_ERR_ALLOC,
                    NativeEngine.gf_integrate(3, 4, dims, 5.6, NativeEngine.GF_OMELYAN, 1.0, 1, u, p));
            assertEquals(NativeEngine.GF_ERR_ALLOC,
                    NativeEngine.gf_trajectory(3, 4, dims, 5.6, NativeEngine.GF_OMELYAN, 1.0, 1, 1, 0, u, p, result));
            assertEquals(0.25, u.get(0), 0.0);
            assertEquals(-1.0, result[NativeEngine.GF_RES_DH], 0.0);
        }
        assertTrue(NativeEngine.gf_error_string(NativeEngine.GF_ERR_ALLOC).startsWith("out of memory"));
    }

    /** The larger of the JVM's view (a container limit) and the host's /proc/meminfo. */
    private static long physicalMemoryBytes() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    bytes = Math.max(bytes, 1024L * Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (Exception e) {
            // not Linux: the JVM's figure stands
        }
        return bytes;
    }
}
