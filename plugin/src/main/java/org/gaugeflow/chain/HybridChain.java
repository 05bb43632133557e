package org.gaugeflow.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.memory.MemoryEstimate;
import org.gaugeflow.model.ModelFootprint;
import org.gaugeflow.observables.Observable;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A Markov chain for p(U) = exp(-S(U)) / Z that cycles through a {@link Schedule}: k HMC trajectories
 * ({@link HmcUpdate}), then m independence-Metropolis steps with flow proposals
 * ({@link IndependenceMetropolis}). Every update is exact for p, so the chain is too. Independence
 * Metropolis alone is the schedule (0, 1) and HMC alone (1, 0).
 *
 * <p>Resumable: {@link #checkpoint()} captures the current field, its log q, log weight and observables,
 * the counters, the HMC generator and the proposal stream's position; {@link Builder#resume} continues
 * with exactly the updates an uninterrupted chain with the same seeds would have made.
 */
public final class HybridChain implements AutoCloseable {
    /** Seed offsets of the chain's independent generators (a Weyl sequence from the run's seed). */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final Builder config;
    private final ChainState state;
    private final IndependenceMetropolis flow;
    private final HmcUpdate hmc;
    private final ModelConsistencyCheck.Result consistency;

    /** Called after every update with its record and the chain's state. */
    @FunctionalInterface
    public interface Listener {
        void onUpdate(UpdateRecord record, ChainState state) throws IOException;
    }

    private HybridChain(Builder b, ChainCheckpoint resumeFrom) throws IOException {
        this.config = b;
        b.validate();
        if (b.schedule.usesFlow()) {
            consistency = ModelConsistencyCheck.require(b.model, b.modelOptions, b.consistencySamples, b.seed + 3 * GOLDEN,
                    "model " + (b.modelName == null ? "" : b.modelName));
            ProposalStream stream = new ProposalStream(b.model, b.group, b.lattice, b.modelOptions, b.options,
                    b.proposalBatch, b.seed, new WilsonAction(b.beta), b.observables);
            flow = new IndependenceMetropolis(stream);
        } else {
            consistency = null;
            flow = null;
        }
        hmc = b.schedule.usesHmc()
                ? new HmcUpdate(b.engine, b.hmc, b.seed + GOLDEN, b.options, b.model, b.modelOptions, b.observables)
                : null;
        state = resumeFrom == null ? freshState() : restoreState(resumeFrom);
    }

    private ChainState freshState() throws IOException {
        Builder b = config;
        try (PointerScope scope = new PointerScope()) {
            GaugeField f;
            switch (b.start.kind()) {
                case COLD -> f = GaugeField.unit(b.group, b.lattice, 1, b.options);
                case HOT -> {
                    try (Rng r = new Rng(b.seed + 2 * GOLDEN, b.options)) {
                        f = GaugeField.haar(b.group, b.lattice, 1, r);
                    }
                }
                case MODEL -> {
                    if (b.model == null) throw new IllegalArgumentException("start model: expected a chain with a model");
                    try (Rng r = new Rng(b.seed + 4 * GOLDEN, b.modelOptions);
                         org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                        Tensor x = b.model.sample(1, r).value();
                        f = new GaugeField(b.group, b.lattice,
                                x.to(b.options.torchDevice(), b.options.precision().complexType()));
                    }
                }
                default -> {
                    IldgGaugeFields.Loaded l = IldgGaugeFields.read(b.start.file(), IldgReader.Options.defaults(), b.options);
                    f = l.field();
                    if (!f.lattice().equals(b.lattice) || f.group().n() != b.group.n()) {
                        throw new IllegalArgumentException("start file " + b.start.file() + ": " + f.group() + " on "
                                + f.lattice() + ", expected " + b.group + " on " + b.lattice);
                    }
                    f = new GaugeField(b.group, b.lattice, f.links());
                }
            }
            f = f.withLinks(f.links().contiguous().clone());
            return newState(f, 0);
        }
    }

    private ChainState newState(GaugeField f, long updates) {
        double logW = Tensors.item(new WilsonAction(config.beta).logWeight(f));
        double[] obs = StandardObservables.measure(config.observables, f)[0];
        double logQ = HmcUpdate.logQ(config.model, config.modelOptions, f);
        return new ChainState(f, logQ, logW, obs, updates);
    }

    /** The schedule, beta, ... this chain was built with. */
    public Builder config() { return config; }

    public ChainState state() { return state; }

    /** The start-up consistency check of the model (null without flow updates). */
    public ModelConsistencyCheck.Result consistency() { return consistency; }

    public String[] observableNames() { return StandardObservables.names(config.observables); }

    /** Runs {@code n} more updates, telling the listener (may be null) after each. */
    public void run(long n, Listener listener) throws IOException {
        for (long i = 0; i < n; i++) {
            try (PointerScope scope = new PointerScope()) {
                UpdateKind kind = config.schedule.kind(state.updates);
                boolean acc = kind == UpdateKind.HMC ? hmc.step(state) : flow.step(state);
                state.updates++;
                if (listener != null) {
                    double ratio = kind == UpdateKind.HMC ? Double.NaN : flow.lastLogRatio();
                    listener.onUpdate(new UpdateRecord(state.updates, kind, acc, state.logQ, state.logWeight, ratio,
                            state.observables.clone()), state);
                }
            }
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** The chain's complete state as a checkpoint; {@code extra} goes into the header under "extra". */
    public ChainCheckpoint checkpoint(Map<String, Object> extra) {
        ObjectNode h = fingerprint();
        h.put("updates", state.updates);
        h.put("log_q", state.logQ);
        h.put("log_weight", state.logWeight);
        h.set("observables", ChainCheckpoint.JSON.valueToTree(state.observables));
        h.set("proposed", ChainCheckpoint.JSON.valueToTree(state.proposed));
        h.set("accepted", ChainCheckpoint.JSON.valueToTree(state.accepted));
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("field", fieldBytes(state.field()));
        if (hmc != null) blobs.put("rng.hmc", RngStates.bytes(hmc.rng()));
        if (flow != null) {
            ProposalStream.Position p = flow.proposals().position();
            h.put("proposal_index", p.index());
            blobs.put("rng.proposals", p.generator());
        }
        if (extra != null) h.set("extra", ChainCheckpoint.JSON.valueToTree(extra));
        return new ChainCheckpoint(h, blobs);
    }

    public void writeCheckpoint(Path file, Map<String, Object> extra) throws IOException {
        checkpoint(extra).write(file);
    }

    /** What must agree between a checkpoint and the chain that resumes it. */
    private ObjectNode fingerprint() {
        Builder b = config;
        ObjectNode h = ChainCheckpoint.JSON.createObjectNode();
        h.put("chain_id", b.chainId);
        h.put("group", b.group.name());
        h.put("lattice", b.lattice.toString());
        h.put("beta", b.beta);
        h.put("schedule_hmc", b.schedule.hmc());
        h.put("schedule_flow", b.schedule.flow());
        h.put("seed", b.seed);
        h.put("precision", b.options.precision().name().toLowerCase());
        h.put("proposal_batch", b.schedule.usesFlow() ? b.proposalBatch : 0);
        h.put("model_checksum", b.schedule.usesFlow() || b.model != null ? String.valueOf(b.modelChecksum) : "none");
        if (b.schedule.usesHmc()) {
            h.put("hmc", b.hmc.tau() + "/" + b.hmc.steps() + "/" + b.hmc.integrator());
        }
        h.put("observable_names", String.join(",", StandardObservables.names(b.observables)));
        return h;
    }

    private ChainState restoreState(ChainCheckpoint c) {
        ObjectNode want = fingerprint();
        ObjectNode got = c.header();
        for (var it = want.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode g = got.get(e.getKey());
            if (g == null || !g.asText().equals(e.getValue().asText())) {
                throw new IllegalArgumentException("checkpoint " + e.getKey() + " = " + (g == null ? "missing" : g.asText())
                        + ", but this run has " + e.getValue().asText() + ": expected the same settings to resume");
            }
        }
        GaugeField f;
        try (PointerScope scope = new PointerScope()) {
            f = fieldFromBytes(c.blob("field"));
            ChainState s = new ChainState(f, got.get("log_q").asDouble(), got.get("log_weight").asDouble(),
                    ChainCheckpoint.JSON.convertValue(got.get("observables"), double[].class), got.get("updates").asLong());
            long[] prop = ChainCheckpoint.JSON.convertValue(got.get("proposed"), long[].class);
            long[] acc = ChainCheckpoint.JSON.convertValue(got.get("accepted"), long[].class);
            System.arraycopy(prop, 0, s.proposed, 0, prop.length);
            System.arraycopy(acc, 0, s.accepted, 0, acc.length);
            if (hmc != null) RngStates.set(hmc.rng(), c.blob("rng.hmc"));
            if (flow != null) {
                flow.proposals().restore(new ProposalStream.Position(c.blob("rng.proposals"),
                        got.get("proposal_index").asInt()));
            }
            return s;
        }
    }

    private static byte[] fieldBytes(GaugeField f) {
        return f.toBytes();
    }

    private GaugeField fieldFromBytes(byte[] bytes) {
        return GaugeField.fromBytes(config.group, config.lattice, 1, bytes, config.options);
    }

    @Override public void close() {
        state.close();
        if (flow != null) flow.proposals().close();
        if (hmc != null) hmc.close();
    }

    // ---------------------------------------------------------------- configuration

    /** The settings of a chain. Required: group, lattice, beta, schedule; a model for flow updates; an engine and HMC parameters for HMC updates. */
    public static final class Builder {
        String chainId = "chain0";
        GaugeGroup group;
        Lattice lattice;
        double beta = Double.NaN;
        Schedule schedule = Schedule.independence();
        long seed = 1;
        FieldOptions options = FieldOptions.CPU_DOUBLE;
        Density model;
        FieldOptions modelOptions;
        String modelName;
        String modelChecksum;
        int proposalBatch = 64;
        int consistencySamples = 4;
        HmcEngine engine;
        HmcParameters hmc;
        Start start;
        List<Observable> observables;
        ModelFootprint modelFootprint;
        private boolean discarded;

        public Builder chainId(String v) { chainId = v; return this; }
        public Builder theory(GaugeGroup g, Lattice l, double b) { group = g; lattice = l; beta = b; return this; }
        public Builder schedule(Schedule s) { schedule = s; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder options(FieldOptions o) { options = o; return this; }
        /** The proposal model, the options of its tensors, a name for messages and a checksum for provenance. */
        public Builder model(Density m, FieldOptions o, String name, String checksum) {
            model = m;
            modelOptions = o;
            modelName = name;
            modelChecksum = checksum;
            return this;
        }
        /** The proposal model's size, for the memory estimate (default: {@link ModelFootprint#generic}, Haar: none). */
        public Builder modelFootprint(ModelFootprint f) { modelFootprint = f; return this; }
        public Builder proposalBatch(int n) { proposalBatch = n; return this; }
        public Builder consistencySamples(int n) { consistencySamples = n; return this; }
        public Builder hmc(HmcEngine e, HmcParameters p) { engine = e; hmc = p; return this; }
        public Builder start(Start s) { start = s; return this; }
        public Builder observables(List<Observable> o) { observables = o; return this; }

        public String chainId() { return chainId; }
        public GaugeGroup group() { return group; }
        public Lattice lattice() { return lattice; }
        public double beta() { return beta; }
        public Schedule schedule() { return schedule; }
        public long seed() { return seed; }
        public String modelChecksum() { return modelChecksum; }
        public Start start() { return start; }
        public String modelName() { return modelName; }

        void validate() {
            if (group == null || lattice == null || Double.isNaN(beta)) {
                throw new IllegalArgumentException("chain theory missing: expected group, lattice and beta");
            }
            new WilsonAction(beta);
            if (chainId == null || !chainId.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("chain id '" + chainId + "': expected letters, digits, '.', '_' or '-'");
            }
            if (schedule.usesFlow() && model == null) {
                throw new IllegalArgumentException("schedule " + schedule + " has flow updates: expected a model");
            }
            if (model != null && modelOptions == null) modelOptions = options;
            if (start == null) start = model != null ? Start.model() : Start.cold();
            if (schedule.usesHmc() && (engine == null || hmc == null)) {
                throw new IllegalArgumentException("schedule " + schedule + " has HMC updates: expected an engine and HMC parameters");
            }
            if (schedule.usesHmc() && Math.abs(hmc.beta() - beta) > 0) {
                throw new IllegalArgumentException("HMC beta = " + hmc.beta() + ": expected the chain's beta = " + beta);
            }
            if (observables == null) observables = StandardObservables.forTheory(group, lattice);
        }

        /**
         * The memory a chain of {@code updates} updates with these settings needs ({@link MemoryEstimate#chain}),
         * estimated before anything is allocated.
         */
        public MemoryEstimate memoryEstimate(long updates) {
            validate();
            ModelFootprint fp = null;
            if (schedule.usesFlow()) {
                fp = modelFootprint != null ? modelFootprint : model instanceof org.gaugeflow.flow.prior.HaarDensity
                        ? ModelFootprint.NONE : ModelFootprint.generic(lattice.dims(), group.n());
            }
            return MemoryEstimate.chain(group, lattice, fp, modelOptions != null ? modelOptions.precision() : options.precision(),
                    proposalBatch, schedule.usesHmc() ? engine.name() : null, updates);
        }

        /**
         * The settings that determine the chain (its checkpoint fingerprint, the start and the observables), as
         * recorded in a run folder's run.json.
         */
        public Map<String, Object> configuration() {
            validate();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("chain_id", chainId);
            c.put("group", group.name());
            c.put("lattice", lattice.toString());
            c.put("beta", beta);
            c.put("schedule_hmc", schedule.hmc());
            c.put("schedule_flow", schedule.flow());
            c.put("seed", seed);
            c.put("precision", options.precision().label());
            c.put("device", options.device());
            c.put("proposal_batch", schedule.usesFlow() ? proposalBatch : 0);
            c.put("model_checksum", schedule.usesFlow() || model != null ? String.valueOf(modelChecksum) : "none");
            if (schedule.usesHmc()) {
                c.put("hmc_engine", engine.name());
                c.put("hmc_tau", hmc.tau());
                c.put("hmc_steps", hmc.steps());
                c.put("hmc_integrator", hmc.integrator().toString());
            }
            c.put("start", String.valueOf(start));
            c.put("observables", String.join(",", StandardObservables.names(observables)));
            return c;
        }

        /**
         * Closes what these settings own (the HMC engine) when no chain will be built from them (a run refused before
         * it started); once a chain is built, the chain owns the engine.
         */
        public void discard() {
            if (discarded) return;
            discarded = true;
            if (engine != null) engine.close();
        }

        /** A chain from the start configuration (runs the model consistency check first). */
        public HybridChain build() throws IOException { return new HybridChain(this, null); }

        /** A chain continuing from a checkpoint written by a chain with the same settings. */
        public HybridChain resume(Path checkpoint) throws IOException {
            return new HybridChain(this, ChainCheckpoint.read(checkpoint));
        }

        public HybridChain resume(ChainCheckpoint checkpoint) throws IOException {
            return new HybridChain(this, checkpoint);
        }
    }
}
