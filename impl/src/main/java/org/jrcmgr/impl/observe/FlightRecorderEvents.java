package org.jrcmgr.impl.observe;

import org.jrcmgr.impl.observe.internal.FlightRecorderObserver;

/**
 * The JDK Flight Recorder events of the resource manager. They are enabled and disabled the usual
 * JFR way, by name, in a recording's settings ({@code .jfc} file, {@code -XX:StartFlightRecording}
 * options or {@code Recording.enable(name)}); both are on by default in a recording, without
 * stack traces. When no recording takes them they cost one check and allocate nothing.
 *
 * <ul>
 * <li>{@value #REFUSAL}: a refusal, or a would-be refusal in shadow mode, with the scope path, the
 *     refusing scope, the resource, what was held, what was asked, the limit, the priority and
 *     whether shadow mode let it through. The builder records them unless told not to
 *     ({@link org.jrcmgr.impl.ResourceManagerBuilder#flightRecorder(boolean)}).</li>
 * <li>{@value #LEAKED_BUFFER}: a buffer freed by its scope because its owner never closed it,
 *     with the scope path, the size and, when known, where it was allocated. The off-heap module
 *     depends only on the API, so it reports leaks through its own listener; an application
 *     using both forwards them with {@link #leakedBuffer}.</li>
 * </ul>
 */
public final class FlightRecorderEvents {

    /** The name of the refusal event. */
    public static final String REFUSAL = "org.jrcmgr.Refusal";

    /** The name of the leaked-buffer event. */
    public static final String LEAKED_BUFFER = "org.jrcmgr.LeakedBuffer";

    private FlightRecorderEvents() {
    }

    /**
     * Records a leaked buffer, if a recording takes {@value #LEAKED_BUFFER} events.
     *
     * @param scopePath      the path of the scope that held the buffer
     * @param size           the buffer's size in bytes
     * @param allocationSite where it was allocated, or null if unknown
     */
    public static void leakedBuffer(String scopePath, long size, String allocationSite) {
        FlightRecorderObserver.leakedBuffer(scopePath, size, allocationSite);
    }
}
