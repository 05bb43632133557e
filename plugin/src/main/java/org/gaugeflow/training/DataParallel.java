package org.gaugeflow.training;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The communication a data-parallel training run needs from its process group (implemented on LibTorch's c10d by
 * {@code org.gaugeflow.distributed.C10dDataParallel}; docs/distributed.md). Every rank calls every method in the same
 * order (most are collectives); rank 0 alone writes the run folder.
 */
public interface DataParallel extends AutoCloseable {

    /** Work done on rank 0 alone ({@link #onRank0}). */
    @FunctionalInterface
    interface Action {
        /** Runs the work. */
        void run() throws Exception;
    }

    /** This process's rank, 0 .. worldSize - 1. */
    int rank();

    /** The number of ranks. */
    int worldSize();

    /**
     * Makes every rank's copy of {@code model} equal to rank 0's (parameters and buffers broadcast from rank 0) and
     * sets up the all-reduce of its gradients; called before the first step of a start and of a resume.
     * {@code everyParameterUsed}: every parameter receives a gradient at every step (else the all-reduce must find
     * the unused ones each step).
     */
    void synchronize(Module model, boolean everyParameterUsed);

    /** Before the forward pass of a step (the reducer's bucket bookkeeping). */
    void beforeForward();

    /** Right before {@code backward()} on {@code output}: the gradients it produces are all-reduced and averaged. */
    void beforeBackward(Tensor output);

    /** After the backward pass: the gradients are averaged over the ranks when this returns. */
    void afterBackward(Module model);

    /** Element-wise sum over the ranks; every rank gets the result. */
    double[] allreduceSum(double[] values);

    /** Rank 0's bytes on every rank (the others pass null). */
    byte[] broadcastBytes(byte[] fromRank0);

    /**
     * Runs {@code action} on rank 0 alone; when it throws, every rank throws an exception of the same kind
     * (IllegalArgumentException for usage errors, IOException, else IllegalStateException) with rank 0's message.
     */
    void onRank0(Action action) throws java.io.IOException;

    /**
     * The exception to raise after {@code cause} broke a collective during {@code during} (e.g. "step 12"): a one-line
     * message naming the rank that died, hung or failed, as far as the surviving ranks can tell.
     */
    RuntimeException failure(String during, RuntimeException cause);

    /** Tells the other ranks that this rank fails with {@code message} (before it exits). */
    void reportFailure(String message);

    /** Seconds spent waiting for gradient all-reduces outside the backward pass so far (for benchmarks). */
    double gradientSyncSeconds();

    @Override void close();
}
