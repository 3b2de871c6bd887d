/**
 * Off-heap buffers allocated through resource scopes: the reservation and the native memory are
 * one act, and closing the buffer gives back both. See {@link org.jrcmgr.offheap}.
 */
// chronicle-bytes and chronicle-core ship no module-info: they are automatic modules, and a
// NativeBuffer hands out chronicle's Bytes, so its module must be required transitively. javac
// warns about both on principle (an automatic module's name may change); those two lints are the
// only ones silenced, here and nowhere else.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.jrcmgr.offheap {
    requires transitive org.jrcmgr;
    requires transitive chronicle.bytes;
    requires chronicle.core;
    requires org.slf4j;
    requires jdk.unsupported;

    exports org.jrcmgr.offheap;
}
