package org.jrcmgr.example.provider;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ProtocolScope;
import org.jrcmgr.Refusal;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ServiceScope;
import org.jrcmgr.StreamManagementScope;

/**
 * A manager that hands every call to another one and counts the connections and streams it
 * admitted. Not exported: users see it only as a {@link ResourceManager}.
 */
final class CountingResourceManager implements ResourceManager {

    private final ResourceManager delegate;
    private final LongAdder connections = new LongAdder();
    private final LongAdder streams = new LongAdder();

    CountingResourceManager(ResourceManager delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ConnManagementScope openConnection(Direction direction, boolean usesFd, Multiaddr endpoint) {
        ConnManagementScope conn = delegate.openConnection(direction, usesFd, endpoint);
        connections.increment();
        return conn;
    }

    @Override
    public StreamManagementScope openStream(PeerId peer, Direction direction) {
        StreamManagementScope stream = delegate.openStream(peer, direction);
        streams.increment();
        return stream;
    }

    @Override
    public boolean verifySourceAddress(InetSocketAddress source) {
        return delegate.verifySourceAddress(source);
    }

    @Override
    public ResourceSnapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public List<Refusal> recentRefusals() {
        return delegate.recentRefusals();
    }

    @Override
    public <T> T viewSystem(Function<? super ResourceScope, ? extends T> view) {
        return delegate.viewSystem(view);
    }

    @Override
    public <T> T viewTransient(Function<? super ResourceScope, ? extends T> view) {
        return delegate.viewTransient(view);
    }

    @Override
    public <T> T viewService(String service, Function<? super ServiceScope, ? extends T> view) {
        return delegate.viewService(service, view);
    }

    @Override
    public <T> T viewProtocol(ProtocolId protocol, Function<? super ProtocolScope, ? extends T> view) {
        return delegate.viewProtocol(protocol, view);
    }

    @Override
    public <T> T viewPeer(PeerId peer, Function<? super PeerScope, ? extends T> view) {
        return delegate.viewPeer(peer, view);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** {@code counting resource manager: 10 connections and 3 streams admitted}. */
    @Override
    public String toString() {
        return "counting resource manager: " + connections.sum() + " connections and " + streams.sum()
                + " streams admitted";
    }
}
