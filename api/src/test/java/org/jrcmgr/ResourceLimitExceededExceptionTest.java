package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceLimitExceededExceptionTest {

    private static ResourceLimitExceededException memory(long current, long requested, LimitValue limit,
                                                         ReservationPriority priority) {
        return new ResourceLimitExceededException("system > conn-3", "conn-3", Resource.MEMORY, current, requested,
                limit, priority);
    }

    private static ResourceLimitExceededException conns(long current, long requested, LimitValue limit) {
        return new ResourceLimitExceededException("system > peer:QmPeer > conn-17", "system", Resource.CONNS_INBOUND,
                current, requested, limit, ReservationPriority.ALWAYS);
    }

    @Test
    void countMessageNamesPathRefusingScopeAndNumbers() {
        assertEquals("system > peer:QmPeer > conn-17: refused by system: cannot reserve inbound connection:"
                + " resource limit exceeded (10 held + 1 requested > limit 10; retry may succeed)",
                conns(10, 1, LimitValue.of(10)).getMessage());
    }

    @Test
    void memoryMessageNamesPriorityAndThreshold() {
        assertEquals("system > conn-3: cannot reserve memory: resource limit exceeded (1000 held + 1000 requested"
                + " > limit 4096 at priority LOW(101), threshold 1632; retry may succeed)",
                memory(1000, 1000, LimitValue.of(4096), ReservationPriority.LOW).getMessage());
    }

    @Test
    void refusingScopeIsNotRepeatedWhenItIsTheRequester() {
        String message = memory(0, 5000, LimitValue.of(4096), ReservationPriority.ALWAYS).getMessage();
        assertFalse(message.contains("refused by"), message);
        assertTrue(message.startsWith("system > conn-3: cannot reserve memory"), message);
        assertTrue(message.contains("resource limit exceeded"), message);
        assertTrue(message.endsWith("retry cannot succeed)"), message);
    }

    @Test
    void retryableWhenTheRequestFitsOnceTheScopeHoldsLess() {
        assertTrue(conns(10, 1, LimitValue.of(10)).retryable());
        assertTrue(conns(10, 10, LimitValue.of(10)).retryable());
        assertTrue(memory(1000, 1632, LimitValue.of(4096), ReservationPriority.LOW).retryable());
        assertTrue(memory(4096, 4096, LimitValue.of(4096), ReservationPriority.ALWAYS).retryable());
    }

    @Test
    void notRetryableWhenTheRequestAloneIsTooLarge() {
        assertFalse(conns(0, 11, LimitValue.of(10)).retryable());
        // Fits the limit, but not the LOW threshold (1632 of 4096).
        assertFalse(memory(0, 1633, LimitValue.of(4096), ReservationPriority.LOW).retryable());
        assertTrue(memory(0, 1633, LimitValue.of(4096), ReservationPriority.MEDIUM).retryable());
    }

    @Test
    void notRetryableUnderBlockAll() {
        assertFalse(conns(0, 1, LimitValue.blockAll()).retryable());
        assertFalse(conns(0, 0, LimitValue.blockAll()).retryable());
        assertFalse(memory(0, 1, LimitValue.blockAll(), ReservationPriority.ALWAYS).retryable());
        assertTrue(conns(0, 1, LimitValue.blockAll()).getMessage().contains("> limit blockAll; retry cannot succeed"));
    }

    @Test
    void carriesNoStackTraceCauseOrSuppressed() {
        ResourceLimitExceededException e = conns(10, 1, LimitValue.of(10));
        assertEquals(0, e.getStackTrace().length);
        e.fillInStackTrace();
        assertEquals(0, e.getStackTrace().length);
        e.addSuppressed(new RuntimeException("ignored"));
        assertEquals(0, e.getSuppressed().length);
        assertNull(e.getCause());
        assertInstanceOf(ResourceException.class, e);
        assertInstanceOf(RuntimeException.class, e);
    }

    @Test
    void accessorsReturnTheFields() {
        LimitValue limit = LimitValue.of(4096);
        ResourceLimitExceededException e = memory(100, 200, limit, ReservationPriority.HIGH);
        assertEquals("system > conn-3", e.path());
        assertEquals("conn-3", e.refusingScope());
        assertSame(Resource.MEMORY, e.resource());
        assertEquals(100, e.current());
        assertEquals(200, e.requested());
        assertSame(limit, e.limit());
        assertSame(ReservationPriority.HIGH, e.priority());
    }

    @Test
    void nullFieldsAreRejected() {
        LimitValue limit = LimitValue.of(1);
        ReservationPriority p = ReservationPriority.ALWAYS;
        assertThrows(NullPointerException.class,
                () -> new ResourceLimitExceededException(null, "s", Resource.FD, 0, 1, limit, p));
        assertThrows(NullPointerException.class,
                () -> new ResourceLimitExceededException("s", null, Resource.FD, 0, 1, limit, p));
        assertThrows(NullPointerException.class,
                () -> new ResourceLimitExceededException("s", "s", null, 0, 1, limit, p));
        assertThrows(NullPointerException.class,
                () -> new ResourceLimitExceededException("s", "s", Resource.FD, 0, 1, null, p));
        assertThrows(NullPointerException.class,
                () -> new ResourceLimitExceededException("s", "s", Resource.FD, 0, 1, limit, null));
    }

    @Test
    void everyResourceHasItsLabelInTheMessage() {
        for (Resource resource : Resource.values()) {
            ResourceLimitExceededException e = new ResourceLimitExceededException("system", "system", resource, 1, 1,
                    LimitValue.of(1), ReservationPriority.ALWAYS);
            assertTrue(e.getMessage().startsWith("system: cannot reserve " + resource.label() + ": "), e.getMessage());
        }
    }
}
