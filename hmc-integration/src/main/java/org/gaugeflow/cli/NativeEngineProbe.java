package org.gaugeflow.cli;

/** Whether the native HMC engine library loads in this JVM. */
final class NativeEngineProbe {
    private NativeEngineProbe() {}

    static String status() {
        try {
            Class<?> c = Class.forName("org.gaugeflow.bindings.NativeEngine");
            Object ok = c.getMethod("available").invoke(null);
            return Boolean.TRUE.equals(ok) ? "available" : "not loadable";
        } catch (ClassNotFoundException e) {
            return "not built";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "not loadable (" + e + ")";
        }
    }
}
