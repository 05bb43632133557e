package org.gaugeflow.observables;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.PolyakovLoop;
import org.gaugeflow.physics.TopologicalCharge;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.physics.WilsonLoop;
import org.gaugeflow.tensor.Tensors;

/**
 * The observables a chain records for every configuration: the plaquette, the U(1) topological
 * charge Q (d = 2: the integer charge; d = 4: the clover charge, a real number; {@link TopologicalCharge}), rectangular Wilson loops W(1,2) and W(2,2), and the real part and
 * modulus of the Polyakov loop. Summaries add Q^2 derived from Q.
 */
public final class StandardObservables {
    public static final String PLAQUETTE = "plaquette";
    public static final String CHARGE = "topological_charge";
    public static final String CHARGE_SQUARED = "topological_charge_squared";

    private StandardObservables() {}

    public static List<Observable> forTheory(GaugeGroup group, Lattice lattice) {
        List<Observable> list = new ArrayList<>();
        list.add(Observable.of(PLAQUETTE, WilsonAction::averagePlaquette));
        if (group instanceof U1 && lattice.dims() == 2) {
            list.add(Observable.of(CHARGE, f -> TopologicalCharge.u1TwoDimensional(f).round()));
        }
        if (group instanceof U1 && lattice.dims() == 4) {
            list.add(Observable.of(CHARGE, TopologicalCharge::u1Clover));
        }
        boolean room = true;
        for (int mu = 0; mu < lattice.dims(); mu++) room &= lattice.extent(mu) > 2;
        if (room) {
            list.add(Observable.of("wilson_1x2", f -> WilsonLoop.average(f, 1, 2)));
            list.add(Observable.of("wilson_2x2", f -> WilsonLoop.average(f, 2, 2)));
        }
        list.add(Observable.of("polyakov_re", f -> torch.real(PolyakovLoop.average(f))));
        list.add(Observable.of("polyakov_abs", f -> PolyakovLoop.average(f).abs()));
        return list;
    }

    public static String[] names(List<Observable> observables) {
        return observables.stream().map(Observable::name).toArray(String[]::new);
    }

    /** values[b][k] = observable k on configuration b, copied to the host in one transfer. */
    public static double[][] measure(List<Observable> observables, GaugeField field) {
        int b = (int) field.batch();
        double[][] out = new double[b][observables.size()];
        if (observables.isEmpty()) return out;
        try (PointerScope scope = new PointerScope()) {
            Tensor[] cols = new Tensor[observables.size()];
            for (int k = 0; k < cols.length; k++) {
                cols[k] = observables.get(k).measure(field).to(torch.ScalarType.Double);
            }
            double[] flat = Tensors.toArray(torch.stack(new TensorVector(cols), 1));
            for (int i = 0; i < b; i++) System.arraycopy(flat, i * cols.length, out[i], 0, cols.length);
        }
        return out;
    }
}
