package org.gaugeflow.observables;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;

/** A real gauge-invariant observable measured on every configuration of a batch. */
public interface Observable {

    /** The column name in history files and summaries, e.g. "plaquette". */
    String name();

    /** One value per configuration, a real tensor of shape [B] on the field's device. */
    Tensor measure(GaugeField field);

    static Observable of(String name, java.util.function.Function<GaugeField, Tensor> f) {
        return new Observable() {
            @Override public String name() { return name; }

            @Override public Tensor measure(GaugeField field) { return f.apply(field); }
        };
    }
}
