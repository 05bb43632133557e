package org.gaugeflow.flow;

import org.bytedeco.pytorch.Tensor;

/**
 * The result of a transform: the transformed value and log|det J| of the map that was applied,
 * one entry per sample (shape [B]).
 */
public record Transformed(Tensor value, Tensor logDet) {}
