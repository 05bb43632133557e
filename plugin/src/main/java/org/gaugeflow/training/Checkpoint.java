package org.gaugeflow.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.io.AtomicFileWriter;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.tensor.Tensors;

/**
 * A training checkpoint in a run folder: {@code checkpoint.pt}, a LibTorch archive holding
 * {@code model} (the module's parameters and buffers), {@code optimizer} (Adam's state), {@code rng_state}
 * (the sampling stream) and {@code step} and {@code seed} (int64 scalars); and {@code checkpoint.json},
 * a sidecar the caller writes (configuration, seeds, step, metrics) for people and tools. Nothing in it depends on
 * the number of ranks of a data-parallel run (their sampling streams are derived per step, {@link ShardedSampling}),
 * so a run can resume with another number of ranks. Both are
 * written to a temporary name in the same folder and renamed, so a killed run leaves either the old
 * or the new checkpoint, never a truncated one.
 */
public final class Checkpoint {
    public static final String ARCHIVE = "checkpoint.pt";
    public static final String SIDECAR = "checkpoint.json";
    /** The best model seen so far by the held-out estimate (model weights and step only). */
    public static final String BEST = "best.pt";
    /** Its sidecar: step and held-out statistics. */
    public static final String BEST_SIDECAR = "best.json";

    private Checkpoint() {}

    /** Saves the trainer's state; {@code sidecarJson} (may be null) is written next to it. */
    public static void save(Path dir, ReverseKlTrainer<?> trainer, String sidecarJson) throws IOException {
        Files.createDirectories(dir);
        try (PointerScope s = new PointerScope()) {
            OutputArchive root = new OutputArchive();
            OutputArchive model = new OutputArchive();
            trainer.model().save(model);
            root.write("model", model);
            OutputArchive opt = new OutputArchive();
            trainer.optimizer().save(opt);
            root.write("optimizer", opt);
            root.write("rng_state", trainer.rng().state().clone());
            root.write("step", Tensors.fromArray(new double[] {trainer.step()}, 1).to(torch.ScalarType.Long));
            root.write("seed", Tensors.fromArray(new double[] {trainer.config().seed()}, 1).to(torch.ScalarType.Long));
            AtomicFileWriter.writeNamed(dir.resolve(ARCHIVE), tmp -> root.save_to(tmp.toString()));
        }
        if (sidecarJson != null) AtomicFileWriter.write(dir.resolve(SIDECAR), sidecarJson);
    }

    /**
     * Restores model, optimizer, stream and step from {@code dir}; returns the step. A file that is not a complete
     * gaugeflow checkpoint, or whose model does not fit the configuration, is a one-line error naming the file.
     */
    public static long load(Path dir, ReverseKlTrainer<?> trainer) {
        Path file = dir.resolve(ARCHIVE);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("checkpoint " + file + ": not found; expected a run folder written by 'gaugeflow train'");
        try (PointerScope s = new PointerScope()) {
            return restore(file, open(file), trainer);
        }
    }

    /**
     * Restores model, optimizer, stream and step from the bytes of a checkpoint archive (rank 0 read the file and
     * broadcast it to the other ranks of a data-parallel run); {@code source} names it in errors. Returns the step.
     */
    public static long load(byte[] archive, String source, ReverseKlTrainer<?> trainer) {
        try (PointerScope s = new PointerScope(); BytePointer data = new BytePointer(archive)) {
            InputArchive root = new InputArchive();
            try {
                root.load_from(data, archive.length);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("checkpoint " + source + ": damaged or not a gaugeflow checkpoint ("
                        + firstLine(e.getMessage()) + ")");
            }
            return restore(Path.of(source), root, trainer);
        }
    }

    private static long restore(Path file, InputArchive root, ReverseKlTrainer<?> trainer) {
        loadModel(file, root, trainer.model());
        InputArchive opt = new InputArchive();
        guard(file, "optimizer", () -> {
            root.read("optimizer", opt);
            trainer.optimizer().load(opt);
        });
        Tensor state = new Tensor();
        guard(file, "rng_state", () -> {
            root.read("rng_state", state);
            trainer.rng().setState(state);
        });
        long st = readStep(file, root);
        trainer.setStep(st);
        return st;
    }

    /** Restores only the model's parameters from DIR/checkpoint.pt (for evaluation); returns the checkpoint's step. */
    public static long loadModel(Path dir, org.bytedeco.pytorch.Module module) {
        return loadModelFrom(dir.resolve(ARCHIVE), module);
    }

    /** Saves only a model's parameters and the step (best.pt), atomically. */
    public static void saveModel(Path file, org.bytedeco.pytorch.Module module, long step) throws IOException {
        try (PointerScope s = new PointerScope()) {
            OutputArchive root = new OutputArchive();
            OutputArchive model = new OutputArchive();
            module.save(model);
            root.write("model", model);
            root.write("step", Tensors.fromArray(new double[] {step}, 1).to(torch.ScalarType.Long));
            AtomicFileWriter.writeNamed(file, tmp -> root.save_to(tmp.toString()));
        }
    }

    /** Restores only the model's parameters from an archive (checkpoint.pt or best.pt); returns its step. */
    public static long loadModelFrom(Path file, org.bytedeco.pytorch.Module module) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("checkpoint " + file + ": not found; expected a run folder written by 'gaugeflow train'");
        try (PointerScope s = new PointerScope()) {
            InputArchive root = open(file);
            loadModel(file, root, module);
            return readStep(file, root);
        }
    }

    private static void loadModel(Path file, InputArchive root, org.bytedeco.pytorch.Module module) {
        InputArchive model = new InputArchive();
        guard(file, "model", () -> root.read("model", model));
        java.util.List<String> before = shapes(module);
        String why = null;
        try {
            module.load(model);
            java.util.List<String> after = shapes(module);
            for (int i = 0; i < before.size() && why == null; i++) {
                if (!before.get(i).equals(after.get(i))) why = "tensor " + i + " has shape " + after.get(i) + ", expected " + before.get(i);
            }
        } catch (RuntimeException e) {
            why = firstLine(e.getMessage());
        }
        if (why != null) {
            throw new IllegalArgumentException("checkpoint " + file + ": its weights do not fit the model of "
                    + TrainedModel.CONFIG + " (" + why + "); expected the checkpoint written with that configuration");
        }
    }

    /** The shapes of a module's parameters and buffers, in order (LibTorch's load replaces tensors of another shape silently). */
    private static java.util.List<String> shapes(org.bytedeco.pytorch.Module module) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (org.bytedeco.pytorch.TensorVector v : new org.bytedeco.pytorch.TensorVector[] {module.parameters(), module.buffers()}) {
            for (long i = 0; i < v.size(); i++) out.add(java.util.Arrays.toString(v.get(i).sizes().vec().get()));
        }
        return out;
    }

    private static long readStep(Path file, InputArchive root) {
        Tensor step = new Tensor();
        guard(file, "step", () -> root.read("step", step));
        try {
            return step.item_long();
        } catch (RuntimeException e) {
            throw damaged(file, "step", e);
        }
    }

    /** Runs a read from the archive; LibTorch's errors (a missing entry, a damaged file) become one line. */
    private static void guard(Path file, String entry, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            throw damaged(file, entry, e);
        }
    }

    private static IllegalArgumentException damaged(Path file, String entry, RuntimeException e) {
        return new IllegalArgumentException("checkpoint " + file + ": damaged or not a gaugeflow checkpoint (cannot read '"
                + entry + "': " + firstLine(e.getMessage()) + ")");
    }

    /**
     * Opens a checkpoint archive; a file LibTorch cannot read (truncated, overwritten, another format) gives a
     * one-line error naming the file instead of LibTorch's native stack trace.
     */
    private static InputArchive open(Path file) {
        InputArchive root = new InputArchive();
        try {
            root.load_from(file.toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": damaged or not a gaugeflow checkpoint ("
                    + firstLine(e.getMessage()) + ")");
        }
        return root;
    }

    private static String firstLine(String m) {
        if (m == null || m.isBlank()) return "unreadable";
        String line = m.strip().lines().findFirst().orElse("unreadable")
                .replaceAll("^(?:[a-z][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error): ", "");
        while (line.matches("^(?:[a-z][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error): .*")) {
            line = line.replaceFirst("^(?:[a-z][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error): ", "");
        }
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
