package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class NativeBytesTest {

    @Test
    void windowsStartAtTheirOffset() {
        try (PointerScope s = new PointerScope()) {
            Tensor t = torch.arange(new Scalar(1000)).to(torch.ScalarType.Double).contiguous();
            ByteBuffer w = NativeBytes.window(t, 600, 3);
            assertEquals(24, w.remaining());
            assertEquals(600.0, w.getDouble(0));
            assertEquals(602.0, w.getDouble(16));
            w.putDouble(8, -1.0);
            assertEquals(-1.0, t.select(0, 601).item_double());
        }
    }

    /** 2.5 GiB of float64 (untouched, so not resident): a window past 2^31 bytes addresses the right place. */
    @Test
    void windowsBeyondTwoGiB() {
        try (PointerScope s = new PointerScope()) {
            long n = (5L << 30) / 2 / 8;
            Tensor t = torch.empty(new long[] {n}, new TensorOptions(torch.ScalarType.Double), new MemoryFormatOptional());
            long at = n - 10;
            t.narrow(0, at, 10).copy_(torch.arange(new Scalar(10)).to(torch.ScalarType.Double));
            ByteBuffer w = NativeBytes.window(t, at + 4, 2);
            assertEquals(4.0, w.getDouble(0));
            assertEquals(5.0, w.getDouble(8));
        }
    }

    @Test
    void swapsBetweenBigEndianAndNativeOrder() {
        ByteBuffer be = ByteBuffer.allocateDirect(16).order(ByteOrder.BIG_ENDIAN);
        be.putDouble(0, Math.PI).putDouble(8, -2.5);
        NativeBytes.bigEndianToNativeInPlace(be, 8);
        ByteBuffer nat = be.duplicate().order(ByteOrder.nativeOrder());
        assertEquals(Math.PI, nat.getDouble(0));
        assertEquals(-2.5, nat.getDouble(8));
        ByteBuffer out = ByteBuffer.allocate(16);
        NativeBytes.nativeToBigEndian(nat.duplicate(), out, 8);
        assertEquals(Math.PI, out.order(ByteOrder.BIG_ENDIAN).getDouble(0));
        ByteBuffer f = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putFloat(0, 1.5f);
        NativeBytes.bigEndianToNativeInPlace(f, 4);
        assertEquals(1.5f, f.order(ByteOrder.nativeOrder()).getFloat(0));
    }
}
