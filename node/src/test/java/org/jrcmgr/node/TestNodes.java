package org.jrcmgr.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.impl.LintMode;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.node.demo.DemoLimits;

/** Starts nodes on loopback for a test and closes them all at the end. */
final class TestNodes implements AutoCloseable {

    private final List<Node> nodes = new ArrayList<>();

    /** go-libp2p's defaults at the demo's fixed budget: the same on every machine. */
    static ConcreteLimitConfig base() {
        return DemoLimits.base();
    }

    /** {@code base()} with one change. */
    static ConcreteLimitConfig limits(UnaryOperator<ConcreteLimitConfig.Builder> change) {
        return change.apply(base().toBuilder()).build();
    }

    /** A copy of {@code limit} with other inbound/outbound/total connection limits (FD follows the total). */
    static BaseLimit conns(BaseLimit limit, long in, long out, long total) {
        return limit.toBuilder().conns(in, out, total).fd(total).build();
    }

    Node start(String name, ConcreteLimitConfig limits) {
        return start(NodeConfig.builder().name(name).limits(limits).refusalSummary(null));
    }

    /** Starts a node; the tests' limits are lopsided on purpose, so the policy lint is off. */
    Node start(NodeConfig.Builder config) {
        Node node = Node.start(config.lintMode(LintMode.OFF).build());
        nodes.add(node);
        return node;
    }

    /** Polls until every node holds nothing, or fails naming what is still held. */
    static void assertIdle(Node... nodes) throws InterruptedException {
        for (Node n : nodes) {
            if (!n.awaitIdle(Duration.ofSeconds(10))) {
                throw new AssertionError(n.config().name() + " is not back to zero: "
                        + StateJson.exactness(n).toPrettyString());
            }
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.close();
        }
    }
}
