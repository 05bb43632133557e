package org.gaugeflow.flow;

import org.bytedeco.pytorch.Tensor;

/** Samples drawn from a density with their log-density log q, shape [B]. */
public record Sample(Tensor value, Tensor logQ) {}
