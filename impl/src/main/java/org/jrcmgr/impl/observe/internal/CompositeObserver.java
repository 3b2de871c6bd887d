package org.jrcmgr.impl.observe.internal;

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

    private CompositeObserver(ScopeObserver[] observers) {
        this.observers = observers;
        this.failures = new Failures[observers.length];
        for (int i = 0; i < observers.length; i++) {
            failures[i] = new Failures();
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
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].scopeCreated(scope);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void scopeDestroyed(ObservedScope scope) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].scopeDestroyed(scope);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].memoryReserved(scope, size, priority, usage);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void memoryReleased(ObservedScope scope, long size, long usage) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].memoryReleased(scope, size, usage);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void streamsAdded(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].streamsAdded(scope, deltaIn, deltaOut, in, out);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void streamsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].streamsRemoved(scope, deltaIn, deltaOut, in, out);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void connsAdded(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                           long fd) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connsAdded(scope, deltaIn, deltaOut, deltaFd, in, out, fd);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void connsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                             long fd) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connsRemoved(scope, deltaIn, deltaOut, deltaFd, in, out, fd);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].refused(requester, refusing, resource, current, requested, limit, priority, shadow);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void connAllowed(Direction direction, boolean usesFd) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connAllowed(direction, usesFd);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void connBlocked(Direction direction, boolean usesFd) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connBlocked(direction, usesFd);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void streamAllowed(PeerId peer, Direction direction) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].streamAllowed(peer, direction);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void streamBlocked(PeerId peer, Direction direction) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].streamBlocked(peer, direction);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void peerAllowed(PeerId peer) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].peerAllowed(peer);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void peerBlocked(PeerId peer) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].peerBlocked(peer);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void protocolAllowed(ProtocolId protocol) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].protocolAllowed(protocol);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void protocolBlocked(ProtocolId protocol) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].protocolBlocked(protocol);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void protocolPeerBlocked(ProtocolId protocol, PeerId peer) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].protocolPeerBlocked(protocol, peer);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void serviceAllowed(String service) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].serviceAllowed(service);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void serviceBlocked(String service) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].serviceBlocked(service);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void servicePeerBlocked(String service, PeerId peer) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].servicePeerBlocked(service, peer);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void memoryAllowed(long size) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].memoryAllowed(size);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void memoryBlocked(long size) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].memoryBlocked(size);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public void managerClosed() {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].managerClosed();
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    @Override
    public String toString() {
        return "CompositeObserver" + List.of(observers);
    }

    /** One observer's failures, for the rate limit of their log lines. */
    private static final class Failures {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastLogged = new AtomicLong();
    }
}
