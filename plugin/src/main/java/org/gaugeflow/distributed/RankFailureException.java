package org.gaugeflow.distributed;

import java.util.List;

/**
 * A data-parallel run stopped because a rank died, hung or failed: the message is one line naming the rank (or
 * ranks) and what this rank saw (docs/distributed.md, "Faults and timeouts").
 */
public final class RankFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Integer> ranks;

    /** A failure blamed on {@code ranks} (empty when no rank could be named). */
    public RankFailureException(List<Integer> ranks, String message, Throwable cause) {
        super(message.replace('\n', ' '), cause);
        this.ranks = List.copyOf(ranks);
    }

    /** The ranks that died, hung or failed (empty when none could be named). */
    public List<Integer> ranks() { return ranks; }
}
