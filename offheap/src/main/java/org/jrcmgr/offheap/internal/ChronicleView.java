package org.jrcmgr.offheap.internal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.internal.NativeBytesStore;
import net.openhft.chronicle.bytes.internal.NoBytesStore;
import net.openhft.chronicle.core.io.ClosedIllegalStateException;

/**
 * chronicle's view of a buffer's native block: a store over the block and one {@code Bytes} on it.
 *
 * <p>The store never frees the block: the buffer does, at the moment its books say so. Releasing
 * the view only makes chronicle refuse further use (its accessors fail on a released store instead
 * of touching the freed block), and it happens synchronously on the caller's thread whatever
 * {@code -Dbackground.releaser} says, because this store declines background release.
 */
public final class ChronicleView {

    private final Store store;
    private final Bytes<Void> bytes;

    /** A view of {@code size} bytes at {@code address}; a zero size needs no block. */
    public ChronicleView(long address, long size) {
        store = new Store(size == 0 ? NoBytesStore.NO_PAGE : address, size);
        Bytes<Void> b;
        try {
            b = store.bytesForWrite();
        } catch (RuntimeException e) {
            store.releaseLast();
            throw e;
        }
        // A buffer moves between threads (a transfer, a close from another thread); callers order
        // their use, so chronicle's single-thread assertion would only fire on correct programs.
        b.singleThreadedCheckDisabled(true);
        bytes = b;
    }

    /** The {@code Bytes} over the block: write position 0, write limit the block's size. */
    public Bytes<Void> bytes() {
        return bytes;
    }

    /**
     * Releases the {@code Bytes} and the store; the block itself is untouched. A user who released
     * the {@code Bytes} on their own already did the first half.
     */
    public void release() {
        try {
            if (bytes.refCount() > 0) {
                bytes.releaseLast();
            }
        } catch (ClosedIllegalStateException alreadyReleased) {
            // released concurrently by its user: the store reference it held is gone either way
        } finally {
            if (store.refCount() > 0) {
                store.releaseLast();
            }
        }
    }

    /** A native store that does not own its block and releases in the calling thread. */
    private static final class Store extends NativeBytesStore<Void> {

        Store(long address, long size) {
            // no deallocator (the buffer frees the block), not monitored (the buffer is)
            super(address, size, null, false, false);
            singleThreadedCheckDisabled(true);
        }

        @Override
        protected boolean canReleaseInBackground() {
            // Called from the superclass constructor; a constant, so safe before this class is initialised.
            return false;
        }
    }
}
