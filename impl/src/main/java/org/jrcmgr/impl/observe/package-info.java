/**
 * Watching the resource manager: the {@link org.jrcmgr.impl.observe.ScopeObserver} hook (go-libp2p's
 * trace events and {@code MetricsReporter} in one interface), go-libp2p's trace as
 * {@link org.jrcmgr.impl.observe.TraceEvent}s for a {@link org.jrcmgr.impl.observe.TraceReporter},
 * and the names of the JDK Flight Recorder events ({@link org.jrcmgr.impl.observe.FlightRecorderEvents}).
 * The trace file, the refusal summary and the flight recorder events are switched on through
 * {@link org.jrcmgr.impl.ResourceManagerBuilder}.
 */
package org.jrcmgr.impl.observe;
