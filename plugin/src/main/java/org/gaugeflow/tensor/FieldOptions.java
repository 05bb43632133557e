package org.gaugeflow.tensor;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live and in which precision: every tensor of a field or model is created through
 * these options, so the whole pipeline moves to a CUDA device by changing {@code device}.
 *
 * @param precision float64 (default) or float32
 * @param device    "cpu", "cuda" or "cuda:N"
 */
public record FieldOptions(Precision precision, String device) {

    public static final FieldOptions CPU_DOUBLE = new FieldOptions(Precision.DOUBLE, "cpu");

    public FieldOptions {
        if (precision == null) throw new IllegalArgumentException("precision null: expected float64 or float32");
        String d = device == null ? "" : device.trim().toLowerCase();
        if (!(d.equals("cpu") || d.equals("cuda") || d.matches("cuda:\\d+"))) {
            throw new IllegalArgumentException("device '" + device + "': expected cpu, cuda or cuda:N");
        }
        if (d.startsWith("cuda") && !torch.cuda_is_available()) {
            throw new IllegalArgumentException("device '" + device + "': CUDA is not available in this build or machine; expected cpu");
        }
        device = d;
    }

    public static FieldOptions cpu(Precision p) { return new FieldOptions(p, "cpu"); }

    public boolean isCuda() { return device.startsWith("cuda"); }

    public Device torchDevice() { return new Device(device); }

    /** Options for real tensors (angles, actions, log-densities). */
    public TensorOptions real() {
        return new TensorOptions().dtype(new ScalarTypeOptional(precision.realType()))
                .device(new DeviceOptional(torchDevice()));
    }

    /** Options for complex tensors (group elements). */
    public TensorOptions complex() {
        return new TensorOptions().dtype(new ScalarTypeOptional(precision.complexType()))
                .device(new DeviceOptional(torchDevice()));
    }

    /** Options for 64-bit integer tensors (indices, masks). */
    public TensorOptions integer() {
        return new TensorOptions().dtype(new ScalarTypeOptional(torch.ScalarType.Long))
                .device(new DeviceOptional(torchDevice()));
    }

    public FieldOptions withPrecision(Precision p) { return new FieldOptions(p, device); }
}
