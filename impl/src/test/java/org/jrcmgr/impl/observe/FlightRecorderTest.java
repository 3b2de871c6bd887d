package org.jrcmgr.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.observe.internal.FlightRecorderObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals reach a JFR recording with their fields; the events are switched the usual JFR way. */
class FlightRecorderTest {

    private static ResourceManager manager(boolean shadow) {
        ConcreteLimitConfig limits = ConcreteLimitConfig.infinite().toBuilder()
                .conn(BaseLimit.UNLIMITED.toBuilder().memory(4096).build())
                .build();
        return ResourceManagerBuilder.create().limits(limits).collectInterval(null).shadowMode(shadow)
                .refusalSummary(null).build();
    }

    private static List<RecordedEvent> refusals(Recording recording, Path dir) throws Exception {
        Path dump = dir.resolve("refusals.jfr");
        recording.dump(dump);
        return RecordingFile.readAllEvents(dump).stream()
                .filter(e -> e.getEventType().getName().equals(FlightRecorderEvents.REFUSAL))
                .toList();
    }

    @Test
    void aRecordingCapturesARefusalWithItsFields(@TempDir Path dir) throws Exception {
        try (Recording recording = new Recording(); ResourceManager rm = manager(false)) {
            recording.enable(FlightRecorderEvents.REFUSAL);
            recording.start();
            ConnManagementScope conn = rm.openConnection(Direction.INBOUND, false, Multiaddr.parse("/ip4/192.0.2.7/tcp/1"));
            conn.reserveMemory(1024, ReservationPriority.ALWAYS);
            assertFalse(conn.tryReserveMemory(8192, ReservationPriority.HIGH));
            conn.done();
            recording.stop();

            List<RecordedEvent> events = refusals(recording, dir);
            assertEquals(1, events.size());
            RecordedEvent e = events.get(0);
            assertEquals("system > transient > conn-1", e.getString("path"));
            assertEquals("conn-1", e.getString("refusingScope"));
            assertEquals("memory", e.getString("resource"));
            assertEquals(1024, e.getLong("current"));
            assertEquals(8192, e.getLong("requested"));
            assertEquals(4096, e.getLong("limit"));
            assertEquals(ReservationPriority.HIGH.value(), e.getInt("priority"));
            assertFalse(e.getBoolean("shadow"));
            assertTrue(e.getStackTrace() == null, "no stack trace by default");
        }
    }

    @Test
    void shadowRefusalsAreRecordedAsSuch(@TempDir Path dir) throws Exception {
        try (Recording recording = new Recording(); ResourceManager rm = manager(true)) {
            recording.enable(FlightRecorderEvents.REFUSAL);
            recording.start();
            ConnManagementScope conn = rm.openConnection(Direction.OUTBOUND, false, Multiaddr.parse("/ip4/192.0.2.7/tcp/1"));
            assertTrue(conn.tryReserveMemory(8192, ReservationPriority.ALWAYS), "shadow mode lets it through");
            conn.done();
            recording.stop();
            List<RecordedEvent> events = refusals(recording, dir);
            assertEquals(1, events.size());
            assertTrue(events.get(0).getBoolean("shadow"));
        }
    }

    @Test
    void theEventsAreEnabledAndDisabledTheUsualJfrWay() {
        EventType refusal = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().equals(FlightRecorderEvents.REFUSAL)).findFirst()
                .orElseGet(() -> {
                    // Registered when the observer class is first used.
                    FlightRecorderObserver.refusalsEnabled();
                    return FlightRecorder.getFlightRecorder().getEventTypes().stream()
                            .filter(t -> t.getName().equals(FlightRecorderEvents.REFUSAL)).findFirst().orElseThrow();
                });
        assertTrue(refusal.getCategoryNames().contains("jrcmgr"));
        assertTrue(FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .anyMatch(t -> t.getName().equals(FlightRecorderEvents.LEAKED_BUFFER)));

        assertFalse(FlightRecorderObserver.refusalsEnabled(), "no recording, no events");
        try (Recording off = new Recording()) {
            off.disable(FlightRecorderEvents.REFUSAL);
            off.start();
            assertFalse(FlightRecorderObserver.refusalsEnabled(), "a recording that disables them");
            try (Recording on = new Recording()) {
                on.enable(FlightRecorderEvents.REFUSAL);
                on.start();
                assertTrue(FlightRecorderObserver.refusalsEnabled());
            }
            assertFalse(FlightRecorderObserver.refusalsEnabled(), "back off with the enabling recording closed");
        }
    }

    @Test
    void leakedBuffersAreRecordedThroughThePublicHelper(@TempDir Path dir) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable(FlightRecorderEvents.LEAKED_BUFFER);
            recording.start();
            FlightRecorderEvents.leakedBuffer("system > peer:QmP > stream-3", 65536, "at Handler.read(Handler.java:42)");
            FlightRecorderEvents.leakedBuffer("system > conn-1", 10, null);
            recording.stop();
            Path dump = dir.resolve("leaks.jfr");
            recording.dump(dump);
            List<RecordedEvent> leaks = RecordingFile.readAllEvents(dump).stream()
                    .filter(e -> e.getEventType().getName().equals(FlightRecorderEvents.LEAKED_BUFFER)).toList();
            assertEquals(2, leaks.size());
            assertEquals("system > peer:QmP > stream-3", leaks.get(0).getString("path"));
            assertEquals(65536, leaks.get(0).getLong("size"));
            assertEquals("at Handler.read(Handler.java:42)", leaks.get(0).getString("allocationSite"));
            assertEquals("", leaks.get(1).getString("allocationSite"));
        }
    }
}
