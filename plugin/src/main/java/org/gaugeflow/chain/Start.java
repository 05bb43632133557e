package org.gaugeflow.chain;

import java.nio.file.Path;

/**
 * Where a chain starts: the unit field (cold), a Haar-random field (hot), a sample of the proposal model
 * (model; an independence chain started there needs no burn-in for the start's sake), or an ILDG file.
 * A start far in q's tail (cold, for a flow at moderate beta) has a large weight p/q, and an independence
 * chain stays there for a long time: exact, but slow to forget.
 */
public record Start(Kind kind, Path file) {
    /** Where the chain starts: unit links, Haar-random links, a model sample, or an ILDG file. */
    public enum Kind { COLD, HOT, MODEL, FILE }

    public static Start cold() { return new Start(Kind.COLD, null); }

    public static Start hot() { return new Start(Kind.HOT, null); }

    public static Start model() { return new Start(Kind.MODEL, null); }

    public static Start file(Path p) { return new Start(Kind.FILE, p); }

    /** "cold", "hot" or the path of an ILDG file. */
    public static Start parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("start '" + s + "': expected cold, hot, model or an ILDG file");
        if (s.equals("model")) return model();
        if (s.equals("cold")) return cold();
        if (s.equals("hot")) return hot();
        Path p = Path.of(s);
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new IllegalArgumentException("start '" + s + "': expected cold, hot, model or an existing ILDG file");
        }
        return file(p);
    }

    @Override public String toString() { return kind == Kind.FILE ? file.toString() : kind.name().toLowerCase(); }
}
