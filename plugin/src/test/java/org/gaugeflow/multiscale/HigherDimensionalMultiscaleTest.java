package org.gaugeflow.multiscale;

import static org.gaugeflow.tensor.Tensors.mul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.ModelRegistry;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.physics.WilsonLoop;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multiscale models in d = 3, 4 (Sec. 4): doubling layers whose perpendicular links are slices drawn by
 * lower-dimensional slice models with out-of-slice staples, and conditional U_B. U(1), SU(2), SU(3), float64.
 */
class HigherDimensionalMultiscaleTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void oneThread() { torch.set_num_threads(1); }

    /**
     * Untrained but non-trivial staple-conditional models: U(1) heatbath + spline couplings with perturbed weights
     * ({@link StapleConditionalModelTest#perturbedModel}); SU(N) spectral flows with random last layers.
     */
    static StapleConditionalFactory factory(GaugeGroup group, Rng init) {
        if (group instanceof SUN g) {
            return (role, lattice, n) -> new SUNStapleConditionalModel(g, n, 1, new int[] {8}, 4, 0.5, F64, init);
        }
        return (role, lattice, n) -> StapleConditionalModelTest.perturbedModel(n, init);
    }

    static MultiscaleModel model(String group, String coarse, String target, UBMode ub, long seed) {
        GaugeGroup g = GaugeGroup.parse(group);
        try (Rng init = new Rng(seed, F64)) {
            return MultiscaleModel.build(g, Lattice.parse(coarse), Lattice.parse(target), new MultiscaleModel.Structure(ub, 2),
                    factory(g, init), null);
        }
    }

    /**
     * log q returned with a sample equals logProb of that sample to 1e-10; log q is invariant under random gauge
     * transformations, for samples and for Haar configurations (which the model did not draw).
     */
    @ParameterizedTest(name = "{0} {1} -> {2}, u_b {3}")
    @CsvSource({"u1, 2x2x2, 4x4x4, conditional", "u1, 2x2x2, 4x4x4, haar", "u1, 2x2x2, 4x4x4, checkerboard",
            "su2, 2x2x2, 4x4x2, conditional", "su3, 2x2x2, 4x4x2, checkerboard",
            "u1, 2x2x2x2, 4x4x4x2, checkerboard", "u1, 2x2x2x2, 4x4x4x2, haar",
            "su2, 2x2x2x2, 4x4x4x2, conditional", "su3, 2x2x2x2, 4x4x4x2, conditional"})
    void sampledLogQEqualsLogProbAndIsGaugeInvariant(String group, String coarse, String target, String ub) {
        long t0 = System.nanoTime();
        MultiscaleModel m = model(group, coarse, target, UBMode.parse(ub), 61);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(62, F64); NoGradGuard g = new NoGradGuard()) {
            Sample x = m.sample(2, rng);
            Tensor lp = m.logProb(x.value());
            double diff = Tensors.maxAbs(lp.sub(x.logQ()));
            System.out.printf("%s %s -> %s u_b %s: log q %s, |logProb - log q| %.2e%n", group, coarse, target, ub,
                    java.util.Arrays.toString(Tensors.toArray(x.logQ())), diff);
            assertTrue(diff < 1e-10, "logProb(sample) - log q = " + diff);
            assertTrue(Tensors.maxAbs(x.logQ()) > 1, "log q ~ 0: the model is (nearly) Haar, nothing tested");
            GaugeField f = new GaugeField(m.group(), m.lattice(), x.value());
            GaugeField h = GaugeField.haar(m.group(), m.lattice(), 2, rng);
            for (GaugeField field : new GaugeField[] {f, h}) {
                Tensor a = field == f ? lp : m.logProb(field.links());
                GaugeField t = GaugeTransformation.apply(field, GaugeTransformation.random(field, rng));
                double gd = Tensors.maxAbs(m.logProb(t.links()).sub(a));
                assertTrue(gd < 1e-10, "log q changes under a gauge transformation by " + gd);
                assertTrue(Tensors.maxAbs(t.links().sub(field.links())) > 0.1);
            }
        }
        System.out.printf("  %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The fine field restricted to the sites of every coarser level reproduces that level's links as products of the
     * fine links along straight paths (each level is sampled by the layers in turn, so this is what the doubling layers
     * preserve: Eq. (5) and the even links of Eq. (9)).
     */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"u1, 2x2x2, 4x4x4", "su2, 2x2x2, 4x4x2", "su3, 2x2x2x2, 4x4x2x2", "u1, 2x2x2x2, 4x4x4x2"})
    void fineFieldReproducesTheCoarseLinks(String group, String coarse, String target) {
        MultiscaleModel m = model(group, coarse, target, UBMode.CONDITIONAL, 63);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(64, F64); NoGradGuard g = new NoGradGuard()) {
            java.util.List<GaugeField> levels = new java.util.ArrayList<>();
            GaugeField f = new GaugeField(m.group(), m.coarseLattice(), m.coarsePrior().sample(2, rng).value());
            levels.add(f);
            for (DoublingLayer layer : m.layers()) {
                f = layer.refine(f, rng).field();
                levels.add(f);
            }
            GaugeField fine = levels.get(levels.size() - 1);
            int d = fine.lattice().dims();
            for (GaugeField level : levels) {
                for (int nu = 0; nu < d; nu++) {
                    int[] b = new int[d];
                    for (int rho = 0; rho < d; rho++) b[rho] = fine.lattice().extent(rho) / level.lattice().extent(rho);
                    Tensor path = subsample(WilsonLoop.line(fine, nu, b[nu]), b);
                    double diff = Tensors.maxAbs(path.sub(level.link(nu)));
                    assertTrue(diff < 1e-12, "level " + level.lattice() + ", direction " + nu + ": path product differs by " + diff);
                }
            }
            // and the coarse plaquettes are fine-lattice Wilson loops
            GaugeField c = levels.get(0);
            int[] b = new int[d];
            for (int rho = 0; rho < d; rho++) b[rho] = fine.lattice().extent(rho) / c.lattice().extent(rho);
            Tensor loop = subsample(WilsonLoop.loop(fine, 0, 1, b[0], b[1]), b);
            assertTrue(Tensors.maxAbs(loop.sub(WilsonLoop.loop(c, 0, 1, 1, 1))) < 1e-12, "coarse plaquette != fine Wilson loop");
        }
    }

    /** A per-site tensor of the fine lattice at the sites x = z b of a coarser level. */
    static Tensor subsample(Tensor perSite, int[] b) {
        int d = b.length;
        Tensor t = perSite;
        for (int rho = 0; rho < d; rho++) {
            if (b[rho] == 1) continue;
            long dim = GaugeField.siteDim(d, rho);
            t = t.unflatten(dim, t.size(dim) / b[rho], b[rho]).select(dim + 1, 0);
        }
        return t;
    }

    /**
     * The out-of-slice staples a 3D layer hands to its slice model close the 1 x b rectangles of the fine field on
     * either side of the slice: Re Tr[V_nu(y) S_A(y)] is the (1 along mu) x (b_nu along nu) loop at y - mu and
     * Re Tr[V_nu(y) S_B(y)] the one at y, for every level of the slice.
     */
    @Test
    void sliceStaplesCloseTheFineRectangles() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(65, F64); NoGradGuard g = new NoGradGuard()) {
            GaugeGroup grp = new SUN(2);
            Lattice fineLat = Lattice.parse("4x4x4");
            GaugeField fine = GaugeField.haar(grp, fineLat, 2, rng);
            int d = 3;
            for (int mu = 0; mu < d; mu++) {
                SliceStaples st = new SliceStaples(fine, mu, null);
                assertEquals(2, st.count());
                for (String lvl : new String[] {"4x4", "2x4", "2x2"}) {
                    Lattice level = Lattice.parse(lvl);
                    Tensor ctx = st.staples(level);                       // [B L_mu / 2, 2, level sites..., 2, N, N]
                    for (int nu = 0, j = 0; nu < d; nu++) {
                        if (nu == mu) continue;
                        int[] b = new int[d];
                        for (int rho = 0, k = 0; rho < d; rho++) b[rho] = rho == mu ? 1 : 4 / level.extent(k++);
                        Tensor link = sliceView(subsample(WilsonLoop.line(fine, nu, b[nu]), b), d, mu);
                        Tensor rect = subsample(WilsonLoop.loop(fine, mu, nu, 1, b[nu]), b);
                        Tensor rectA = sliceView(GaugeField.shift(rect, d, mu, -1), d, mu);
                        Tensor rectB = sliceView(rect, d, mu);
                        Tensor c = ctx.select(1, j++);
                        double da = Tensors.maxAbs(Tensors.reTrace(mul(link, c.select(-3, 0))).sub(Tensors.reTrace(rectA)));
                        double db = Tensors.maxAbs(Tensors.reTrace(mul(link, c.select(-3, 1))).sub(Tensors.reTrace(rectB)));
                        assertTrue(da < 1e-12 && db < 1e-12, "mu " + mu + " nu " + nu + " level " + lvl + ": S_A " + da + ", S_B " + db);
                    }
                }
            }
        }
    }

    /** Odd mu-positions of a per-site tensor, mu moved into the batch: the slice layout. */
    static Tensor sliceView(Tensor perSite, int d, int mu) {
        return SliceStaples.toSliceBatch(SliceStaples.odd(perSite, d, mu), d, mu, 1);
    }

    /** Refinement then coarsening gives the coarse field and the same log q (3D and 4D layers, every u_b mode). */
    @ParameterizedTest(name = "{0} on {1}, mu = {2}")
    @CsvSource({"u1, 2x2x2, 0", "su3, 2x4x2, 2", "su2, 2x2x2x2, 3", "u1, 4x2x2x2, 1"})
    void coarsenInvertsRefine(String group, String lattice, int mu) {
        GaugeGroup grp = GaugeGroup.parse(group);
        Lattice coarse = Lattice.parse(lattice);
        DoublingLayer layer;
        try (Rng init = new Rng(66, F64)) {
            layer = DoublingLayer.build(grp, coarse, mu, 0, new MultiscaleModel.Structure(UBMode.CHECKERBOARD, 2),
                    factory(grp, init));
        }
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(67, F64); NoGradGuard g = new NoGradGuard()) {
            GaugeField c = GaugeField.haar(grp, coarse, 2, rng);
            DoublingLayer.Doubled r = layer.refine(c, rng);
            assertEquals(coarse.refined(mu, 2), r.field().lattice());
            DoublingLayer.Doubled back = layer.coarsen(r.field());
            assertTrue(Tensors.maxAbs(back.field().links().sub(c.links())) < 1e-12, "coarsen(refine(c)) != c");
            assertTrue(Tensors.maxAbs(back.logQ().sub(r.logQ())) < 1e-10, "log q of refine != log q of coarsen");
            Tensor fineMu = r.field().link(mu);
            assertTrue(Tensors.maxAbs(mul(layer.parity(fineMu, 0), layer.parity(fineMu, 1)).sub(c.link(mu))) < 1e-12, "U_A U_B != U_mu");
        }
    }

    /**
     * The YAML model types multiscale (U(1)) and sun-multiscale take 3D and 4D targets: the default coarse lattice is
     * 2^d, u_b and slice_coarse reach the slice models, a U(1) fine flow composes on top, and bad values are one-line
     * errors.
     */
    @Test
    void yamlModelTypesBuildThreeAndFourDimensionalModels() {
        try (Rng rng = new Rng(68, F64)) {
            MultiscaleModel u3 = fromYaml("u1", "4x4x4", "{type: multiscale, scm_layers: 1, scm_hidden: [4], u_b: checkerboard, "
                    + "fine_layers: 1, hidden: [4]}");
            assertEquals(Lattice.parse("2x2x2"), u3.coarseLattice());
            assertNotNull(u3.fineFlow());
            MultiscaleModel slice = u3.layers().get(2).slice();
            assertEquals(Lattice.parse("4x4"), slice.lattice());
            assertEquals(Lattice.parse("2x2"), slice.coarseLattice());
            assertEquals(2, slice.outerStaples());
            assertEquals(UBMode.CHECKERBOARD, slice.layers().get(0).ubMode());
            assertEquals(UBMode.HAAR, u3.layers().get(0).ubMode(), "top-level U_B is Haar");
            MultiscaleModel u4 = fromYaml("u1", "4x4x2x2", "{type: multiscale, scm_layers: 0, u_b: haar, fine_layers: 0}");
            assertEquals(UBMode.HAAR, u4.layers().get(1).slice().layers().get(0).ubMode());
            MultiscaleModel s3 = fromYaml("su2", "4x4x2", "{type: sun-multiscale, coarse: 2x2x2, scm_iterations: 1, hidden: [4], "
                    + "bins: 4, init_scale: 0.3, slice_coarse: 2, fine_iterations: 0}");
            assertEquals(UBMode.CONDITIONAL, s3.layers().get(1).slice().layers().get(0).ubMode(), "default u_b");
            for (MultiscaleModel m : new MultiscaleModel[] {u3, u4, s3}) {
                try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                    Sample x = m.sample(2, rng);
                    assertTrue(Tensors.maxAbs(m.logProb(x.value()).sub(x.logQ())) < 1e-10);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fromYaml("u1", "4x4x4", "{type: multiscale, u_b: sometimes}"));
        assertTrue(e.getMessage().contains("model.u_b") && e.getMessage().contains("haar, conditional or checkerboard"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fromYaml("u1", "4x4x4", "{type: multiscale, slice_coarse: 1}"));
        assertTrue(e.getMessage().contains("model.slice_coarse"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fromYaml("su3", "4x4x4", "{type: sun-multiscale, u_B: haar}"));
        assertTrue(e.getMessage().contains("unknown key 'model.u_B'") && e.getMessage().contains("u_b"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fromYaml("u1", "4x4x4", "{type: multiscale, coarse: 2x2}"));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }

    private static MultiscaleModel fromYaml(String group, String lattice, String section) {
        try (Rng init = new Rng(69, F64)) {
            return (MultiscaleModel) ModelRegistry.build(new Theory(GaugeGroup.parse(group), Lattice.parse(lattice), 1.0),
                    ConfigSection.parse("model: " + section, "test").section("model"), F64, init);
        }
    }
}
