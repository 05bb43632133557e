package org.gaugeflow.chain;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.observables.Observable;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * Flow proposals drawn in batches on the model's device and consumed in order. Each batch also carries
 * the Metropolis uniforms, the log weights -S and the observables of its proposals, so a chain step needs
 * no device work. The stream's position is (generator state at the start of the current batch, index in
 * the batch): restoring it regenerates the same batch and continues at the same proposal.
 */
public final class ProposalStream implements AutoCloseable {
    private final Density model;
    private final GaugeGroup group;
    private final Lattice lattice;
    private final FieldOptions chainOptions;
    private final int batchSize;
    private final WilsonAction action;
    private final List<Observable> observables;
    private final Rng rng;

    private Tensor links; // retained, chain options, [B, d, ...]
    private double[] logQ;
    private double[] logWeight;
    private double[] uniform;
    private double[][] measured;
    private byte[] batchStart;
    private int position;

    /** One proposal: configuration {@code index} of the current batch. */
    public record Proposal(Tensor links, double logQ, double logWeight, double uniform, double[] observables) {}

    public ProposalStream(Density model, GaugeGroup group, Lattice lattice, FieldOptions modelOptions,
            FieldOptions chainOptions, int batchSize, long seed, WilsonAction action, List<Observable> observables) {
        if (batchSize < 1) throw new IllegalArgumentException("proposal batch = " + batchSize + ": expected >= 1");
        this.model = model;
        this.group = group;
        this.lattice = lattice;
        this.chainOptions = chainOptions;
        this.batchSize = batchSize;
        this.action = action;
        this.observables = observables;
        this.rng = new Rng(seed, modelOptions);
    }

    /** The next proposal; its links are a view into the batch, valid until the following call. */
    public Proposal next() {
        if (links == null || position >= batchSize) refill();
        int i = position++;
        return new Proposal(links.narrow(0, i, 1), logQ[i], logWeight[i], uniform[i], measured[i]);
    }

    private void refill() {
        batchStart = RngStates.bytes(rng);
        release();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Sample s = model.sample(batchSize, rng);
            Tensor u = rng.uniform(batchSize);
            Tensor y = s.value().to(chainOptions.torchDevice(), chainOptions.precision().complexType()).contiguous();
            GaugeField f = new GaugeField(group, lattice, y);
            logQ = Tensors.toArray(s.logQ());
            uniform = Tensors.toArray(u);
            logWeight = Tensors.toArray(action.logWeight(f));
            measured = StandardObservables.measure(observables, f);
            links = Tensors.retain(y);
        }
        position = 0;
    }

    /** The position to checkpoint: generator state to restore and index in the batch (-1: no batch yet). */
    public Position position() {
        if (links == null) return new Position(RngStates.bytes(rng), -1);
        return new Position(batchStart, position);
    }

    /** Continues from a checkpointed position: the same proposals follow as after {@link #position()}. */
    public void restore(Position p) {
        release();
        RngStates.set(rng, p.generator());
        if (p.index() >= 0) {
            refill();
            position = p.index();
        }
    }

    /** @param index index in the batch of the next proposal, or -1 when no batch was drawn yet */
    public record Position(byte[] generator, int index) {}

    private void release() {
        if (links != null) {
            Tensors.release(links);
            links = null;
        }
    }

    @Override public void close() {
        release();
        rng.close();
    }
}
