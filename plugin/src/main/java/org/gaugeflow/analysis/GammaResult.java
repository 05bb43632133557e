package org.gaugeflow.analysis;

/**
 * Result of the Gamma-method analysis of one primary observable.
 *
 * @param mean        sample mean
 * @param error       statistical error of the mean including autocorrelation, sqrt(C_F(W) / N)
 * @param errorOfError error of {@code error}, error * sqrt((W + 1/2) / N)
 * @param tauInt      integrated autocorrelation time C_F(W) / (2 Gamma(0)) (0.5 for uncorrelated data)
 * @param tauIntError error of tauInt, 2 tauInt sqrt((W + 1/2 - tauInt) / N) (Wolff Eq. (42))
 * @param window      the automatically chosen summation window W
 * @param n           number of measurements
 */
public record GammaResult(double mean, double error, double errorOfError, double tauInt, double tauIntError,
                          int window, int n) {
}
