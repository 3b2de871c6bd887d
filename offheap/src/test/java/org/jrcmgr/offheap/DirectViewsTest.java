package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.ALWAYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.junit.jupiter.api.Test;

/**
 * ByteBuffer views are made by pointing a duplicate of an empty direct buffer at the block: check
 * that every view has the right address and capacity once the JIT has compiled the path that makes
 * them, on whatever JDK runs the test.
 */
class DirectViewsTest {

    @Test
    void viewsAreRightAfterCompilation() {
        SplittableRandom random = new SplittableRandom(42);
        OffHeap offHeap = OffHeap.create();
        try (ResourceManager manager = Fixtures.manager(1 << 24, 1 << 24)) {
            ResourceScope system = manager.viewSystem(s -> s);
            for (int i = 0; i < 200_000; i++) {
                int size = 1 + random.nextInt(8192);
                try (NativeBuffer buffer = offHeap.allocate(system, size, ALWAYS)) {
                    ByteBuffer view = buffer.byteBuffer();
                    assertEquals(size, view.capacity());
                    assertEquals(size, view.limit());
                    assertEquals(0, view.position());
                    byte mark = (byte) i;
                    view.put(size - 1, mark);
                    if (i % 64 == 0) {
                        Bytes<Void> bytes = buffer.bytes();
                        assertEquals(mark, bytes.readByte(size - 1), "the view and chronicle see the same byte");
                        bytes.writeByte(0, (byte) (mark + 1));
                        assertEquals((byte) (mark + 1), buffer.byteBuffer().get(0));
                    }
                }
            }
            assertTrue(offHeap.stats().balanced());
            assertEquals(0, offHeap.stats().nativeBytes());
        }
    }
}
