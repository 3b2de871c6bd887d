package org.jrcmgr.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Refusal;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.offheap.OffHeap;
import org.jrcmgr.offheap.OffHeapStats;

/**
 * A node's state as JSON, as the control endpoint serves it. The shapes:
 *
 * <ul>
 *   <li>a stat ({@code usage}, {@code peak}): {@code {"streamsInbound", "streamsOutbound", "connsInbound",
 *       "connsOutbound", "fd", "memory"}}, all numbers;</li>
 *   <li>a limit: the same six plus {@code "streams"} and {@code "conns"} (the totals), each a number
 *       ({@code 0} is block-all) or the string {@code "unlimited"}.</li>
 * </ul>
 */
public final class StateJson {

    /** The resources a peak can be checked against: each is counted on its own (totals are not). */
    public static final List<Resource> PEAK_RESOURCES = List.of(Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND,
            Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.FD, Resource.MEMORY);

    static final ObjectMapper MAPPER = new ObjectMapper();

    private StateJson() {
    }

    /** The mapper used for every document. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code /health}. */
    public static ObjectNode health(Node node) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("status", "ok");
        out.put("name", node.config().name());
        out.put("peerId", node.peerId().toBase58());
        out.put("listen", node.listenMultiaddr().toString());
        out.put("connections", node.connections().size());
        out.put("chronicleFlags", Node.chronicleFlagsPresent());
        return out;
    }

    /** {@code /snapshot}: every live scope with its path, kind, limit, usage and peak. */
    public static ObjectNode snapshot(Node node) {
        ResourceSnapshot snapshot = node.rcmgr().snapshot();
        ObjectNode out = MAPPER.createObjectNode();
        out.put("peerId", node.peerId().toBase58());
        out.put("takenAt", snapshot.takenAt().toString());
        ArrayNode scopes = out.putArray("scopes");
        for (ScopeSnapshot s : snapshot.scopes()) {
            ObjectNode scope = scopes.addObject();
            scope.put("name", s.name());
            scope.put("path", s.path());
            scope.put("kind", Reason.scopeKindOf(s.name()));
            scope.set("limit", limit(s.limit()));
            scope.set("usage", stat(s.usage()));
            scope.set("peak", stat(s.peak()));
        }
        return out;
    }

    /**
     * {@code /peaks}: every live scope's peak against its limit, for the resources counted on their
     * own ({@link #PEAK_RESOURCES}), with {@code "exceeded"} naming any resource whose peak is above
     * its limit, and {@code "withinLimits"} for all.
     */
    public static ObjectNode peaks(Node node) {
        ResourceSnapshot snapshot = node.rcmgr().snapshot();
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode scopes = out.putArray("scopes");
        boolean all = true;
        for (ScopeSnapshot s : snapshot.scopes()) {
            ObjectNode scope = scopes.addObject();
            scope.put("name", s.name());
            scope.put("kind", Reason.scopeKindOf(s.name()));
            scope.set("peak", stat(s.peak()));
            scope.set("limit", limit(s.limit()));
            ArrayNode exceeded = scope.putArray("exceeded");
            for (Resource r : exceeded(s)) {
                exceeded.add(r.label());
                all = false;
            }
        }
        out.put("withinLimits", all);
        return out;
    }

    /** The resources of {@link #PEAK_RESOURCES} whose peak in {@code s} is above its limit. */
    public static List<Resource> exceeded(ScopeSnapshot s) {
        return PEAK_RESOURCES.stream().filter(r -> {
            LimitValue limit = s.limit().get(r);
            return !limit.isUnlimited() && s.peak().get(r) > limit.capacity();
        }).toList();
    }

    /**
     * {@code /exactness}: the allocator's books (live buffers and bytes, reserved bytes, native
     * bytes, and whether they agree) and whether every scope is back at zero.
     */
    public static ObjectNode exactness(Node node) {
        OffHeapStats stats = node.offHeap().stats();
        ObjectNode out = MAPPER.createObjectNode();
        out.put("liveBuffers", stats.liveBuffers());
        out.put("liveBytes", stats.liveBytes());
        out.put("reservedBytes", stats.reservedBytes());
        out.put("nativeBytes", stats.nativeBytes());
        out.put("deferredBytes", stats.deferredBytes());
        out.put("leakedBuffers", stats.leakedBuffers());
        out.put("balanced", stats.balanced());
        out.put("buffersZero", stats.liveBuffers() == 0 && stats.liveBytes() == 0 && stats.reservedBytes() == 0
                && stats.nativeBytes() == 0 && stats.deferredBytes() == 0);
        out.put("heapControlFrames", node.counters().heapControlFrames());
        out.put("chronicleNativeMemoryUsed", OffHeap.chronicleNativeMemoryUsed());
        ArrayNode nonZero = MAPPER.createArrayNode();
        for (ScopeSnapshot s : node.rcmgr().snapshot().scopes()) {
            if (!s.usage().isZero()) {
                ObjectNode scope = nonZero.addObject();
                scope.put("name", s.name());
                scope.set("usage", stat(s.usage()));
            }
        }
        out.put("scopesZero", nonZero.isEmpty());
        out.set("nonZeroScopes", nonZero);
        out.put("idle", nonZero.isEmpty() && out.get("buffersZero").asBoolean());
        return out;
    }

    /**
     * {@code /refusals}: the manager's recent refusals (a bounded ring), its exact refusal counts by
     * refusing scope kind and by resource, and the node's counts of what it admitted and refused,
     * by {@link Reason#key()}.
     */
    public static ObjectNode refusals(Node node) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode recent = out.putArray("recent");
        for (Refusal r : node.rcmgr().recentRefusals()) {
            ObjectNode o = recent.addObject();
            o.put("at", r.at().toString());
            o.put("path", r.path());
            o.put("refusingScope", r.refusingScope());
            o.put("scopeKind", Reason.scopeKindOf(r.refusingScope()));
            o.put("resource", r.resource().label());
            o.put("current", r.current());
            o.put("requested", r.requested());
            putLimit(o, "limit", r.limit());
            o.put("priority", r.priority().value());
            o.put("shadow", r.shadow());
        }
        ObjectNode counts = out.putObject("counts");
        counts.put("total", node.refusalsTotal());
        counts.set("byScopeKind", map(node.refusalsByScopeKind()));
        counts.set("byResource", map(node.refusalsByResource()));
        NodeCounters c = node.counters();
        ObjectNode n = out.putObject("node");
        n.put("connsAdmittedInbound", c.connsAdmittedInbound());
        n.put("connsAdmittedOutbound", c.connsAdmittedOutbound());
        n.put("connsEstablished", c.connsEstablished());
        n.put("streamsAdmittedInbound", c.streamsAdmittedInbound());
        n.put("streamsOpenedOutbound", c.streamsOpenedOutbound());
        n.set("connsRefused", map(c.connsRefused()));
        n.set("streamsRefused", map(c.streamsRefused()));
        n.set("resetsSent", map(c.resetsSent()));
        n.set("resetsReceived", map(c.resetsReceived()));
        n.set("closesReceived", map(c.closesReceived()));
        return out;
    }

    /** {@code /connections}: the connections open now. */
    public static ObjectNode connections(Node node) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode list = out.putArray("connections");
        for (PeerConnection c : node.connections()) {
            ObjectNode o = list.addObject();
            o.put("scope", c.scopeName());
            o.put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT));
            o.put("remoteAddress", c.remoteAddress().toString());
            o.put("peer", c.remotePeer() == null ? null : c.remotePeer().toBase58());
            o.put("streams", c.streamCount());
        }
        return out;
    }

    /** A stat as JSON. */
    public static ObjectNode stat(ScopeStat s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("streamsInbound", s.streamsInbound());
        o.put("streamsOutbound", s.streamsOutbound());
        o.put("connsInbound", s.connsInbound());
        o.put("connsOutbound", s.connsOutbound());
        o.put("fd", s.fd());
        o.put("memory", s.memory());
        return o;
    }

    /** A limit as JSON. */
    public static ObjectNode limit(BaseLimit l) {
        ObjectNode o = MAPPER.createObjectNode();
        putLimit(o, "streams", l.streams());
        putLimit(o, "streamsInbound", l.streamsInbound());
        putLimit(o, "streamsOutbound", l.streamsOutbound());
        putLimit(o, "conns", l.conns());
        putLimit(o, "connsInbound", l.connsInbound());
        putLimit(o, "connsOutbound", l.connsOutbound());
        putLimit(o, "fd", l.fd());
        putLimit(o, "memory", l.memory());
        return o;
    }

    private static void putLimit(ObjectNode o, String field, LimitValue v) {
        if (v.isUnlimited()) {
            o.put(field, "unlimited");
        } else {
            o.put(field, v.capacity());
        }
    }

    private static ObjectNode map(Map<String, Long> m) {
        ObjectNode o = MAPPER.createObjectNode();
        m.forEach(o::put);
        return o;
    }
}
