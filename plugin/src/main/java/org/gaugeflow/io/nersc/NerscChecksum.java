package org.gaugeflow.io.nersc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Locale;

/**
 * The NERSC {@code CHECKSUM}: the sum, modulo 2^32, of the binary data taken as unsigned 32-bit words
 * in the file's byte order (its {@code FLOATING_POINT}). Equivalently: the sum of the IEEE bit
 * patterns of the stored reals, a 32-bit real contributing its one word and a 64-bit real its high
 * and low words. Only the reals in the file count (for {@code 4D_SU3_GAUGE}, the two stored rows).
 * This is what Grid (BinaryIO::NerscChecksum on the host-order data), CPS (FPConv::checksum) and
 * PyQUDA compute; see docs/ildg.md, "NERSC files".
 *
 * <p>Bytes are fed as stored; the sums for both byte orders are kept, so a file whose
 * {@code FLOATING_POINT} does not name its byte order can be matched against either.
 */
public final class NerscChecksum {

    private int sumBig;
    private int sumLittle;

    /** Adds the buffer's remaining bytes (a multiple of 4); the position ends at the limit. */
    public void add(ByteBuffer data) {
        if (data.remaining() % 4 != 0) {
            throw new IllegalArgumentException(data.remaining() + " bytes: the checksum takes whole 32-bit words");
        }
        IntBuffer words = data.slice().order(ByteOrder.BIG_ENDIAN).asIntBuffer();
        int big = sumBig;
        int little = sumLittle;
        while (words.hasRemaining()) {
            int w = words.get();
            big += w;
            little += Integer.reverseBytes(w);
        }
        sumBig = big;
        sumLittle = little;
        data.position(data.limit());
    }

    /** The checksum of the bytes added so far, their words read in {@code order}. */
    public int value(ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN ? sumBig : sumLittle;
    }

    /** The checksum of {@code data} stored in byte order {@code order}. */
    public static int of(byte[] data, ByteOrder order) {
        NerscChecksum c = new NerscChecksum();
        c.add(ByteBuffer.wrap(data));
        return c.value(order);
    }

    /** The header form: lowercase hex without leading zeros or prefix, e.g. {@code 40000000}. */
    public static String format(int checksum) {
        return Integer.toHexString(checksum);
    }

    /**
     * Parses a header value: hex digits, case-insensitive, an optional {@code 0x}, up to 16 digits
     * (some writers sum into 64 bits; the check compares the low 32 bits, as Grid does).
     *
     * @throws NumberFormatException when the text is not such a number
     */
    public static long parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        String digits = t.replaceFirst("^0+(?=.)", "");
        if (digits.isEmpty() || digits.length() > 16 || !digits.matches("[0-9a-f]+")) {
            throw new NumberFormatException(text.strip());
        }
        return Long.parseUnsignedLong(digits, 16);
    }

    /** Whether a header value agrees with a computed checksum (low 32 bits). */
    public static boolean matches(long header, int computed) {
        return (int) header == computed;
    }
}
