package org.jrcmgr.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.impl.LintMode;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;

/**
 * How a {@link Node} runs. Build one with {@link #builder()}; every option has a default.
 *
 * @param name              a label for logs and the demo's table
 * @param listenHost        the address to listen on
 * @param listenPort        the TCP port to listen on; 0 for any free port
 * @param limits            the limits; null to scale go-libp2p's defaults to this machine (autoscale)
 * @param allowlist         trusted endpoints (go-libp2p's allowlist), such as {@code /ip4/10.0.0.0/ipcidr/8}
 * @param connLimits        the per-address connection limits (go-libp2p's defaults: 8 per IPv4 address,
 *                          loopback exempt)
 * @param connRateLimits    the connection rate limits (go-libp2p's defaults, loopback exempt)
 * @param controlHost       the control endpoint's bind address
 * @param controlPort       the control endpoint's port; 0 for any free port, -1 for no control endpoint
 * @param ioThreads         Netty event-loop threads for connections
 * @param handshakeTimeout  how long a connection may take to complete its handshake
 * @param connectTimeout    how long a dial may take to connect
 * @param slowMaxHold       the longest the {@code /slow/1.0.0} protocol holds a stream
 * @param receivePriority   the priority at which received frames are reserved in their stream's scope
 * @param sendPriority      the priority at which frames to send are reserved in their stream's scope
 * @param refusalSummary    how often the manager logs a summary of refusals; null for never
 * @param traceFile         go-libp2p's trace file to write; null for none
 * @param lintMode          what the manager does with the policy lint of its limits (warn by default)
 */
public record NodeConfig(String name, String listenHost, int listenPort, ConcreteLimitConfig limits,
                         List<Multiaddr> allowlist, ConnLimiterConfig connLimits,
                         ConnRateLimiterConfig connRateLimits, String controlHost, int controlPort, int ioThreads,
                         Duration handshakeTimeout, Duration connectTimeout, Duration slowMaxHold,
                         ReservationPriority receivePriority, ReservationPriority sendPriority,
                         Duration refusalSummary, Path traceFile, LintMode lintMode) {

    /** @throws NullPointerException if a required component is null */
    public NodeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listenHost, "listenHost");
        allowlist = List.copyOf(allowlist);
        Objects.requireNonNull(connLimits, "connLimits");
        Objects.requireNonNull(connRateLimits, "connRateLimits");
        Objects.requireNonNull(controlHost, "controlHost");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(slowMaxHold, "slowMaxHold");
        Objects.requireNonNull(receivePriority, "receivePriority");
        Objects.requireNonNull(sendPriority, "sendPriority");
        Objects.requireNonNull(lintMode, "lintMode");
        if (listenPort < 0 || listenPort > 65535 || controlPort < -1 || controlPort > 65535) {
            throw new IllegalArgumentException("bad port: listen " + listenPort + ", control " + controlPort);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
    }

    /** A builder with the defaults: loopback, any free port, autoscaled limits, no control endpoint. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.listenHost = listenHost;
        b.listenPort = listenPort;
        b.limits = limits;
        b.allowlist = new ArrayList<>(allowlist);
        b.connLimits = connLimits;
        b.connRateLimits = connRateLimits;
        b.controlHost = controlHost;
        b.controlPort = controlPort;
        b.ioThreads = ioThreads;
        b.handshakeTimeout = handshakeTimeout;
        b.connectTimeout = connectTimeout;
        b.slowMaxHold = slowMaxHold;
        b.receivePriority = receivePriority;
        b.sendPriority = sendPriority;
        b.refusalSummary = refusalSummary;
        b.traceFile = traceFile;
        b.lintMode = lintMode;
        return b;
    }

    /** Builds a {@link NodeConfig}. */
    public static final class Builder {
        private String name = "node";
        private String listenHost = "127.0.0.1";
        private int listenPort;
        private ConcreteLimitConfig limits;
        private List<Multiaddr> allowlist = new ArrayList<>();
        private ConnLimiterConfig connLimits = ConnLimiterConfig.defaults();
        private ConnRateLimiterConfig connRateLimits = ConnRateLimiterConfig.defaults();
        private String controlHost = "127.0.0.1";
        private int controlPort = -1;
        private int ioThreads = 2;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration slowMaxHold = Duration.ofSeconds(30);
        private ReservationPriority receivePriority = ReservationPriority.HIGH;
        private ReservationPriority sendPriority = ReservationPriority.HIGH;
        private Duration refusalSummary = Duration.ofMinutes(1);
        private Path traceFile;
        private LintMode lintMode = LintMode.WARN;

        private Builder() {
        }

        /** A label for logs. */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /** Where to listen. */
        public Builder listen(String host, int port) {
            listenHost = host;
            listenPort = port;
            return this;
        }

        /** Fixed limits; null to autoscale. */
        public Builder limits(ConcreteLimitConfig v) {
            limits = v;
            return this;
        }

        /** Trusted endpoints. */
        public Builder allowlist(List<Multiaddr> v) {
            allowlist = new ArrayList<>(v);
            return this;
        }

        /** Per-address connection limits. */
        public Builder connLimits(ConnLimiterConfig v) {
            connLimits = v;
            return this;
        }

        /** Connection rate limits. */
        public Builder connRateLimits(ConnRateLimiterConfig v) {
            connRateLimits = v;
            return this;
        }

        /** The control endpoint: bind address and port (0: any free port, -1: none). */
        public Builder control(String host, int port) {
            controlHost = host;
            controlPort = port;
            return this;
        }

        /** Netty event-loop threads. */
        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        /** Handshake timeout. */
        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = v;
            return this;
        }

        /** Connect timeout. */
        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /** The longest {@code /slow/1.0.0} hold. */
        public Builder slowMaxHold(Duration v) {
            slowMaxHold = v;
            return this;
        }

        /** The priority of received frames. */
        public Builder receivePriority(ReservationPriority v) {
            receivePriority = v;
            return this;
        }

        /** The priority of frames to send. */
        public Builder sendPriority(ReservationPriority v) {
            sendPriority = v;
            return this;
        }

        /** How often to log a summary of refusals; null for never. */
        public Builder refusalSummary(Duration v) {
            refusalSummary = v;
            return this;
        }

        /** A go-libp2p trace file; null for none. */
        public Builder traceFile(Path v) {
            traceFile = v;
            return this;
        }

        /** What the manager does with the policy lint of its limits. */
        public Builder lintMode(LintMode v) {
            lintMode = v;
            return this;
        }

        /** The configuration. */
        public NodeConfig build() {
            return new NodeConfig(name, listenHost, listenPort, limits, allowlist, connLimits, connRateLimits,
                    controlHost, controlPort, ioThreads, handshakeTimeout, connectTimeout, slowMaxHold,
                    receivePriority, sendPriority, refusalSummary, traceFile, lintMode);
        }
    }
}
