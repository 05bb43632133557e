package org.gaugeflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.training.RunConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML in examples/ parses, builds its model and draws a configuration whose log q equals logProb. */
class ExampleConfigsTest {
    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleBuildsAndSamples(Path yaml) throws IOException {
        RunConfig cfg = RunConfig.parse(Files.readString(yaml), yaml.getFileName().toString());
        Module model = TrainedModel.build(cfg);
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(5, cfg.options())) {
            Density d = (Density) model;
            Sample x = d.sample(2, rng);
            assertEquals(2, x.logQ().size(0));
            double diff = Tensors.maxAbs(d.logProb(x.value()).sub(x.logQ()));
            double scale = 1 + Tensors.maxAbs(x.logQ());
            double tol = cfg.options().precision().label().equals("float32") ? 1e-4 : 1e-10;
            assertTrue(diff < tol * scale, yaml + ": log q differs from logProb by " + diff + " (|log q| " + scale + ")");
        }
    }
}
