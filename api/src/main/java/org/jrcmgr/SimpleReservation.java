package org.jrcmgr;

import java.util.Objects;

/**
 * The {@link Reservation} any {@link ResourceScope} offers through its public memory operations.
 * It cannot learn that its scope is done, so it is never reclaimed; implementations that can,
 * override {@link ResourceScope#reserve(long, ReservationPriority, Reclaimer)}.
 */
final class SimpleReservation implements Reservation {

    private final long size;
    private ResourceScope scope;
    private State state = State.OPEN;

    private SimpleReservation(ResourceScope scope, long size) {
        this.scope = scope;
        this.size = size;
    }

    static Reservation reserve(ResourceScope scope, long size, ReservationPriority priority) {
        scope.reserveMemory(size, priority);
        return new SimpleReservation(scope, size);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized ResourceScope scope() {
        return scope;
    }

    @Override
    public synchronized State state() {
        return state;
    }

    @Override
    public synchronized void transferTo(ResourceScope target, ReservationPriority priority) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(priority, "priority");
        if (state != State.OPEN) {
            throw new IllegalStateException("cannot transfer a reservation of " + size + " bytes in " + scope.name()
                    + ": it was already released");
        }
        target.reserveMemory(size, priority);
        scope.releaseMemory(size);
        scope = target;
    }

    @Override
    public synchronized void close() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the reservation of " + size + " bytes in " + scope.name()
                    + " was already released");
        }
        state = State.RELEASED;
        scope.releaseMemory(size);
    }

    @Override
    public String toString() {
        return "Reservation[" + size + " bytes in " + scope().name() + ", " + state() + "]";
    }
}
