package org.gaugeflow.io.ildg;

import java.util.Locale;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gauge group of the links, named as in ILDG's {@code <field>}: ILDG defines only
 * {@code su3gauge}. The gaugeflow extension adds {@code su<N>gauge} for other N (e.g. {@code su2gauge})
 * and {@code u1gauge} (N = 1, a 1x1 complex matrix per link); see docs/ildg.md.
 *
 * @param colors matrix size N
 * @param special true for SU(N) (det = 1), false for U(1)
 */
public record FieldType(int colors, boolean special) {

    public static final FieldType SU3 = new FieldType(3, true);
    public static final FieldType SU2 = new FieldType(2, true);
    public static final FieldType U1 = new FieldType(1, false);

    private static final Pattern SUN = Pattern.compile("su(\\d+)gauge");

    public FieldType {
        if (colors < 1 || (special && colors < 2) || (!special && colors != 1)) {
            throw new IllegalArgumentException("unsupported gauge group: N=" + colors + (special ? " SU(N)" : " U(N)"));
        }
    }

    /** The field type of a gauge group: U(1) or SU(N). */
    public static FieldType of(GaugeGroup group) {
        return group instanceof org.gaugeflow.group.U1 ? U1 : su(group.n());
    }

    /** The gauge group this field type names. */
    public GaugeGroup group() {
        return special ? new SUN(colors) : org.gaugeflow.group.U1.INSTANCE;
    }

    public static FieldType su(int n) {
        return new FieldType(n, true);
    }

    /** The {@code <field>} name: {@code su3gauge}, {@code su2gauge}, {@code u1gauge}. */
    public String ildgName() {
        return special ? "su" + colors + "gauge" : "u1gauge";
    }

    public boolean isIldgStandard() {
        return equals(SU3);
    }

    /** Parses an ILDG field name; case and surrounding whitespace are ignored. */
    public static FieldType parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("u1gauge")) {
            return U1;
        }
        Matcher m = SUN.matcher(n);
        if (m.matches()) {
            int colors;
            try {
                colors = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                colors = -1;
            }
            if (colors < 2 || colors > 1024) {
                throw new IllegalArgumentException("ILDG field '" + name.strip() + "': N = " + m.group(1)
                        + " out of range; expected su2gauge .. su1024gauge (su3gauge for ILDG proper)");
            }
            return su(colors);
        }
        throw new IllegalArgumentException("unknown ILDG field '" + name.strip()
                + "', expected su3gauge (or the gaugeflow extension su2gauge, u1gauge)");
    }

    @Override
    public String toString() {
        return ildgName();
    }
}
