package org.gaugeflow.field;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A batch of B gauge fields on one lattice, as one complex tensor (docs/conventions.md):
 *
 * <pre>links: [B, d, L_{d-1}, ..., L_1, L_0, N, N]</pre>
 *
 * dim 1 is the link direction mu; the site dims come in reverse direction order so that flattening
 * them row-major gives the ILDG site rank (x fastest). This class is the one place that knows the layout.
 *
 * <p>Memory: a GaugeField is a light view of its tensor and lives as long as the PointerScope the
 * tensor was made in. A field that must outlive that scope (a chain's state, a model's output kept
 * across iterations) is {@link #retain() retained} and later {@link #close() closed} by its owner.
 */
public final class GaugeField implements AutoCloseable {
    private final GaugeGroup group;
    private final Lattice lattice;
    private final Tensor links;
    private boolean retained;

    /** Wraps a links tensor of the documented layout; checks shape and dtype. */
    public GaugeField(GaugeGroup group, Lattice lattice, Tensor links) {
        this.group = group;
        this.lattice = lattice;
        checkLayout(group, lattice, links);
        this.links = links;
    }

    /** The unit ("cold") field. */
    public static GaugeField unit(GaugeGroup group, Lattice lattice, long batch, FieldOptions options) {
        return new GaugeField(group, lattice, group.identity(options, linkShape(lattice, batch)));
    }

    /** A Haar-random ("hot") field. */
    public static GaugeField haar(GaugeGroup group, Lattice lattice, long batch, Rng rng) {
        return new GaugeField(group, lattice, group.haar(rng, linkShape(lattice, batch)));
    }

    /** [B, d, L_{d-1}, ..., L_0]: the batch shape of the link matrices. */
    public static long[] linkShape(Lattice lattice, long batch) {
        int d = lattice.dims();
        long[] s = new long[d + 2];
        s[0] = batch;
        s[1] = d;
        for (int mu = 0; mu < d; mu++) s[2 + (d - 1 - mu)] = lattice.extent(mu);
        return s;
    }

    /** [B, L_{d-1}, ..., L_0]: the batch shape of a per-direction field (one matrix per site). */
    public static long[] siteShape(Lattice lattice, long batch) {
        int d = lattice.dims();
        long[] s = new long[d + 1];
        s[0] = batch;
        for (int mu = 0; mu < d; mu++) s[1 + (d - 1 - mu)] = lattice.extent(mu);
        return s;
    }

    /**
     * Tensor dim of lattice direction mu in a per-site tensor [B, L_{d-1}, ..., L_0, ...]
     * (a per-direction field, plaquettes, staples, gauge transformations).
     */
    public static long siteDim(int d, int mu) { return 1 + (d - 1 - mu); }

    /** Periodic shift of a per-site tensor: result(x) = f(x + steps * mu-hat). */
    public static Tensor shift(Tensor perSite, int d, int mu, int steps) {
        return Tensors.shift(perSite, siteDim(d, mu), steps);
    }

    public Tensor shift(Tensor perSite, int mu, int steps) { return shift(perSite, lattice.dims(), mu, steps); }

    public GaugeGroup group() { return group; }

    public Lattice lattice() { return lattice; }

    public Tensor links() { return links; }

    public long batch() { return links.sizes().at(0); }

    public Precision precision() { return Precision.of(links.scalar_type()); }

    /** U_mu as a per-site tensor [B, L_{d-1}, ..., L_0, N, N] (a view). */
    public Tensor link(int mu) {
        lattice.checkDirection(mu);
        return links.select(1, mu);
    }

    /** A new field with the same group and lattice and the given links (per-direction tensors stacked). */
    public GaugeField withLinks(Tensor newLinks) { return new GaugeField(group, lattice, newLinks); }

    /** Stacks per-direction tensors U_0..U_{d-1} into a field. */
    public static GaugeField fromDirections(GaugeGroup group, Lattice lattice, Tensor... perDirection) {
        org.bytedeco.pytorch.TensorVector v = new org.bytedeco.pytorch.TensorVector(perDirection);
        return new GaugeField(group, lattice, torch.stack(v, 1));
    }

    /** Configuration b of the batch as a batch of one (a view). */
    public GaugeField select(long b) { return new GaugeField(group, lattice, links.narrow(0, b, 1)); }

    /** This field in ILDG order for configuration b: a contiguous CPU complex128 tensor [L_{d-1}..L_0, d, N, N]. */
    public Tensor toIldgOrder(long b) {
        int d = lattice.dims();
        long[] perm = new long[d + 3];
        for (int i = 0; i < d; i++) perm[i] = 1 + i;
        perm[d] = 0;
        perm[d + 1] = d + 1;
        perm[d + 2] = d + 2;
        return links.select(0, b).permute(perm).to(torch.ScalarType.ComplexDouble).cpu().contiguous();
    }

    /** Inverse of {@link #toIldgOrder}: a batch of one field from a tensor [L_{d-1}..L_0, d, N, N]. */
    public static GaugeField fromIldgOrder(GaugeGroup group, Lattice lattice, Tensor ildg, FieldOptions options) {
        int d = lattice.dims();
        long[] perm = new long[d + 3];
        perm[0] = d;
        for (int i = 0; i < d; i++) perm[1 + i] = i;
        perm[d + 1] = d + 1;
        perm[d + 2] = d + 2;
        Tensor t = ildg.permute(perm).unsqueeze(0).to(options.torchDevice(), options.precision().complexType())
                .contiguous();
        return new GaugeField(group, lattice, t);
    }

    /** The same field in another precision / on another device (a copy). */
    public GaugeField to(FieldOptions options) {
        return withLinks(links.to(options.torchDevice(), options.precision().complexType()).contiguous());
    }

    /**
     * Checks that a tensor to be combined with this field has the field's dtype and device, e.g. a gauge
     * transformation or staples built elsewhere.
     */
    public void requireCompatible(Tensor other, String what) {
        if (other.scalar_type().value != links.scalar_type().value) {
            throw new IllegalArgumentException(what + " dtype " + other.scalar_type() + ": expected "
                    + links.scalar_type() + " like the gauge field");
        }
        String od = other.device().str().getString();
        String fd = links.device().str().getString();
        if (!od.equals(fd)) {
            throw new IllegalArgumentException(what + " on device " + od + ": expected " + fd + " like the gauge field");
        }
    }

    private static void checkLayout(GaugeGroup group, Lattice lattice, Tensor links) {
        if (!links.is_complex()) {
            throw new IllegalArgumentException("links dtype " + links.scalar_type() + ": expected complex128 or complex64");
        }
        long[] want = linkShape(lattice, links.dim() > 0 ? links.sizes().at(0) : 0);
        long[] got = Tensors.shape(links);
        boolean ok = got.length == want.length + 2;
        for (int i = 0; ok && i < want.length; i++) ok = got[i] == want[i];
        ok = ok && got[want.length] == group.n() && got[want.length + 1] == group.n();
        if (!ok) {
            throw new IllegalArgumentException("links shape " + java.util.Arrays.toString(got) + ": expected [B, "
                    + lattice.dims() + ", " + reversedExtents(lattice) + ", " + group.n() + ", " + group.n()
                    + "] for " + group + " on " + lattice);
        }
    }

    private static String reversedExtents(Lattice lattice) {
        StringBuilder b = new StringBuilder();
        for (int mu = lattice.dims() - 1; mu >= 0; mu--) {
            b.append(lattice.extent(mu));
            if (mu > 0) b.append(", ");
        }
        return b.toString();
    }

    /**
     * The links of the whole batch as complex128 little-endian bytes in the tensor's layout (for checkpoints; read
     * back with {@link #fromBytes}).
     */
    public byte[] toBytes() {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            Tensor t = torch.view_as_real(links.to(torch.ScalarType.ComplexDouble).cpu().contiguous());
            long n = t.numel();
            if (n * 8 > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("field of " + n * 8 + " bytes: too large for a checkpoint (at most 2 GB)");
            }
            double[] d = Tensors.toArray(t);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(d.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bb.asDoubleBuffer().put(d);
            return bb.array();
        }
    }

    /**
     * A batch of {@code batch} fields from bytes written by {@link #toBytes}, as tensors of {@code options}; the size
     * must be that of {@code group} on {@code lattice}.
     */
    public static GaugeField fromBytes(GaugeGroup group, Lattice lattice, long batch, byte[] bytes, FieldOptions options) {
        long[] shape = linkShape(lattice, batch);
        long[] full = java.util.Arrays.copyOf(shape, shape.length + 3);
        full[shape.length] = group.n();
        full[shape.length + 1] = group.n();
        full[shape.length + 2] = 2;
        long n = 1;
        for (long v : full) n *= v;
        if (bytes.length != n * 8) {
            throw new IllegalArgumentException("checkpoint field of " + bytes.length + " bytes: expected " + n * 8
                    + " for " + batch + " " + group + " field(s) on " + lattice);
        }
        double[] d = new double[(int) n];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(d);
        Tensor t = torch.view_as_complex(Tensors.fromArray(d, full))
                .to(options.torchDevice(), options.precision().complexType()).contiguous();
        return new GaugeField(group, lattice, t);
    }

    /** Keeps the tensor alive past the current PointerScope until {@link #close()}. */
    public GaugeField retain() {
        if (!retained) {
            Tensors.retain(links);
            retained = true;
        }
        return this;
    }

    /** Releases a retained field (no effect on a field that was not retained). */
    @Override public void close() {
        if (retained) {
            retained = false;
            Tensors.release(links);
        }
    }
}
