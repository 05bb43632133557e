package org.gaugeflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.Density;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.ReverseKlTrainer;
import org.junit.jupiter.api.Test;

/** The model registry: one key check for every model type, one weight-initialization convention. */
class ModelRegistryTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    static Theory theoryFor(String type) {
        return type.startsWith("sun") ? new Theory(new SUN(3), Lattice.parse("4x4"), 2.0) : new Theory(U1.INSTANCE, Lattice.parse("4x4"), 2.0);
    }

    static Module build(String section, Theory theory, long seed) {
        try (Rng init = new Rng(seed, F64)) {
            return ModelRegistry.build(theory, ConfigSection.parse("model: " + section, "test.yaml").section("model"), F64, init);
        }
    }

    @Test
    void everyTypeRejectsAnUnknownKeyWithTheAllowedOnes() {
        Set<String> types = ModelRegistry.types();
        assertEquals(Set.of("u1-flow", "multiscale", "sun-flow", "sun-multiscale"), types);
        for (String type : types) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> build("{type: " + type + ", layer: 2}", theoryFor(type), 1), type);
            String m = e.getMessage();
            assertTrue(m.startsWith("config test.yaml: unknown key 'model.layer'; expected one of [type, "), m);
            for (String k : ModelRegistry.type(type).keys()) assertTrue(m.contains(k), type + ": " + m + " lacks " + k);
            assertTrue(!m.contains("\n"), "one line: " + m);
        }
    }

    @Test
    void aTypoInAU1FlowConfigurationIsRefusedNotSilentlyDefaulted() {
        String yaml = "theory: {group: u1, lattice: 4x4, beta: 2.0}\nmodel: {type: u1-flow, layer: 2}\ntraining: {steps: 1}\n";
        RunConfig cfg = RunConfig.parse(yaml, "run.yaml");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainedModel.build(cfg));
        assertTrue(e.getMessage().contains("unknown key 'model.layer'") && e.getMessage().contains("layers"), e.getMessage());
    }

    @Test
    void wrongKindsOfValuesAndGroupsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build("{type: u1-flow, layers: two}", theoryFor("u1-flow"), 1));
        assertEquals("config test.yaml: model.layers = 'two', expected an integer", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build("{type: sun-flow}", theoryFor("u1-flow"), 1));
        assertTrue(e.getMessage().startsWith("config test.yaml: ") && e.getMessage().contains("sun-flow expects su2, su3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build("{type: nonesuch}", theoryFor("u1-flow"), 1));
        assertTrue(e.getMessage().contains("expected one of"), e.getMessage());
    }

    @Test
    void duplicateKeysAreAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunConfig.parse(
                "theory: {group: u1, lattice: 4x4, beta: 2.0}\nmodel: {type: u1-flow}\ntraining: {steps: 1, steps: 2}\n", "dup.yaml"));
        assertTrue(e.getMessage().startsWith("config dup.yaml: not valid YAML") && e.getMessage().contains("steps"), e.getMessage());
    }

    /** Weights come from the init stream alone: the same seed gives the same model, another seed another. */
    @Test
    void weightsComeFromTheExplicitInitStream() {
        for (String section : new String[] {"{type: u1-flow, layers: 2, hidden: [4]}", "{type: multiscale, scm_layers: 1, scm_hidden: [4], fine_layers: 1, hidden: [4]}",
                "{type: sun-flow, hidden: [4], init_scale: 0.5}", "{type: sun-multiscale, hidden: [4], init_scale: 0.5}"}) {
            String type = section.substring(7, section.indexOf(','));
            Module a = build(section, theoryFor(type), 5);
            org.bytedeco.pytorch.global.torch.manual_seed(12345);   // the global generator must not matter
            Module b = build(section, theoryFor(type), 5);
            Module c = build(section, theoryFor(type), 6);
            assertTrue(a instanceof Density);
            assertTrue(ReverseKlTrainer.parameterCount(a) > 0);
            assertEquals(0.0, distance(a, b), type + ": same seed, same weights");
            assertTrue(distance(a, c) > 0, type + ": another seed, other weights");
        }
    }

    private static double distance(Module a, Module b) {
        var pa = a.parameters();
        var pb = b.parameters();
        assertEquals(pa.size(), pb.size());
        double d = 0;
        for (long i = 0; i < pa.size(); i++) d = Math.max(d, pa.get(i).sub(pb.get(i)).abs().max().item_double());
        return d;
    }
}
