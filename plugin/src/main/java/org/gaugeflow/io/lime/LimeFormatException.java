package org.gaugeflow.io.lime;

import java.io.IOException;

/**
 * A LIME file that does not follow the format: bad magic, a truncated header, a record running
 * past the end of the file. The message is one line naming the file, the offset, what was seen and
 * what was expected.
 */
public class LimeFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public LimeFormatException(String message) {
        super(message);
    }
}
