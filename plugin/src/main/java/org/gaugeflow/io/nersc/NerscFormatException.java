package org.gaugeflow.io.nersc;

import java.io.IOException;

/**
 * A NERSC file that cannot be read as it is: a malformed or incomplete header, a size that does not
 * match the header, or (subclass {@link NerscCheckException}) data that fails a check. The message is
 * one line and names the file.
 */
public class NerscFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NerscFormatException(String message) {
        super(message);
    }
}
