package org.gaugeflow.multiscale;

import java.util.SplittableRandom;

/**
 * A small independence-Metropolis chain for tests (the production chain is org.gaugeflow.chain.HybridChain): proposals
 * x_i ~ q with log-weights log w_i = -S(x_i) - log q(x_i) are accepted with probability min(1, w_new / w_old);
 * the chain's observable and a binned error estimate (which accounts for the autocorrelation of repeated
 * rejections) are returned.
 */
final class IndependenceMetropolis {
    private IndependenceMetropolis() {}

    record Result(double mean, double error, double acceptance, int bins) {}

    static Result run(double[] logW, double[] observable, long seed, int binSize) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = logW.length;
        double[] chain = new double[n];
        int current = 0;
        int accepted = 0;
        chain[0] = observable[0];
        for (int i = 1; i < n; i++) {
            double logA = logW[i] - logW[current];
            if (logA >= 0 || Math.log(random.nextDouble()) < logA) {
                current = i;
                accepted++;
            }
            chain[i] = observable[current];
        }
        int bins = n / binSize;
        double[] means = new double[bins];
        double total = 0;
        for (int b = 0; b < bins; b++) {
            double s = 0;
            for (int j = 0; j < binSize; j++) s += chain[b * binSize + j];
            means[b] = s / binSize;
            total += means[b];
        }
        double mean = total / bins;
        double var = 0;
        for (double m : means) var += (m - mean) * (m - mean);
        var /= (bins - 1);
        return new Result(mean, Math.sqrt(var / bins), accepted / (double) (n - 1), bins);
    }
}
