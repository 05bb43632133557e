package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaugeflow.chain.HaarProposal;
import org.gaugeflow.flow.Density;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;

/**
 * The proposal models {@code gaugeflow sample --model} accepts: {@code haar} (the Haar measure, log q = 0,
 * needs --group, --lattice, --beta) or a run folder written by {@code gaugeflow train --out DIR}.
 */
public final class ProposalModels {
    private ProposalModels() {}

    /** A loaded model with the theory it was trained for and its checksum. */
    public record Loaded(Density density, FieldOptions options, GaugeGroup group, Lattice lattice, Double beta, String checksum,
            String name) {}

    static Loaded load(String spec, GaugeGroup group, Lattice lattice, FieldOptions options) throws IOException {
        if (spec.equals("haar")) {
            if (group == null || lattice == null) {
                throw new IllegalArgumentException("model haar: expected --group and --lattice");
            }
            return new Loaded(new HaarProposal(group, lattice, options), options, group, lattice, null, "haar", "haar");
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model '" + spec + "': expected haar or a folder written by gaugeflow train");
        }
        return TrainedModels.load(dir);
    }
}
