package org.jrcmgr.impl.observe.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several observers, each isolated: the DAG calls observers in the middle of an operation,
 * under scope locks, so an exception escaping one would leave a reservation half made. A failing
 * observer is logged at most once a minute with the count of failures since, and is still called
 * afterwards (it may fail only on some events).
 */
public final class CompositeObserver implements ScopeObserver {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeObserver.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ScopeObserver[] observers;
    private final Failures[] failures;
    // Per event, the observers that override its method: the others would only be called to do
    // nothing. The builder's default observers (flight recorder, refusal summary) listen to
    // refusals alone, so every other event costs an empty loop instead of two calls per scope.
    private final Listeners scopeCreated;
    private final Listeners scopeDestroyed;
    private final Listeners memoryReserved;
    private final Listeners memoryReleased;
    private final Listeners streamsAdded;
    private final Listeners streamsRemoved;
    private final Listeners connsAdded;
    private final Listeners connsRemoved;
    private final Listeners refused;
    private final Listeners connAllowed;
    private final Listeners connBlocked;
    private final Listeners streamAllowed;
    private final Listeners streamBlocked;
    private final Listeners peerAllowed;
    private final Listeners peerBlocked;
    private final Listeners protocolAllowed;
    private final Listeners protocolBlocked;
    private final Listeners protocolPeerBlocked;
    private final Listeners serviceAllowed;
    private final Listeners serviceBlocked;
    private final Listeners servicePeerBlocked;
    private final Listeners memoryAllowed;
    private final Listeners memoryBlocked;
    private final Listeners managerClosed;

    private CompositeObserver(ScopeObserver[] observers) {
        this.observers = observers;
        this.failures = new Failures[observers.length];
        for (int i = 0; i < observers.length; i++) {
            failures[i] = new Failures();
        }
        scopeCreated = listeners(observers, "scopeCreated");
        scopeDestroyed = listeners(observers, "scopeDestroyed");
        memoryReserved = listeners(observers, "memoryReserved");
        memoryReleased = listeners(observers, "memoryReleased");
        streamsAdded = listeners(observers, "streamsAdded");
        streamsRemoved = listeners(observers, "streamsRemoved");
        connsAdded = listeners(observers, "connsAdded");
        connsRemoved = listeners(observers, "connsRemoved");
        refused = listeners(observers, "refused");
        connAllowed = listeners(observers, "connAllowed");
        connBlocked = listeners(observers, "connBlocked");
        streamAllowed = listeners(observers, "streamAllowed");
        streamBlocked = listeners(observers, "streamBlocked");
        peerAllowed = listeners(observers, "peerAllowed");
        peerBlocked = listeners(observers, "peerBlocked");
        protocolAllowed = listeners(observers, "protocolAllowed");
        protocolBlocked = listeners(observers, "protocolBlocked");
        protocolPeerBlocked = listeners(observers, "protocolPeerBlocked");
        serviceAllowed = listeners(observers, "serviceAllowed");
        serviceBlocked = listeners(observers, "serviceBlocked");
        servicePeerBlocked = listeners(observers, "servicePeerBlocked");
        memoryAllowed = listeners(observers, "memoryAllowed");
        memoryBlocked = listeners(observers, "memoryBlocked");
        managerClosed = listeners(observers, "managerClosed");
    }

    /** The observers (with their indexes in {@link #observers}) whose class overrides {@code method}. */
    private static Listeners listeners(ScopeObserver[] observers, String method) {
        Method declared = null;
        for (Method m : ScopeObserver.class.getMethods()) {
            if (m.getName().equals(method) && !Modifier.isStatic(m.getModifiers())) {
                declared = m;
            }
        }
        if (declared == null) {
            throw new AssertionError("ScopeObserver has no method " + method);
        }
        List<ScopeObserver> told = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < observers.length; i++) {
            if (overrides(observers[i], declared)) {
                told.add(observers[i]);
                index.add(i);
            }
        }
        return new Listeners(told.toArray(ScopeObserver[]::new), index.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Whether {@code observer} does anything on {@code method}: its class (or a superclass or
     * interface other than ScopeObserver) declares it. In doubt it is told.
     */
    private static boolean overrides(ScopeObserver observer, Method method) {
        try {
            return observer.getClass().getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass()
                    != ScopeObserver.class;
        } catch (NoSuchMethodException | RuntimeException e) {
            return true;
        }
    }

    /** {@link ScopeObserver#NONE} for no observer, else the composite of all, even of one. */
    public static ScopeObserver of(List<? extends ScopeObserver> observers) {
        Objects.requireNonNull(observers, "observers");
        ScopeObserver[] array = observers.stream()
                .map(o -> Objects.requireNonNull(o, "observer"))
                .filter(o -> o != ScopeObserver.NONE)
                .toArray(ScopeObserver[]::new);
        // A single observer is wrapped too: isolation from the reservation is the point.
        return array.length == 0 ? ScopeObserver.NONE : new CompositeObserver(array);
    }

    /**
     * Whether {@code observer} does anything on memory reserved, released, allowed or blocked:
     * false for {@link ScopeObserver#NONE} and for a composite none of whose observers overrides
     * those methods; true for any other observer.
     */
    public static boolean listensToMemory(ScopeObserver observer) {
        if (observer == ScopeObserver.NONE) {
            return false;
        }
        if (observer instanceof CompositeObserver c) {
            return c.memoryReserved.observers.length + c.memoryReleased.observers.length
                    + c.memoryAllowed.observers.length + c.memoryBlocked.observers.length > 0;
        }
        return true;
    }

    /** The observers told, in order. */
    public List<ScopeObserver> observers() {
        return List.of(observers);
    }

    /** How many times observer {@code index} has thrown; for tests. */
    public long failures(int index) {
        return failures[index].count.get();
    }

    private void failed(int index, Throwable t) {
        if (t instanceof VirtualMachineError vmError) {
            throw vmError;
        }
        Failures f = failures[index];
        long n = f.count.incrementAndGet();
        long now = System.nanoTime();
        long last = f.lastLogged.get();
        // The compare-and-set lets one of several threads failing at once log the line.
        if ((n == 1 || now - last >= LOG_EVERY_NANOS) && f.lastLogged.compareAndSet(last, now)) {
            LOG.warn("resource manager observer {} threw (failure {} so far); the reservation and the other"
                    + " observers are unaffected", observers[index], n, t);
        }
    }

    @Override
    public void scopeCreated(ObservedScope scope) {
        Listeners to = scopeCreated;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].scopeCreated(scope);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void scopeDestroyed(ObservedScope scope) {
        Listeners to = scopeDestroyed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].scopeDestroyed(scope);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
        Listeners to = memoryReserved;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].memoryReserved(scope, size, priority, usage);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void memoryReleased(ObservedScope scope, long size, long usage) {
        Listeners to = memoryReleased;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].memoryReleased(scope, size, usage);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void streamsAdded(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        Listeners to = streamsAdded;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].streamsAdded(scope, deltaIn, deltaOut, in, out);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void streamsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        Listeners to = streamsRemoved;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].streamsRemoved(scope, deltaIn, deltaOut, in, out);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void connsAdded(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                           long fd) {
        Listeners to = connsAdded;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].connsAdded(scope, deltaIn, deltaOut, deltaFd, in, out, fd);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void connsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                             long fd) {
        Listeners to = connsRemoved;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].connsRemoved(scope, deltaIn, deltaOut, deltaFd, in, out, fd);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        Listeners to = refused;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].refused(requester, refusing, resource, current, requested, limit, priority, shadow);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void connAllowed(Direction direction, boolean usesFd) {
        Listeners to = connAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].connAllowed(direction, usesFd);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void connBlocked(Direction direction, boolean usesFd) {
        Listeners to = connBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].connBlocked(direction, usesFd);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void streamAllowed(PeerId peer, Direction direction) {
        Listeners to = streamAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].streamAllowed(peer, direction);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void streamBlocked(PeerId peer, Direction direction) {
        Listeners to = streamBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].streamBlocked(peer, direction);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void peerAllowed(PeerId peer) {
        Listeners to = peerAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].peerAllowed(peer);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void peerBlocked(PeerId peer) {
        Listeners to = peerBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].peerBlocked(peer);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void protocolAllowed(ProtocolId protocol) {
        Listeners to = protocolAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].protocolAllowed(protocol);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void protocolBlocked(ProtocolId protocol) {
        Listeners to = protocolBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].protocolBlocked(protocol);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void protocolPeerBlocked(ProtocolId protocol, PeerId peer) {
        Listeners to = protocolPeerBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].protocolPeerBlocked(protocol, peer);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void serviceAllowed(String service) {
        Listeners to = serviceAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].serviceAllowed(service);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void serviceBlocked(String service) {
        Listeners to = serviceBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].serviceBlocked(service);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void servicePeerBlocked(String service, PeerId peer) {
        Listeners to = servicePeerBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].servicePeerBlocked(service, peer);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void memoryAllowed(long size) {
        Listeners to = memoryAllowed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].memoryAllowed(size);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void memoryBlocked(long size) {
        Listeners to = memoryBlocked;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].memoryBlocked(size);
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public void managerClosed() {
        Listeners to = managerClosed;
        for (int i = 0; i < to.observers.length; i++) {
            try {
                to.observers[i].managerClosed();
            } catch (Throwable t) {
                failed(to.index[i], t);
            }
        }
    }

    @Override
    public String toString() {
        return "CompositeObserver" + List.of(observers);
    }

    /** The observers told of one event, and their indexes in the composite (for their failure counts). */
    private static final class Listeners {
        final ScopeObserver[] observers;
        final int[] index;

        Listeners(ScopeObserver[] observers, int[] index) {
            this.observers = observers;
            this.index = index;
        }
    }

    /** One observer's failures, for the rate limit of their log lines. */
    private static final class Failures {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastLogged = new AtomicLong();
    }
}
