package org.gaugeflow.chain;

import org.gaugeflow.tensor.Rng;

/** Generator states as plain bytes, for checkpoints ({@link Rng#stateBytes}). */
final class RngStates {
    private RngStates() {}

    static byte[] bytes(Rng rng) {
        return rng.stateBytes();
    }

    static void set(Rng rng, byte[] state) {
        rng.setStateBytes(state);
    }
}
