package org.jrcmgr.impl.observe;

import static org.jrcmgr.impl.observe.ObserveFixtures.brief;
import static org.jrcmgr.impl.observe.ObserveFixtures.readTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.observe.ObserveFixtures.FakeScope;
import org.jrcmgr.impl.observe.internal.FileTraceObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace file's writer: bounded buffer, dropping and counting, opening errors, time format, close. */
class FileTraceTest {

    private static final FixedLimiter LIMITER = new FixedLimiter(ConcreteLimitConfig.infinite());
    private static final FakeScope SCOPE = FakeScope.of("transient", ScopeKind.TRANSIENT);

    /** A writer thread that waits for the test before it writes anything. */
    private static final class HeldWriter implements ThreadFactory {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Thread newThread(Runnable writer) {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                writer.run();
            }, "held-trace-writer");
            t.setDaemon(true);
            return t;
        }
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfGrowing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json.gz");
        HeldWriter held = new HeldWriter();
        FileTraceObserver trace = FileTraceObserver.open(file, 8, LIMITER, new AtomicLong()::incrementAndGet,
                Duration.ofSeconds(1), held);
        assertEquals(8, trace.capacity());
        // The start event holds one slot; 7 more fit while the writer is held, the other 13 are dropped.
        for (int i = 1; i <= 20; i++) {
            trace.memoryReserved(SCOPE, i, ReservationPriority.ALWAYS, i);
        }
        assertEquals(13, trace.droppedEvents());

        held.release.countDown();
        trace.close();
        List<JsonNode> events = readTrace(file);
        assertEquals(8, events.size());
        assertEquals("start", brief(events.get(0)));
        for (int i = 1; i <= 7; i++) {
            assertEquals("reserve_memory transient {Priority=255, Delta=" + i + ", Memory=" + i + "}",
                    brief(events.get(i)));
        }
        assertEquals(8, trace.writtenEvents());
        assertEquals(13, trace.droppedEvents());
    }

    @Test
    void theBufferIsReusedLapAfterLapOnceTheWriterRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json.gz");
        FileTraceObserver trace = FileTraceObserver.open(file, 4, LIMITER, new AtomicLong()::incrementAndGet,
                Duration.ofSeconds(1), FileTraceObserver::writerThread);
        long events = 0;
        for (int i = 0; i < 10_000; i++) {
            trace.memoryReleased(SCOPE, 1, 0);
            events++;
        }
        trace.close();
        List<JsonNode> written = readTrace(file);
        // Whatever the writer could not keep up with was dropped, and counted: nothing is lost silently.
        assertEquals(events + 1, written.size() + trace.droppedEvents());
        assertEquals(written.size(), trace.writtenEvents());
    }

    @Test
    void aTraceFileThatCannotBeOpenedIsAnErrorAtConstruction(@TempDir Path dir) throws Exception {
        Path missingDir = dir.resolve("no-such-dir").resolve("t.json.gz");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> FileTraceObserver.open(missingDir, 8, LIMITER));
        assertTrue(e.getMessage().contains(missingDir.toString()), e.getMessage());

        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        UncheckedIOException viaBuilder = assertThrows(UncheckedIOException.class,
                () -> ResourceManagerBuilder.create().limits(ConcreteLimitConfig.infinite()).collectInterval(null)
                        .trace(directory).build());
        assertTrue(viaBuilder.getMessage().contains(directory.toString()), viaBuilder.getMessage());
    }

    @Test
    void timesAreRfc3339WithNanosecondsAsGoPrintsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json.gz");
        long[] times = {
            1_700_000_000_123_456_789L, // start
            1_700_000_000_000_000_000L, // whole second: no fraction
            1_700_000_000_120_000_000L, // go trims trailing zeros
            1_700_000_000_000_000_001L,
        };
        AtomicLong i = new AtomicLong();
        FileTraceObserver trace = FileTraceObserver.open(file, 8, LIMITER, () -> times[(int) i.getAndIncrement()],
                Duration.ofSeconds(1), FileTraceObserver::writerThread);
        trace.scopeCreated(SCOPE);
        trace.scopeDestroyed(SCOPE);
        trace.memoryReleased(SCOPE, 5, 0);
        trace.close();
        List<String> written = readTrace(file).stream().map(e -> e.get("Time").asText()).toList();
        assertEquals(List.of("2023-11-14T22:13:20.123456789Z", "2023-11-14T22:13:20Z", "2023-11-14T22:13:20.12Z",
                "2023-11-14T22:13:20.000000001Z"), written);
    }

    @Test
    void closeWritesEverythingFinishesTheFileAndDropsLaterEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json.gz");
        // A flush interval of an hour: only close can have written these events.
        FileTraceObserver trace = FileTraceObserver.open(file, 1024, LIMITER, System::nanoTime, Duration.ofHours(1),
                FileTraceObserver::writerThread);
        for (int i = 0; i < 100; i++) {
            trace.streamsAdded(SCOPE, 1, 0, i + 1, 0);
        }
        trace.managerClosed();
        trace.close();
        trace.connsAdded(SCOPE, 1, 0, 1, 1, 0, 1);
        List<JsonNode> events = readTrace(file);
        assertEquals(101, events.size());
        assertEquals("add_stream transient {DeltaIn=1, StreamsIn=100}", brief(events.get(100)));
        assertEquals(1, trace.droppedEvents());
    }
}
