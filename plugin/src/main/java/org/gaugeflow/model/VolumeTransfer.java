package org.gaugeflow.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.multiscale.DoublingLayer;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.tensor.Tensors;

/**
 * Volume transfer: the weights of a model trained on one lattice put into the same model built on another lattice
 * (typically L'^d = (2^k L)^d). Nothing in a model's parameters depends on the lattice size: the staple-conditional
 * models act link by link on staples, the fine-lattice flows' context networks are convolutions, the coarse prior is
 * Haar. Only the number of doubling layers (and, in d > 2, of the layers inside the slice models) grows with the
 * lattice, so a larger model needs weights for layers the trained model does not have; they are taken from the
 * trained model's layers of the same doubling direction, by a {@link Mode}:
 * <ul>
 *   <li>{@link Mode#SCALE} (default): layers keep their physical scale counted from the finest: the finest doubling
 *   of each direction gets the trained model's finest layer of that direction, the next coarser one the next coarser,
 *   and the extra coarsest doublings repeat the trained model's coarsest layer of that direction. At equal beta the
 *   lattice spacing is the same on both lattices, so the layers that add the UV fluctuations see exactly the
 *   conditional distributions they were trained on; only the new, coarsest scales are extrapolated.</li>
 *   <li>{@link Mode#FINEST}: layers counted from the coarsest: the trained model's layers stay where they were and
 *   every extra doubling repeats the trained model's finest layer of its direction (the layers then act at a scale
 *   one doubling coarser than the one they were trained at).</li>
 *   <li>{@link Mode#FRESH}: as {@link Mode#SCALE}, but the extra coarsest doublings keep the weights they were built
 *   with instead of repeating a trained layer: untrained layers whose heatbath priors start where the model section
 *   says, which with {@code beta_tilde: auto} is the block coupling of their own scale (docs/multiscale.md).</li>
 * </ul>
 * In d > 2 the same rule applies inside each layer's slice model, recursively; where the source layer's slice model
 * has no layer in a direction (e.g. a 4^4 model's first layer has 2x2x2 slices, the coarsest lattice, while on 8^4
 * the same layer at the finest level has 4x4x4 slices), the layers come from the other slice models of the same depth
 * (the source's own layer first, then the other layers of its model from the finest down), which have the same
 * number of staples and hence the same shapes. The coarse prior, every U_B model and the fine-lattice flow on top keep
 * their weights. The result is a model like any other: its {@code sample} and {@code logProb} are exact on the new
 * lattice (tests: {@code VolumeTransferTest}), so chains with it are exact; how good a proposal it is must be measured
 * (docs/results.md, "Volume transfer").
 */
public final class VolumeTransfer {
    private VolumeTransfer() {}

    /** Which trained layer an extra doubling layer repeats (class comment). */
    public enum Mode {
        /** Layers keep their scale counted from the finest; extra coarse doublings repeat the coarsest layer. */
        SCALE,
        /** Layers keep their place counted from the coarsest; extra fine doublings repeat the finest layer. */
        FINEST,
        /** As SCALE, but the extra coarse doublings keep their built (untrained) weights. */
        FRESH;

        /** "scale", "finest" or "fresh". */
        public static Mode parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "scale" -> SCALE;
                case "finest" -> FINEST;
                case "fresh" -> FRESH;
                default -> throw new IllegalArgumentException("volume transfer '" + s + "': expected scale, finest or fresh");
            };
        }

        /** The lower-case name. */
        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * Copies every parameter of {@code to} from {@code from} (buffers are structural and stay as built): the same names
     * for a model without doubling layers, the {@link Mode}'s mapping for {@link MultiscaleModel}s ({@link Mode#FRESH}
     * leaves the extra coarse layers as built). Both must be built from the same model section. Returns the number of
     * parameter tensors copied.
     */
    public static int copyWeights(Module from, Module to, Mode mode) {
        Map<String, String> prefixes = new LinkedHashMap<>();
        if (to instanceof MultiscaleModel nw) {
            if (!(from instanceof MultiscaleModel old)) {
                throw new IllegalArgumentException("volume transfer from " + from.getClass().getSimpleName() + " to a multiscale model");
            }
            mapModel(nw, "", List.of(new Source(old, "")), mode, prefixes);
        } else {
            prefixes.put("", "");
        }
        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
            Map<String, Tensor> src = new HashMap<>();
            StringTensorDict fromParams = from.named_parameters();
            for (long i = 0; i < fromParams.size(); i++) src.put(fromParams.get(i).key().getString(), fromParams.get(i).access());
            StringTensorDict toParams = to.named_parameters();
            int copied = 0;
            for (long i = 0; i < toParams.size(); i++) {
                String name = toParams.get(i).key().getString();
                String source = sourceName(name, prefixes);
                if (source != null && source.startsWith(KEEP)) continue;    // Mode.FRESH: stays as built
                Tensor s0 = source == null ? null : src.get(source);
                if (s0 == null) {
                    throw new IllegalArgumentException("volume transfer: no weights for parameter " + name
                            + (source == null ? "" : " (looked for " + source + ")"));
                }
                Tensor t = toParams.get(i).access();
                if (!java.util.Arrays.equals(Tensors.shape(t), Tensors.shape(s0))) {
                    throw new IllegalArgumentException("volume transfer: parameter " + name + " has shape "
                            + java.util.Arrays.toString(Tensors.shape(t)) + ", its source " + source + " "
                            + java.util.Arrays.toString(Tensors.shape(s0)));
                }
                t.copy_(s0);
                copied++;
            }
            return copied;
        }
    }

    /** The old parameter name of a new one: its longest matching new prefix replaced by the old prefix. */
    private static String sourceName(String name, Map<String, String> prefixes) {
        String best = null;
        for (String p : prefixes.keySet()) {
            if (name.startsWith(p) && (best == null || p.length() > best.length())) best = p;
        }
        return best == null ? null : prefixes.get(best) + name.substring(best.length());
    }

    /** The source prefix of a layer that keeps its built weights (no parameter name starts with it). */
    private static final String KEEP = "\u0000keep.";

    /** A trained (sub)model and the name prefix of its parameters. */
    private record Source(MultiscaleModel model, String prefix) {}

    private static final String[] LEAVES = {"perpendicular", "ub", "ubSecond"};

    /** Records, for every leaf module of {@code nw} (prefix {@code np}), the prefix of its source among {@code cands}. */
    private static void mapModel(MultiscaleModel nw, String np, List<Source> cands, Mode mode, Map<String, String> out) {
        Source own = cands.get(0);
        out.put(np + "coarsePrior.", own.prefix() + "coarsePrior.");
        out.put(np + "fineFlow.", own.prefix() + "fineFlow.");
        List<DoublingLayer> layers = nw.layers();
        for (int i = 0; i < layers.size(); i++) {
            int mu = layers.get(i).direction();
            int fromCoarsest = 0;
            int fromFinest = 0;
            for (int k = 0; k < layers.size(); k++) {
                if (layers.get(k).direction() != mu) continue;
                if (k < i) fromCoarsest++;
                if (k > i) fromFinest++;
            }
            Source c = null;
            List<Integer> occ = null;
            for (Source cand : cands) {
                List<Integer> o = occurrences(cand.model(), mu);
                if (!o.isEmpty()) {
                    c = cand;
                    occ = o;
                    break;
                }
            }
            if (c == null) {
                throw new IllegalArgumentException("volume transfer to " + nw.lattice() + ": the trained model has no doubling layer"
                        + " in direction " + mu + " at this depth to take weights from");
            }
            int r = occ.size();
            String nl = np + "doubling" + i + ".";
            if (mode == Mode.FRESH && r - 1 - fromFinest < 0) {
                out.put(nl, KEEP);                                   // an extra coarse doubling: as built
                continue;
            }
            int pick = mode == Mode.FINEST ? Math.min(fromCoarsest, r - 1) : Math.max(r - 1 - fromFinest, 0);
            int j = occ.get(pick);
            String ol = c.prefix() + "doubling" + j + ".";
            for (String leaf : LEAVES) out.put(nl + leaf + ".", ol + leaf + ".");
            MultiscaleModel slice = layers.get(i).slice();
            if (slice != null) {
                List<Source> sub = new ArrayList<>();
                sub.add(new Source(c.model().layers().get(j).slice(), ol + "slice."));
                for (Source cand : cands) {
                    List<DoublingLayer> cl = cand.model().layers();
                    for (int k = cl.size() - 1; k >= 0; k--) {
                        if (cand == c && k == j) continue;
                        sub.add(new Source(cl.get(k).slice(), cand.prefix() + "doubling" + k + ".slice."));
                    }
                }
                mapModel(slice, nl + "slice.", sub, mode, out);
            }
        }
    }

    /** Indices of the layers of {@code m} in direction {@code mu}, coarsest first. */
    private static List<Integer> occurrences(MultiscaleModel m, int mu) {
        List<Integer> o = new ArrayList<>();
        for (int k = 0; k < m.layers().size(); k++) if (m.layers().get(k).direction() == mu) o.add(k);
        return o;
    }
}
