/**
 * Off-heap buffers whose allocation is their reservation: {@link org.jrcmgr.offheap.OffHeap#allocate}
 * reserves the bytes in a {@link org.jrcmgr.ResourceScope} and then allocates them natively, and
 * {@link org.jrcmgr.offheap.NativeBuffer#close()} frees them and gives the reservation back.
 *
 * <pre>{@code
 * OffHeap offHeap = OffHeap.create();
 * try (NativeBuffer frame = offHeap.allocate(stream, 4096, ReservationPriority.HIGH)) {
 *     ByteBuffer bb = frame.byteBuffer();
 *     channel.read(bb);
 *     ...
 * } // memory freed and the stream's (and every scope above it) memory usage back down
 * }</pre>
 *
 * <h2>The memory budget</h2>
 * Every buffer's bytes are reserved in its scope and, through the DAG, in every scope above it up
 * to the system scope, for as long as the native memory exists (a buffer closed while
 * {@linkplain org.jrcmgr.offheap.NativeBuffer#pin() pinned} keeps its reservation until it is
 * actually freed). So the system scope's memory limit bounds all native memory allocated through
 * the manager; the only excess is memory of buffers reclaimed while pinned, until their last pin
 * is closed, shown in {@link org.jrcmgr.offheap.OffHeapStats#deferredBytes()}.
 *
 * <p>This memory is allocated with chronicle's allocator ({@code Unsafe.allocateMemory}), not with
 * {@code ByteBuffer.allocateDirect}: it is <em>not</em> counted against
 * {@code -XX:MaxDirectMemorySize}, nor in the JDK's {@code direct} buffer pool MXBean. The two
 * budgets are independent: size the system memory limit for the buffers allocated here, and
 * {@code MaxDirectMemorySize} for direct buffers allocated elsewhere (the JDK's NIO temporary
 * buffers, Netty's pooled arenas). The process's native footprint is bounded by the sum of both
 * plus the heap and the JVM's own memory. {@link org.jrcmgr.offheap.OffHeap#chronicleNativeMemoryUsed()}
 * shows chronicle's own count.
 *
 * <h2>Exactness</h2>
 * Each allocator counts live buffers, reserved bytes and native bytes at the moment each event
 * happens ({@link org.jrcmgr.offheap.OffHeap#stats()}); at every quiescent point they agree. The
 * memory is freed in the thread that closes the buffer (or closes the scope that reclaims it), never
 * on chronicle's background releaser, whether {@code -Dbackground.releaser} is on (chronicle's
 * default) or off: the chronicle objects used for {@link org.jrcmgr.offheap.NativeBuffer#bytes()}
 * decline background release and do not own the memory.
 *
 * <h2>Zeroing</h2>
 * Buffers are not zeroed unless the allocator is built with
 * {@link org.jrcmgr.offheap.OffHeap.Builder#zeroOnAllocate(boolean)}: zeroing costs about as much
 * as the allocation and the books together, and most buffers are filled by a read right away.
 *
 * <h2>No pool</h2>
 * Native blocks are not pooled: the C allocator serves a 4 KiB block in about 30 ns, less than the
 * books cost, and a pool would hold memory that no scope has reserved (it would then have to be
 * reserved in the system scope to keep the budget honest). Measuring whether a pool pays is the
 * benchmarks' job.
 *
 * <h2>JNI-free</h2>
 * chronicle-bytes is used without its native-code dependencies (posix, JNR, jffi, JNA, affinity,
 * asm) and without chronicle-analytics; the build bans them. No native library is loaded; only
 * chronicle's memory-mapped files would need them, and they are not used here.
 *
 * <h2>JVM flags</h2>
 * chronicle needs, on the class path:
 * <pre>
 * --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
 * --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
 * --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 * </pre>
 * and on the module path the same three with {@code chronicle.core} in place of
 * {@code ALL-UNNAMED} (chronicle-bytes and chronicle-core are the automatic modules
 * {@code chronicle.bytes} and {@code chronicle.core}). On JDK 24 and later add
 * {@code --sun-misc-unsafe-memory-access=allow} (JDK 17 refuses to start with it). Without the
 * flags chronicle still allocates and frees, but logs a warning and an error at start-up.
 */
package org.jrcmgr.offheap;
