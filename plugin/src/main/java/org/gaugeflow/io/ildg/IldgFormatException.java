package org.gaugeflow.io.ildg;

import java.io.IOException;

/** An ILDG file whose content is inconsistent or unusable; the message is one line. */
public class IldgFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IldgFormatException(String message) {
        super(message);
    }
}
