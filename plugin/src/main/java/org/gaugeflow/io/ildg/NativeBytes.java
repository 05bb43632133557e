package org.gaugeflow.io.ildg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Off-heap memory of a contiguous CPU tensor seen as {@link ByteBuffer} windows at 64-bit offsets
 * (each window below 2 GiB), and the big-endian/native byte-order conversion between such a window
 * and file bytes. The tensor must stay alive while a window is used.
 */
final class NativeBytes {

    private static final boolean NATIVE_IS_BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private NativeBytes() {
    }

    /**
     * The bytes of elements {@code [first, first + count)} of a flat contiguous CPU tensor, as a
     * native-order buffer over the tensor's own memory. The start address comes from LibTorch (a
     * narrowed view's data pointer), because JavaCPP's {@code asByteBuffer} starts every buffer at the
     * pointer's base address and cannot express offsets beyond 2 GiB.
     */
    static ByteBuffer window(Tensor flat, long first, long count) {
        long bytes = count * flat.element_size();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window of " + bytes + " bytes exceeds 2 GiB");
        }
        try (PointerScope scope = new PointerScope()) {
            Pointer start = flat.narrow(0, first, count).data_ptr();
            BytePointer p = new BytePointer(start);
            p.position(0).limit(bytes).capacity(bytes);
            return p.asByteBuffer().order(ByteOrder.nativeOrder());
        }
    }

    /**
     * Copies {@code src} (native order) to {@code dst} (big-endian) element by element, swapping the
     * bytes of each {@code elementBytes}-byte real. Both buffers' positions advance.
     */
    static void nativeToBigEndian(ByteBuffer src, ByteBuffer dst, int elementBytes) {
        copySwapped(src.order(ByteOrder.nativeOrder()), dst.order(ByteOrder.BIG_ENDIAN), elementBytes);
    }

    /** Turns big-endian reals into native order in place, over the buffer's remaining bytes. */
    static void bigEndianToNativeInPlace(ByteBuffer buf, int elementBytes) {
        if (NATIVE_IS_BIG) {
            return;
        }
        ByteBuffer src = buf.duplicate().order(ByteOrder.BIG_ENDIAN);
        ByteBuffer dst = buf.duplicate().order(ByteOrder.nativeOrder());
        copySwapped(src, dst, elementBytes);
    }

    /** Bulk copy through typed views of different byte order (the JDK swaps; exact overlap is safe). */
    private static void copySwapped(ByteBuffer src, ByteBuffer dst, int elementBytes) {
        int n = src.remaining();
        if (elementBytes == 8) {
            dst.asLongBuffer().put(src.asLongBuffer());
        } else if (elementBytes == 4) {
            dst.asIntBuffer().put(src.asIntBuffer());
        } else {
            throw new IllegalArgumentException("element size must be 4 or 8 bytes, got " + elementBytes);
        }
        src.position(src.position() + n);
        dst.position(dst.position() + n);
    }

    /**
     * Moves a pointer made inside {@code inner} out to {@code outer} (the scope that was current when
     * the work began), so the caller's scope, or the garbage collector when there is none, frees it.
     */
    static <P extends Pointer> P keep(P pointer, PointerScope inner, PointerScope outer) {
        // attach() takes a reference and detach() drops one: take the new one before dropping the old.
        if (outer != null) {
            outer.attach(pointer);
        } else {
            pointer.retainReference();
        }
        inner.detach(pointer);
        return pointer;
    }
}
