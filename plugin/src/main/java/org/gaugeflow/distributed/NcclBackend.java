package org.gaugeflow.distributed;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * The NCCL backend for CUDA tensors, in a class of its own so that the CPU build never loads the NCCL classes. It needs
 * the CUDA build of LibTorch ({@code mvn -Pcuda}); the code path exists but is not tested on the CPU-only build machine
 * (docs/distributed.md, "NCCL").
 */
final class NcclBackend {
    private NcclBackend() {}

    static Backend create(Store store, DistributedContext context, Milliseconds timeout) {
        try {
            ProcessGroupNCCL.Options o = ProcessGroupNCCL.Options.create();
            o.timeout(timeout);
            return new ProcessGroupNCCL(store, context.rank(), context.worldSize(), o);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalArgumentException("training.device cuda with " + context.worldSize()
                    + " ranks: NCCL needs the CUDA build of LibTorch (mvn -Pcuda); this build has none");
        }
    }
}
