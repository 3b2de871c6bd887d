package org.jrcmgr.node.storm;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.node.protocol.Exchanges;

/**
 * One storm.
 *
 * @param targets   the nodes to storm; connection {@code i} goes to {@code targets[i % size]}
 * @param conns     connections to dial, all at once
 * @param streams   streams to open on each established connection, all at once
 * @param protocols the protocols of the streams, in turn (stream {@code j} overall speaks
 *                  {@code protocols[j % size]})
 * @param duration  the storm's bound: whatever has not finished by then counts as timed out, and
 *                  every connection is closed
 * @param hold      how long after the start an established connection is kept open at least
 *                  (even with no stream), so that connection limits stay filled; 0 to close each
 *                  connection as soon as its streams are done
 * @param settings  the size of each exchange
 */
public record StormConfig(List<InetSocketAddress> targets, int conns, int streams, List<ProtocolId> protocols,
                          Duration duration, Duration hold, Exchanges.Settings settings) {

    /** The most connections one storm dials: storms are bounded. */
    public static final int MAX_CONNS = 10_000;
    /** The most streams per connection. */
    public static final int MAX_STREAMS = 1_000;
    /** The longest storm. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);

    /** @throws IllegalArgumentException if a bound is out of range */
    public StormConfig {
        targets = List.copyOf(targets);
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(settings, "settings");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a storm needs at least one target");
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("a storm needs at least one protocol");
        }
        if (conns < 1 || conns > MAX_CONNS) {
            throw new IllegalArgumentException("conns must be within 1.." + MAX_CONNS + ", got " + conns);
        }
        if (streams < 0 || streams > MAX_STREAMS) {
            throw new IllegalArgumentException("streams must be within 0.." + MAX_STREAMS + ", got " + streams);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most " + MAX_DURATION + ", got " + duration);
        }
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold must not be negative, got " + hold);
        }
    }
}
