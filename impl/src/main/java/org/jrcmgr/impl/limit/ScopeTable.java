package org.jrcmgr.impl.limit;

import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.ALLOWLISTED_SYSTEM;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.ALLOWLISTED_TRANSIENT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.CONN;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PEER;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PEER_DEFAULT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PROTOCOL;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PROTOCOL_DEFAULT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PROTOCOL_PEER;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.PROTOCOL_PEER_DEFAULT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.SERVICE;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.SERVICE_DEFAULT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.SERVICE_PEER;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.SERVICE_PEER_DEFAULT;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.STREAM;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.SYSTEM;
import static org.jrcmgr.impl.limit.LimitJsonSchema.Section.TRANSIENT;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

/**
 * The sixteen scopes of a limit configuration, one slot per {@link Section}. {@link ConcreteLimitConfig},
 * {@link PartialLimitConfig} and {@link ScalingLimitConfig} hold the same scopes with different
 * values; this is where checking, copying, changing and converting them is written, once for all
 * three. A table is mutable and never shared: each record and builder makes its own.
 *
 * @param <V> what each scope holds: a {@code BaseLimit}, {@link ResourceLimits} or {@link ScopeScaling}
 */
final class ScopeTable<V> {

    /**
     * The components of a configuration record, in go's declaration order. The records implement
     * it with their accessors, so that a {@link Section} can read any of them.
     *
     * @param <V> what each scope holds
     */
    interface Components<V> {
        V system();

        V transientLimit();

        V allowlistedSystem();

        V allowlistedTransient();

        V serviceDefault();

        Map<String, V> service();

        V servicePeerDefault();

        Map<String, V> servicePeer();

        V protocolDefault();

        Map<ProtocolId, V> protocol();

        V protocolPeerDefault();

        Map<ProtocolId, V> protocolPeer();

        V peerDefault();

        Map<PeerId, V> peer();

        V conn();

        V stream();
    }

    /**
     * A configuration record's canonical constructor, or anything else taking the scopes in its
     * order.
     *
     * @param <V> what each scope holds
     * @param <C> what is made of them
     */
    @FunctionalInterface
    interface Factory<V, C> {
        C make(V system, V transientLimit, V allowlistedSystem, V allowlistedTransient,
               V serviceDefault, Map<String, V> service, V servicePeerDefault, Map<String, V> servicePeer,
               V protocolDefault, Map<ProtocolId, V> protocol, V protocolPeerDefault,
               Map<ProtocolId, V> protocolPeer, V peerDefault, Map<PeerId, V> peer, V conn, V stream);
    }

    private final Map<Section, V> scopes = new EnumMap<>(Section.class);
    private final Map<Section, Map<Object, V>> maps = new EnumMap<>(Section.class);

    private ScopeTable() {
    }

    /** Every single scope {@code value}, every map empty. */
    static <V> ScopeTable<V> filled(V value) {
        ScopeTable<V> table = new ScopeTable<>();
        for (Section section : Section.ALL) {
            if (section.isMap()) {
                table.maps.put(section, new LinkedHashMap<>());
            } else {
                table.scopes.put(section, value);
            }
        }
        return table;
    }

    /** {@code config}'s scopes, with maps of its own to change. */
    static <V> ScopeTable<V> of(Components<V> config) {
        ScopeTable<V> table = new ScopeTable<>();
        for (Section section : Section.ALL) {
            if (section.isMap()) {
                table.maps.put(section, new LinkedHashMap<>(section.map(config)));
            } else {
                table.scopes.put(section, section.scope(config));
            }
        }
        return table;
    }

    /**
     * A record's components as its compact constructor gets them, checked in their order, each map
     * replaced by an unmodifiable copy in the same order ({@link #map} hands the copies back).
     *
     * @throws NullPointerException if a scope, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    static <V> ScopeTable<V> checked(V system, V transientLimit, V allowlistedSystem, V allowlistedTransient,
                                     V serviceDefault, Map<String, V> service, V servicePeerDefault,
                                     Map<String, V> servicePeer, V protocolDefault, Map<ProtocolId, V> protocol,
                                     V protocolPeerDefault, Map<ProtocolId, V> protocolPeer, V peerDefault,
                                     Map<PeerId, V> peer, V conn, V stream) {
        // In Section order, which is the parameters' order.
        List<Object> given = Arrays.asList(system, transientLimit, allowlistedSystem, allowlistedTransient,
                serviceDefault, service, servicePeerDefault, servicePeer, protocolDefault, protocol,
                protocolPeerDefault, protocolPeer, peerDefault, peer, conn, stream);
        ScopeTable<V> table = new ScopeTable<>();
        for (Section section : Section.ALL) {
            Object component = Objects.requireNonNull(given.get(section.ordinal()), section.componentName);
            if (section.isMap()) {
                table.maps.put(section, LimitMaps.copy(ScopeTable.<Map<Object, V>>cast(component),
                        section.componentName));
            } else {
                table.scopes.put(section, ScopeTable.<V>cast(component));
            }
        }
        return table;
    }

    /** The single scope {@code section}. */
    V get(Section section) {
        return scopes.get(section);
    }

    /** The map {@code section}; {@code K} is the key type its {@link Section#keyKind} stands for. */
    <K> Map<K, V> map(Section section) {
        return cast(maps.get(section));
    }

    /** Sets the single scope {@code section}, named in the exception if {@code value} is null. */
    void set(Section section, V value) {
        scopes.put(section, Objects.requireNonNull(value, section.componentName));
    }

    /**
     * Gives {@code key} its own entry in the map {@code section}, replacing any earlier one. The key
     * is checked first; a null value is reported as the component and {@code valueNoun}.
     */
    void put(Section section, Object key, V value, String valueNoun) {
        Object checkedKey = section.requireKey(key);
        maps.get(section).put(checkedKey,
                Objects.requireNonNull(value, () -> section.componentName + " " + valueNoun));
    }

    /** Drops {@code key}'s entry in the map {@code section}, so it falls back to the default. */
    void remove(Section section, Object key) {
        maps.get(section).remove(section.requireKey(key));
    }

    /** The record, or whatever {@code factory} makes, of these scopes. */
    <C> C to(Factory<V, C> factory) {
        return factory.make(get(SYSTEM), get(TRANSIENT), get(ALLOWLISTED_SYSTEM), get(ALLOWLISTED_TRANSIENT),
                get(SERVICE_DEFAULT), map(SERVICE), get(SERVICE_PEER_DEFAULT), map(SERVICE_PEER),
                get(PROTOCOL_DEFAULT), map(PROTOCOL), get(PROTOCOL_PEER_DEFAULT), map(PROTOCOL_PEER),
                get(PEER_DEFAULT), map(PEER), get(CONN), get(STREAM));
    }

    /** Every scope and every map entry through {@code f}; the maps keep their order. */
    <W> ScopeTable<W> transform(Function<? super V, ? extends W> f) {
        ScopeTable<W> out = new ScopeTable<>();
        scopes.forEach((section, value) -> out.scopes.put(section, f.apply(value)));
        maps.forEach((section, map) -> {
            Map<Object, W> transformed = new LinkedHashMap<>();
            map.forEach((key, value) -> transformed.put(key, f.apply(value)));
            out.maps.put(section, transformed);
        });
        return out;
    }

    /**
     * These scopes completed from {@code under}, go-libp2p's {@code Build} and {@code Apply}: each
     * single scope is {@code f} of this one and {@code under}'s. Each map has the keys of both; an
     * entry of this table is {@code f} of it and {@code under}'s entry for the key, else the
     * <em>completed</em> scope default; an entry only {@code under} has is kept as it is.
     *
     * @param underOrderFirst whether the map keeps {@code under}'s order with this table's new keys
     *                        after it (go-libp2p's {@code buildMapWithDefault}) rather than this
     *                        table's order with {@code under}'s extra keys after it
     *                        ({@code applyResourceLimitsMap})
     */
    <D> ScopeTable<D> resolve(ScopeTable<D> under, BiFunction<? super V, ? super D, ? extends D> f,
                              boolean underOrderFirst) {
        ScopeTable<D> out = new ScopeTable<>();
        // Section order puts each scope default before its map, so the default is complete by then.
        for (Section section : Section.ALL) {
            if (!section.isMap()) {
                out.scopes.put(section, f.apply(get(section), under.get(section)));
                continue;
            }
            Map<Object, D> theirs = under.maps.get(section);
            D missing = out.get(section.fallback);
            Map<Object, D> resolved = new LinkedHashMap<>();
            if (underOrderFirst) {
                resolved.putAll(theirs);
            }
            maps.get(section).forEach((key, value) -> resolved.put(key, f.apply(value,
                    theirs.getOrDefault(key, missing))));
            theirs.forEach(resolved::putIfAbsent);
            out.maps.put(section, resolved);
        }
        return out;
    }

    /**
     * {@code o} as a {@code T} the caller knows it to be: a {@link Section} fixes whether a slot
     * holds a value or a map and what its keys are, which the type system cannot follow through
     * one table of all sixteen.
     */
    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }
}
