package org.gaugeflow.hmc;

/**
 * Service-provider interface through which modules that the library does not depend on add HMC engines to
 * {@link HmcEngines} (the Grid bridge, module {@code grid}, adds {@code grid}). An implementation is listed in
 * {@code META-INF/services/org.gaugeflow.hmc.HmcEngineProvider} of its jar and found with
 * {@link java.util.ServiceLoader} when {@link HmcEngines} is first used, so an engine is available by name
 * ({@code --engine NAME}) whenever its module is on the class path. Creating the provider and its factory must be
 * cheap and must not fail: native libraries are loaded when the factory is asked, and an engine that cannot run
 * here says why through {@link HmcEngines.Factory#unavailable}.
 */
public interface HmcEngineProvider {

    /** The engine's name, lower case (the value of {@code --engine}). */
    String name();

    /** The factory that checks availability and creates the engine. */
    HmcEngines.Factory factory();
}
