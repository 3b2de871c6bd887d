/**
 * Off-heap buffers through scopes, from an application module. {@code org.jrcmgr.offheap} requires
 * chronicle-bytes transitively, so this module reads {@code chronicle.bytes} (an automatic module)
 * without naming it, and javac has nothing to warn about here.
 */
module org.jrcmgr.example.offheap {
    requires org.jrcmgr;
    requires org.jrcmgr.offheap;
}
