package org.jrcmgr.node.demo;

import java.util.List;
import java.util.Map;
import org.jrcmgr.node.storm.StormReport;
import org.jrcmgr.offheap.OffHeapStats;

/**
 * What the demo proved.
 *
 * @param storm         the storms' combined report (the dialers' view)
 * @param nodes         each node's checks after the storm
 * @param elapsedMillis how long the demo took
 */
public record DemoReport(StormReport storm, List<NodeCheck> nodes, long elapsedMillis) {

    /**
     * One node after the storm.
     *
     * @param name           the node's name
     * @param peerId         its peer id
     * @param scopes         live scopes whose peaks were checked
     * @param exceeded       {@code scope resource} for every peak above its limit (empty: none)
     * @param nonZeroScopes  scopes whose usage is not zero (empty: all back to zero)
     * @param buffers        the allocator's books
     * @param connsRefused   connections the node refused, by reason
     * @param streamsRefused streams the node refused, by reason
     * @param resetsSent     resets the node sent, by reason
     */
    public record NodeCheck(String name, String peerId, int scopes, List<String> exceeded, List<String> nonZeroScopes,
                            OffHeapStats buffers, Map<String, Long> connsRefused, Map<String, Long> streamsRefused,
                            Map<String, Long> resetsSent) {

        /** Whether every buffer is gone: no live buffer, nothing reserved, no native memory. */
        public boolean buffersZero() {
            return buffers.liveBuffers() == 0 && buffers.liveBytes() == 0 && buffers.reservedBytes() == 0
                    && buffers.nativeBytes() == 0 && buffers.deferredBytes() == 0;
        }

        /** Whether the node holds nothing at all. */
        public boolean backToZero() {
            return nonZeroScopes.isEmpty() && buffersZero();
        }
    }

    /** Whether no node saw a peak above a limit. */
    public boolean withinLimits() {
        return nodes.stream().allMatch(n -> n.exceeded().isEmpty());
    }

    /** Whether every node is back to zero: every scope and all native memory. */
    public boolean backToZero() {
        return nodes.stream().allMatch(NodeCheck::backToZero);
    }

    /** Whether the storm was refused anything (it is built to exceed the limits). */
    public boolean refusedSomething() {
        return storm.connsRefused() + storm.streamsRefused() + storm.streamsReset() > 0;
    }

    /** Whether the demo showed what it should: refusals, no limit exceeded, everything back to zero, counts adding up. */
    public boolean ok() {
        return refusedSomething() && withinLimits() && backToZero() && storm.consistent();
    }
}
