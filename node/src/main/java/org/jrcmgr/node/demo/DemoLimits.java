package org.jrcmgr.node.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.LimitConfigJson;

/**
 * The demo's limits. The target's come from {@code demo-limits.json}, a go-libp2p limit file (the
 * same format {@code run --limits} reads), built against go-libp2p's defaults scaled to a 256 MiB,
 * 1024-descriptor budget, so that the demo behaves the same on every machine. The storming nodes
 * use those scaled defaults as they are: small, but large enough for their own outbound load, so
 * that the refusals come from the target.
 */
public final class DemoLimits {

    /** The resource holding the target's limit file. */
    public static final String TARGET_RESOURCE = "demo-limits.json";

    private static final long BUDGET_MEMORY = 256L << 20;
    private static final long BUDGET_FD = 1024;

    private DemoLimits() {
    }

    /** go-libp2p's defaults at the demo's fixed budget. */
    public static ConcreteLimitConfig base() {
        return DefaultLimits.defaults().scale(BUDGET_MEMORY, BUDGET_FD);
    }

    /** The storm target's limits. */
    public static ConcreteLimitConfig target() {
        try (InputStream in = DemoLimits.class.getResourceAsStream(TARGET_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TARGET_RESOURCE);
            }
            return LimitConfigJson.read(in).build(base());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The storming nodes' limits. */
    public static ConcreteLimitConfig stormer() {
        return base();
    }
}
