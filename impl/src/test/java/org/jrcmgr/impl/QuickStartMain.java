package org.jrcmgr.impl;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;

/**
 * The README's runnable example (until the node module brings the real demo): the quick start,
 * then a manager with two transient connection slots refusing a third connection.
 */
public final class QuickStartMain {

    private QuickStartMain() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        System.out.println("== quick start: system usage while the stream is open, then after");
        ReadmeQuickStartTest.quickStart(System.out);

        System.out.println("== a refusal: the transient scope admits two connections");
        ConcreteLimitConfig limits = DefaultLimits.defaults().scale(1L << 30, 4096).toBuilder()
                .transientLimit(BaseLimit.builder().conns(2, 2, 2).fd(2).streams(8, 8, 8).memory(1 << 20).build())
                .build();
        try (ResourceManager rcmgr = ResourceManagerBuilder.create().limits(limits).build()) {
            for (int i = 1; i <= 3; i++) {
                try {
                    ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true,
                            Multiaddr.parse("/ip4/192.0.2." + i + "/tcp/4001"));
                    System.out.println("admitted " + conn.name());
                } catch (ResourceLimitExceededException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            for (ScopeSnapshot s : rcmgr.snapshot().scopes()) {
                System.out.printf("%-22s %-32s conns in=%d/%s fd=%d/%s%n", s.name(), s.path(),
                        s.usage().connsInbound(), s.limit().connsInbound(), s.usage().fd(), s.limit().fd());
            }
        }
    }
}
