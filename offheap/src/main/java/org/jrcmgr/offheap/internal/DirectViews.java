package org.jrcmgr.offheap.internal;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * Makes direct {@link ByteBuffer}s over native memory that the JDK did not allocate, without JNI.
 *
 * <p>The JDK has no public way to do this before the FFM API (JDK 22). JNI's
 * {@code NewDirectByteBuffer} is ruled out, and chronicle's own
 * {@code toTemporaryDirectByteBuffer()} calls {@code ByteBuffer.allocateDirect(0)} for every view,
 * which mallocs a byte and registers a {@code Cleaner} each time. Here one empty direct buffer is
 * made once, and each view is a duplicate of it whose address and capacity are then pointed at the
 * native block: a duplicate has no cleaner, so dropping the view frees nothing, and making one
 * allocates no native memory. The two fields are written through chronicle's {@link Memory}
 * ({@code sun.misc.Unsafe}), the same fields chronicle itself writes for its views.
 */
public final class DirectViews {

    private static final Memory MEMORY = OS.memory();
    /** Never used for access: its capacity is zero. */
    private static final ByteBuffer TEMPLATE = ByteBuffer.allocateDirect(0);
    private static final long ADDRESS_OFFSET;
    private static final long CAPACITY_OFFSET;
    /** Why views are unavailable on this JVM, or null. */
    private static final String UNAVAILABLE;

    static {
        long address = -1;
        long capacity = -1;
        String unavailable = null;
        try {
            Field addressField = Buffer.class.getDeclaredField("address");
            Field capacityField = Buffer.class.getDeclaredField("capacity");
            if (addressField.getType() != long.class || capacityField.getType() != int.class) {
                throw new NoSuchFieldException("java.nio.Buffer.address/capacity have unexpected types");
            }
            address = MEMORY.getFieldOffset(addressField);
            capacity = MEMORY.getFieldOffset(capacityField);
            unavailable = selfCheck(address, capacity);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = e.toString();
        }
        ADDRESS_OFFSET = address;
        CAPACITY_OFFSET = capacity;
        UNAVAILABLE = unavailable;
    }

    private DirectViews() {
    }

    /**
     * Writes through a view over a fresh block and reads the bytes back natively: if the JDK's
     * buffer layout ever changes, views fail loudly here instead of touching the wrong memory.
     */
    private static String selfCheck(long addressOffset, long capacityOffset) {
        long block = MEMORY.allocate(16);
        try {
            ByteBuffer view = TEMPLATE.duplicate();
            MEMORY.writeLong(view, addressOffset, block);
            MEMORY.writeInt(view, capacityOffset, 16);
            view.clear();
            if (view.capacity() != 16 || view.limit() != 16) {
                return "a view's capacity did not take (" + view.capacity() + ")";
            }
            view.put(0, (byte) 0x5A).put(15, (byte) 0xA5);
            if (MEMORY.readByte(block) != 0x5A || MEMORY.readByte(block + 15) != (byte) 0xA5) {
                return "a view did not write to its native block";
            }
            return null;
        } finally {
            MEMORY.freeMemory(block, 16);
        }
    }

    /**
     * A direct, big-endian view of {@code capacity} bytes at {@code address}, position 0 and limit
     * {@code capacity}. The caller guarantees the block stays allocated while the view is used.
     *
     * @throws UnsupportedOperationException if this JVM's {@code java.nio.Buffer} cannot be pointed
     *                                       at foreign memory
     */
    public static ByteBuffer view(long address, int capacity) {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException("ByteBuffer views over native memory are unavailable on this JVM ("
                    + System.getProperty("java.vm.name") + " " + Runtime.version() + "): " + UNAVAILABLE);
        }
        ByteBuffer view = TEMPLATE.duplicate();
        if (capacity == 0) {
            return view;
        }
        MEMORY.writeLong(view, ADDRESS_OFFSET, address);
        MEMORY.writeInt(view, CAPACITY_OFFSET, capacity);
        view.clear();
        return view;
    }
}
