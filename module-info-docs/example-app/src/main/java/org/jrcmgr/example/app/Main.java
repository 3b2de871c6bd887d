package org.jrcmgr.example.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.EndpointRefusedException;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceManagers;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.spi.ProviderDescription;
import org.jrcmgr.spi.ResourceManagerProvider;

/**
 * An application that knows only the API: it asks {@link ResourceManagers} for a manager, admits a
 * connection and a stream, prints every scope, then shows two refusals and how to read them. The
 * same jar runs on the module path and on the class path; the first lines say which.
 */
public final class Main {

    /** The remote peer of the example. */
    static final PeerId PEER = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");

    private Main() {
    }

    /**
     * Runs the example; exits with status 2 when no resource manager can be created.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        out.println("org.jrcmgr is " + where(ResourceManager.class));
        // tag::app-provider[]
        out.println("providers present: " + ResourceManagers.providers().stream()
                .map(ProviderDescription::toString).collect(Collectors.joining(", ")));
        ResourceManagerProvider provider;
        try {
            provider = ResourceManagers.provider();
        } catch (IllegalStateException e) {
            out.println("cannot create a resource manager: " + e.getMessage());
            System.exit(2);
            return;
        }
        out.println("provider chosen: " + ProviderDescription.of(provider.getClass()).name() + ", "
                + where(provider.getClass()));
        try (ResourceManager rcmgr = ResourceManagers.create()) {
            out.println("manager: " + rcmgr.getClass().getName() + ", " + where(rcmgr.getClass()));
            serve(rcmgr, out);
            refuseMemory(rcmgr, out);
            refuseEndpoint(rcmgr, out);
        }
        // end::app-provider[]
    }

    /** A connection and a stream going through their life, with a snapshot while they are open. */
    static void serve(ResourceManager rcmgr, PrintStream out) {
        out.println();
        out.println("== a connection and a stream");
        // tag::app-serve[]
        // A transport admits each connection before doing any work for it: it starts in the transient scope.
        try (ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true,
                Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"))) {
            // The handshake named the peer: the connection moves into the peer's scope.
            conn.setPeer(PEER);
            try (StreamManagementScope stream = rcmgr.openStream(PEER, Direction.INBOUND)) {
                // The protocol is negotiated: the stream leaves the transient scope for the protocol's.
                stream.setProtocol(ProtocolId.of("/echo/1.0.0"));
                // Its handler belongs to a service: the stream counts in the service's scope as well.
                stream.setService("echo");
                stream.reserveMemory(64 * 1024, ReservationPriority.HIGH); // the receive window
                try (ResourceScopeSpan frame = stream.beginSpan()) {
                    frame.reserveMemory(16 * 1024, ReservationPriority.LOW); // one frame being decoded
                    print(rcmgr.snapshot(), out);
                } // a span gives back what it holds when it is done...
            } // ...and so does every scope
        }
        print(rcmgr.snapshot(), out);
        // end::app-serve[]
    }

    /** A memory reservation refused by the stream's own limit, field by field. */
    static void refuseMemory(ResourceManager rcmgr, PrintStream out) {
        out.println();
        out.println("== a memory refusal");
        // tag::read-refusal[]
        try (StreamManagementScope stream = rcmgr.openStream(PEER, Direction.OUTBOUND)) {
            stream.reserveMemory(4 << 20, ReservationPriority.LOW);
            stream.reserveMemory(4 << 20, ReservationPriority.LOW); // 8 MiB: more than LOW may take of 16 MiB
            out.println("admitted: no limit refused 8 MiB");
        } catch (ResourceLimitExceededException refused) {
            out.println(refused.getMessage());
            out.println("path:          " + refused.path());
            out.println("refused by:    " + refused.refusingScope());
            out.println("resource:      " + refused.resource());
            out.println("held:          " + refused.current());
            out.println("requested:     " + refused.requested());
            out.println("limit:         " + refused.limit());
            out.println("priority:      " + refused.priority() + ", admits up to "
                    + refused.priority().threshold(refused.limit().capacity()));
            out.println("retryable:     " + refused.retryable());
        }
        // end::read-refusal[]
        try (StreamManagementScope stream = rcmgr.openStream(PEER, Direction.OUTBOUND)) {
            stream.reserveMemory(32 << 20, ReservationPriority.ALWAYS);
            out.println("admitted: no limit refused 32 MiB");
        } catch (ResourceLimitExceededException refused) {
            out.println(refused.getMessage());
        }
    }

    /** The ninth connection from one IPv4 address, refused before any scope is asked. */
    static void refuseEndpoint(ResourceManager rcmgr, PrintStream out) {
        out.println();
        out.println("== an address refusal");
        // tag::read-endpoint-refusal[]
        Multiaddr busy = Multiaddr.parse("/ip4/192.0.2.99/tcp/4001");
        List<ConnManagementScope> conns = new ArrayList<>();
        try {
            for (int i = 1; i <= 9; i++) { // go-libp2p's default: 8 connections at once per IPv4 address
                conns.add(rcmgr.openConnection(Direction.INBOUND, true, busy));
            }
            out.println("admitted: all 9 connections from " + busy);
        } catch (EndpointRefusedException refused) {
            out.println(refused.getMessage());
            out.println("endpoint:      " + refused.endpoint());
            out.println("reason:        " + refused.reason());
            out.println("retryable:     " + refused.retryable());
        } finally {
            conns.forEach(ConnManagementScope::done);
        }
        // end::read-endpoint-refusal[]
    }

    /** A table of the scopes that hold something; one line when none does. */
    static void print(ResourceSnapshot snapshot, PrintStream out) {
        List<ScopeSnapshot> holding = snapshot.scopes().stream().filter(s -> !s.usage().isZero()).toList();
        if (holding.isEmpty()) {
            out.println(snapshot.scopes().size() + " scopes, none holds anything");
            return;
        }
        out.println(snapshot.scopes().size() + " scopes, " + holding.size() + " hold something:");
        int width = holding.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        String row = "  %-" + width + "s  %12s  %14s  %2s  %6s%n";
        out.printf(row, "scope", "conns in/out", "streams in/out", "fd", "memory");
        for (ScopeSnapshot scope : holding) {
            ScopeStat u = scope.usage();
            out.printf(row, scope.name(), u.connsInbound() + "/" + u.connsOutbound(),
                    u.streamsInbound() + "/" + u.streamsOutbound(), u.fd(), u.memory());
        }
    }

    /** Where {@code type} was loaded from: a named module, or the class path. */
    static String where(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? "in module " + module.getName() : "on the class path";
    }
}
