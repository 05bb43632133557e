package org.gaugeflow.io.ildg;

import java.util.Optional;

/**
 * Where a configuration came from; written by gaugeflow into the {@code scidac-record-xml} record as
 * a {@code <gaugeflowConfiguration>} element and read back when present. Nullable fields are left out.
 *
 * @param gaugeflowVersion version of the program that wrote the file
 * @param action           the action the ensemble samples, e.g. {@code wilson}; nullable
 * @param beta             inverse coupling; nullable
 * @param origin           how the configuration was made: {@code hmc}, {@code flow}, {@code hybrid},
 *                         {@code convert}, ...; nullable
 * @param step             trajectory (HMC) or Markov-chain step number; nullable
 * @param modelChecksum    checksum of the flow model used, if any; nullable
 */
public record Provenance(String gaugeflowVersion, String action, Double beta, String origin, Long step,
        String modelChecksum) {

    static final String ELEMENT = "gaugeflowConfiguration";

    public Provenance {
        if (gaugeflowVersion == null || gaugeflowVersion.isBlank()) {
            throw new IllegalArgumentException("provenance needs the gaugeflow version");
        }
    }

    /** The {@code <gaugeflowConfiguration>} element. */
    String toXmlElement() {
        StringBuilder b = new StringBuilder("<" + ELEMENT + ">");
        b.append(XmlText.tag("gaugeflowVersion", gaugeflowVersion));
        if (action != null) {
            b.append(XmlText.tag("action", action));
        }
        if (beta != null) {
            b.append(XmlText.tag("beta", Double.toString(beta)));
        }
        if (origin != null) {
            b.append(XmlText.tag("origin", origin));
        }
        if (step != null) {
            b.append(XmlText.tag("step", step));
        }
        if (modelChecksum != null) {
            b.append(XmlText.tag("modelChecksum", modelChecksum));
        }
        return b.append("</").append(ELEMENT).append(">").toString();
    }

    /** Reads the element back from a record's XML; empty when the XML holds none (another code wrote it). */
    static Optional<Provenance> fromXml(String xml, String where) throws IldgFormatException {
        Optional<String> body = XmlText.rawElement(xml, ELEMENT);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        String x = body.get();
        String version = XmlText.element(x, "gaugeflowVersion").orElse("unknown");
        Double beta = null;
        Optional<String> b = XmlText.element(x, "beta");
        if (b.isPresent()) {
            try {
                beta = Double.parseDouble(b.get());
            } catch (NumberFormatException e) {
                throw new IldgFormatException(where + ": <beta> is '" + b.get() + "', expected a number");
            }
        }
        Long step = XmlText.longElement(x, "step", where).orElse(null);
        return Optional.of(new Provenance(version, XmlText.element(x, "action").orElse(null), beta,
                XmlText.element(x, "origin").orElse(null), step, XmlText.element(x, "modelChecksum").orElse(null)));
    }
}
