package org.gaugeflow.chain;

/** A proposal model whose log q disagrees with its own samples: refused as bad input. */
public final class InconsistentModelException extends IllegalArgumentException {
    public InconsistentModelException(String message) { super(message); }
}
