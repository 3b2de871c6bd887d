package org.jrcmgr.micrometer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeKind;
import org.junit.jupiter.api.Test;

/**
 * The observer callbacks allocate nothing per event once every series exists (go-libp2p's bar: at
 * most 10 allocations for 10 000 events), measured with the JVM's per-thread allocation counter.
 */
class AllocationTest {

    static final int EVENTS_PER_ROUND = 20;
    static final int MEASURED_ROUNDS = 500; // 10 000 events

    /** {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)} for this thread. */
    static final class AllocatedBytes {
        private final MethodHandle counter;
        private final long thread = Thread.currentThread().getId();

        AllocatedBytes() throws ReflectiveOperationException {
            // Reflection, because this module does not read java.management / jdk.management, and a
            // method handle of exact type, so reading the counter allocates nothing itself.
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            Method get = sunBean.getMethod("getThreadAllocatedBytes", long.class);
            counter = MethodHandles.publicLookup().unreflect(get).bindTo(bean)
                    .asType(MethodType.methodType(long.class, long.class));
        }

        long now() throws Throwable {
            return (long) counter.invokeExact(thread);
        }
    }

    @Test
    void observerCallbacksAllocateNothingPerEvent() throws Throwable {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        FakeScope system = new FakeScope("system", ScopeKind.SYSTEM);
        FakeScope transientScope = new FakeScope("transient", ScopeKind.TRANSIENT);
        FakeScope peer = new FakeScope("peer:12D3KooWtest", ScopeKind.PEER);
        FakeScope conn = new FakeScope("conn-1", ScopeKind.CONNECTION);
        FakeScope stream = new FakeScope("stream-1", ScopeKind.STREAM);
        FakeScope protocol = new FakeScope("protocol:/echo/1.0.0", ScopeKind.PROTOCOL);
        FakeScope span = new FakeScope("conn-1.span-1", ScopeKind.SPAN);
        metrics.scopeCreated(system);
        metrics.scopeCreated(transientScope);
        metrics.scopeCreated(protocol);
        PeerId peerId = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
        ProtocolId echo = ProtocolId.of("/echo/1.0.0");
        // Made once: a LimitValue.of(n) in the loop would be the test's own allocation.
        LimitValue hundred = LimitValue.of(100);
        LimitValue two = LimitValue.of(2);
        LimitValue one = LimitValue.of(1);
        AllocatedBytes allocated = new AllocatedBytes();

        Runnable round = () -> {
            metrics.connsAdded(system, 1, 0, 1, 3, 0, 3);
            metrics.connsAdded(peer, 1, 0, 1, 1, 0, 1);
            metrics.connAllowed(Direction.INBOUND, true);
            metrics.streamsAdded(peer, 0, 1, 0, 1);
            metrics.streamsAdded(protocol, 0, 1, 0, 1);
            metrics.memoryReserved(peer, 4096, ReservationPriority.HIGH, 4096);
            metrics.memoryReserved(conn, 70_000, ReservationPriority.LOW, 70_000);
            metrics.memoryReleased(conn, 70_000, 0);
            metrics.memoryReleased(peer, 4096, 0);
            metrics.memoryAllowed(4096);
            metrics.refused(span, system, Resource.MEMORY, 10, 1 << 20, hundred,
                    ReservationPriority.ALWAYS, false);
            metrics.memoryBlocked(1 << 20);
            metrics.refused(conn, transientScope, Resource.CONNS, 2, 1, two, ReservationPriority.ALWAYS,
                    false);
            metrics.connBlocked(Direction.OUTBOUND, true);
            metrics.refused(stream, peer, Resource.STREAMS_INBOUND, 1, 1, one,
                    ReservationPriority.ALWAYS, false);
            metrics.streamBlocked(peerId, Direction.INBOUND);
            metrics.protocolAllowed(echo);
            metrics.streamsRemoved(peer, 0, 1, 0, 0);
            metrics.connsRemoved(peer, 1, 0, 1, 0, 0, 0);
            metrics.connsRemoved(system, 1, 0, 1, 2, 0, 2);
        };
        for (int i = 0; i < 20_000; i++) {
            round.run();
        }
        long empty0 = allocated.now();
        long empty1 = allocated.now();
        long before = allocated.now();
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            round.run();
        }
        long after = allocated.now();
        long bytes = (after - before) - (empty1 - empty0);
        System.out.printf("rcmgr metrics: %d bytes allocated for %d observer events%n", bytes,
                MEASURED_ROUNDS * EVENTS_PER_ROUND);
        // go-libp2p allows 10 allocations per 10 000 events; 10 of the smallest objects are 160 bytes.
        assertTrue(bytes <= 160, bytes + " bytes allocated for " + MEASURED_ROUNDS * EVENTS_PER_ROUND + " events");
        registry.close();
    }
}
