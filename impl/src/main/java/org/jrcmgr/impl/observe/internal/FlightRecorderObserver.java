package org.jrcmgr.impl.observe.internal;

import jdk.jfr.EventType;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;

/**
 * Commits a JDK Flight Recorder event for every refusal. When no recording has the event enabled,
 * a refusal costs one {@link EventType#isEnabled()} check: the event object is made only when it
 * will be recorded.
 */
public final class FlightRecorderObserver implements ScopeObserver {

    /** The one instance: the event types are the JVM's, not a manager's. */
    public static final FlightRecorderObserver INSTANCE = new FlightRecorderObserver();

    private static final EventType REFUSAL = EventType.getEventType(RefusalEvent.class);
    private static final EventType LEAK = EventType.getEventType(LeakedBufferEvent.class);

    private FlightRecorderObserver() {
    }

    /** Whether a recording currently takes refusal events. */
    public static boolean refusalsEnabled() {
        return REFUSAL.isEnabled();
    }

    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        if (!REFUSAL.isEnabled()) {
            return;
        }
        RefusalEvent event = new RefusalEvent();
        // shouldCommit also applies the recording's threshold and period settings, if any.
        if (event.shouldCommit()) {
            event.path = requester.path();
            event.refusingScope = refusing.name();
            event.resource = resource.label();
            event.current = current;
            event.requested = requested;
            event.limit = limit.capacity();
            event.priority = priority.value();
            event.shadow = shadow;
            event.commit();
        }
    }

    /** Commits a leaked-buffer event, if a recording takes them. */
    public static void leakedBuffer(String scopePath, long size, String allocationSite) {
        if (!LEAK.isEnabled()) {
            return;
        }
        LeakedBufferEvent event = new LeakedBufferEvent();
        if (event.shouldCommit()) {
            event.path = scopePath;
            event.size = size;
            event.allocationSite = allocationSite == null ? "" : allocationSite;
            event.commit();
        }
    }

    @Override
    public String toString() {
        return "flight recorder events";
    }
}
