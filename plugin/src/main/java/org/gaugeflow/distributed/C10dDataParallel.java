package org.gaugeflow.distributed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Reducer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.SizeTStringMap;
import org.bytedeco.pytorch.SizeTVector;
import org.bytedeco.pytorch.SizeTVectorVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.training.DataParallel;

/**
 * Data-parallel training on LibTorch's c10d (docs/distributed.md): a {@link DistributedGroup} (Gloo for CPU tensors,
 * NCCL for CUDA tensors) and the all-reduce of gradients, by c10d's own bucketing {@code Reducer}
 * ({@link DistributedOptions.GradientSync#OVERLAPPED}: each bucket of {@code bucketBytes} is all-reduced as soon as the
 * backward pass has filled it, while the rest of the backward pass runs) or by buckets of flattened gradients
 * all-reduced after the backward pass ({@link DistributedOptions.GradientSync#AFTER_BACKWARD}, timed). Either way each
 * rank's gradient is divided by the number of ranks, so the ranks end a step with the average gradient.
 *
 * <p>The reducer, the group and the parameter list are native objects held here and released by {@link #close()}.
 */
public final class C10dDataParallel implements DataParallel {
    private final DistributedGroup group;
    private final DistributedOptions options;
    private TensorVector parameters;
    private Reducer reducer;
    private boolean findUnused;
    private List<long[]> buckets;
    private double syncSeconds;

    private C10dDataParallel(DistributedGroup group) {
        this.group = group;
        this.options = group.options();
    }

    /** Joins the process group of {@code context} ({@code cuda}: the model's tensors live on CUDA devices). */
    public static C10dDataParallel join(DistributedContext context, DistributedOptions options, boolean cuda) {
        return new C10dDataParallel(DistributedGroup.join(context, options, cuda));
    }

    /** The process group. */
    public DistributedGroup group() { return group; }

    @Override public int rank() { return group.rank(); }

    @Override public int worldSize() { return group.size(); }

    /**
     * Broadcasts rank 0's parameters and buffers (bucketed, c10d {@code broadcast_coalesced}) and, the first time,
     * sets up the gradient buckets: c10d's size-based assignment of parameters to buckets (a first bucket and the
     * others of {@code bucketBytes}), in reverse order of registration as PyTorch's DDP does (the backward pass
     * produces the last layers' gradients first), re-ordered by the Reducer after the first step by the order in
     * which the gradients actually became ready. Parameters that receive no gradient are handled by the Reducer's
     * search for unused parameters (an extra graph traversal per step), switched on only for models that have some
     * ({@code everyParameterUsed} false).
     */
    @Override public void synchronize(Module model, boolean everyParameterUsed) {
        try (NoGradGuard g = new NoGradGuard()) {
            TensorVector all = new TensorVector();
            TensorVector ps = model.parameters();
            for (long i = 0; i < ps.size(); i++) all.push_back(ps.get(i));
            TensorVector bs = model.buffers();
            for (long i = 0; i < bs.size(); i++) all.push_back(bs.get(i));
            torch.broadcast_coalesced(group.processGroup(), all, options.bucketBytes(), 0);
        } catch (RuntimeException e) {
            throw group.failure("the broadcast of rank 0's parameters", e);
        }
        if (parameters != null) return;
        parameters = model.parameters();
        findUnused = !everyParameterUsed;
        SizeTVectorVector assigned = torch.compute_bucket_assignment_by_size(parameters,
                new SizeTVector(new long[] {Math.min(options.bucketBytes(), torch.kDefaultFirstBucketBytes()), options.bucketBytes()})).get0();
        List<long[]> order = new ArrayList<>();
        for (long b = assigned.size() - 1; b >= 0; b--) order.add(assigned.get(b).get());
        buckets = order;
        if (options.sync() == DistributedOptions.GradientSync.OVERLAPPED) {
            SizeTVectorVector reversed = new SizeTVectorVector();
            for (long[] b : order) reversed.push_back(new SizeTVector(b));
            BoolVector sparse = new BoolVector();
            for (long i = 0; i < parameters.size(); i++) sparse.push_back(false);
            reducer = new Reducer(parameters, reversed, group.processGroup(), sparse, options.bucketBytes(), findUnused,
                    false, new SizeTStringMap(), Math.min(options.bucketBytes(), torch.kDefaultFirstBucketBytes()), false, false);
        }
    }

    /** The gradient buckets (parameter indices), in the order they are all-reduced. */
    public List<long[]> buckets() { return buckets == null ? List.of() : List.copyOf(buckets); }

    @Override public void beforeForward() {
        if (reducer == null) return;
        reducer.rebuild_buckets();
        reducer.prepare_for_forward();
    }

    @Override public void beforeBackward(Tensor output) {
        if (reducer == null) return;
        reducer.prepare_for_backward(findUnused ? new TensorVector(output) : new TensorVector());
    }

    /**
     * With {@link DistributedOptions.GradientSync#AFTER_BACKWARD}: flattens each bucket's gradients, divides by the
     * number of ranks, starts every bucket's all-reduce, waits for all (timed) and copies the averages back. Parameters
     * without a gradient (unused by this step, on every rank alike) are left without one.
     */
    @Override public void afterBackward(Module model) {
        if (reducer != null) return;
        long t0 = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> flats = new ArrayList<>();
            List<List<Tensor>> grads = new ArrayList<>();
            List<Work> works = new ArrayList<>();
            Scalar inv = new Scalar(1.0 / worldSize());
            for (long[] b : buckets) {
                TensorVector pieces = new TensorVector();
                List<Tensor> gs = new ArrayList<>();
                for (long i : b) {
                    Tensor g = parameters.get(i).grad();
                    if (!g.defined()) continue;
                    gs.add(g);
                    pieces.push_back(g.reshape(-1));
                }
                if (gs.isEmpty()) continue;
                Tensor flat = torch.cat(pieces).mul_(inv);
                flats.add(flat);
                grads.add(gs);
                works.add(group.processGroup().allreduce(new TensorVector(flat)));
            }
            for (Work w : works) w._wait();
            try (NoGradGuard g = new NoGradGuard()) {
                for (int k = 0; k < flats.size(); k++) {
                    long at = 0;
                    for (Tensor gr : grads.get(k)) {
                        long n = gr.numel();
                        gr.copy_(flats.get(k).narrow(0, at, n).view_as(gr));
                        at += n;
                    }
                }
            }
        }
        syncSeconds += (System.nanoTime() - t0) / 1e9;
    }

    @Override public double[] allreduceSum(double[] values) {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Tensors.fromArray(values, values.length);
            group.allreduce(t);
            return Tensors.toArray(t);
        }
    }

    @Override public byte[] broadcastBytes(byte[] fromRank0) {
        try (PointerScope scope = new PointerScope()) {
            Tensor len = Tensors.fromArray(new double[] {rank() == 0 ? fromRank0.length : 0}, 1);
            group.broadcast(len, 0);
            int n = (int) len.item_double();
            Tensor data = torch.zeros(new long[] {Math.max(n, 1)}, new TensorOptions(torch.ScalarType.Byte));
            BytePointer p = new BytePointer(data.data_ptr_byte()).capacity(Math.max(n, 1));
            if (rank() == 0) p.put(fromRank0, 0, n);
            group.broadcast(data, 0);
            byte[] out = new byte[n];
            p.get(out, 0, n);
            return out;
        } catch (RuntimeException e) {
            throw group.failure("a broadcast from rank 0", e);
        }
    }

    @Override public void onRank0(Action action) throws IOException {
        byte[] status = null;
        if (rank() == 0) {
            try {
                action.run();
                status = new byte[] {0};
            } catch (IllegalArgumentException e) {
                status = encode(1, e.getMessage());
            } catch (IOException e) {
                status = encode(2, e.getMessage());
            } catch (Exception e) {
                status = encode(3, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        byte[] s = broadcastBytes(status);
        if (s[0] == 0) return;
        String m = new String(s, 1, s.length - 1, StandardCharsets.UTF_8);
        switch (s[0]) {
            case 1: throw new IllegalArgumentException(m);
            case 2: throw new IOException(m);
            default: throw new IllegalStateException(m);
        }
    }

    private static byte[] encode(int code, String message) {
        byte[] m = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[m.length + 1];
        out[0] = (byte) code;
        System.arraycopy(m, 0, out, 1, m.length);
        return out;
    }

    @Override public RuntimeException failure(String during, RuntimeException cause) { return group.failure(during, cause); }

    @Override public void reportFailure(String message) { group.reportFailure(message); }

    @Override public double gradientSyncSeconds() { return syncSeconds; }

    @Override public void close() {
        if (reducer != null) {
            reducer.remove_autograd_hooks();
            reducer.close();
            reducer = null;
        }
        group.close();
    }
}
