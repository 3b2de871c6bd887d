package org.jrcmgr.impl.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.ScopeTable.Components;

/**
 * The names go-libp2p's JSON uses, in go's struct order (which is the order {@code encoding/json}
 * writes them in), and go's rule for matching them.
 */
final class LimitJsonSchema {

    private LimitJsonSchema() {
    }

    /** The fields of go's {@code ResourceLimits} and {@code BaseLimit}, in declaration order. */
    enum Field {
        STREAMS("Streams"),
        STREAMS_INBOUND("StreamsInbound"),
        STREAMS_OUTBOUND("StreamsOutbound"),
        CONNS("Conns"),
        CONNS_INBOUND("ConnsInbound"),
        CONNS_OUTBOUND("ConnsOutbound"),
        FD("FD"),
        MEMORY("Memory");

        static final List<Field> ALL = List.of(values());

        final String jsonName;

        Field(String jsonName) {
            this.jsonName = jsonName;
        }

        LimitSetting of(ResourceLimits limits) {
            return switch (this) {
                case STREAMS -> limits.streams();
                case STREAMS_INBOUND -> limits.streamsInbound();
                case STREAMS_OUTBOUND -> limits.streamsOutbound();
                case CONNS -> limits.conns();
                case CONNS_INBOUND -> limits.connsInbound();
                case CONNS_OUTBOUND -> limits.connsOutbound();
                case FD -> limits.fd();
                case MEMORY -> limits.memory();
            };
        }

        LimitValue of(BaseLimit limit) {
            return switch (this) {
                case STREAMS -> limit.streams();
                case STREAMS_INBOUND -> limit.streamsInbound();
                case STREAMS_OUTBOUND -> limit.streamsOutbound();
                case CONNS -> limit.conns();
                case CONNS_INBOUND -> limit.connsInbound();
                case CONNS_OUTBOUND -> limit.connsOutbound();
                case FD -> limit.fd();
                case MEMORY -> limit.memory();
            };
        }

        /** Settings indexed by ordinal. */
        static ResourceLimits resourceLimits(LimitSetting[] s) {
            return new ResourceLimits(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
        }

        /** Values indexed by ordinal. */
        static BaseLimit baseLimit(LimitValue[] v) {
            return new BaseLimit(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
    }

    /** The fields of go's {@code BaseLimitIncrease}, in declaration order. */
    enum IncreaseField {
        STREAMS("Streams"),
        STREAMS_INBOUND("StreamsInbound"),
        STREAMS_OUTBOUND("StreamsOutbound"),
        CONNS("Conns"),
        CONNS_INBOUND("ConnsInbound"),
        CONNS_OUTBOUND("ConnsOutbound"),
        MEMORY("Memory"),
        FD_FRACTION("FDFraction");

        static final List<IncreaseField> ALL = List.of(values());

        final String jsonName;

        IncreaseField(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The count fields; {@link #FD_FRACTION} is a fraction. */
        long count(BaseLimitIncrease increase) {
            return switch (this) {
                case STREAMS -> increase.streams();
                case STREAMS_INBOUND -> increase.streamsInbound();
                case STREAMS_OUTBOUND -> increase.streamsOutbound();
                case CONNS -> increase.conns();
                case CONNS_INBOUND -> increase.connsInbound();
                case CONNS_OUTBOUND -> increase.connsOutbound();
                case MEMORY -> increase.memory();
                case FD_FRACTION -> throw new IllegalStateException("FDFraction is not a count");
            };
        }
    }

    /** What the keys of a per-key map are, and how they are written. */
    enum KeyKind {
        SERVICE("service name"), PROTOCOL("protocol id"), PEER("peer id");

        /** What a key is called in messages. */
        final String noun;

        KeyKind(String noun) {
            this.noun = noun;
        }

        String text(Object key) {
            return switch (this) {
                case SERVICE -> (String) key;
                case PROTOCOL -> ((ProtocolId) key).value();
                // go-libp2p's MarshalJSON writes peer.ID.String(), the base58 form.
                case PEER -> ((PeerId) key).toBase58();
            };
        }
    }

    /**
     * The fields of go's {@code PartialLimitConfig}, in declaration order: the scopes that
     * {@link ConcreteLimitConfig}, {@link PartialLimitConfig} and {@link ScalingLimitConfig} have
     * as components, in the same order, and that {@link ScopeTable} keeps for them. A section is
     * either a single scope or a per-key map; a map's keys fall back to the scope default just
     * before it.
     */
    enum Section {
        SYSTEM("System", "system", Components::system),
        TRANSIENT("Transient", "transientLimit", Components::transientLimit),
        ALLOWLISTED_SYSTEM("AllowlistedSystem", "allowlistedSystem", Components::allowlistedSystem),
        ALLOWLISTED_TRANSIENT("AllowlistedTransient", "allowlistedTransient", Components::allowlistedTransient),
        SERVICE_DEFAULT("ServiceDefault", "serviceDefault", Components::serviceDefault),
        SERVICE("Service", "service", Components::service, KeyKind.SERVICE, SERVICE_DEFAULT),
        SERVICE_PEER_DEFAULT("ServicePeerDefault", "servicePeerDefault", Components::servicePeerDefault),
        SERVICE_PEER("ServicePeer", "servicePeer", Components::servicePeer, KeyKind.SERVICE, SERVICE_PEER_DEFAULT),
        PROTOCOL_DEFAULT("ProtocolDefault", "protocolDefault", Components::protocolDefault),
        PROTOCOL("Protocol", "protocol", Components::protocol, KeyKind.PROTOCOL, PROTOCOL_DEFAULT),
        PROTOCOL_PEER_DEFAULT("ProtocolPeerDefault", "protocolPeerDefault", Components::protocolPeerDefault),
        PROTOCOL_PEER("ProtocolPeer", "protocolPeer", Components::protocolPeer, KeyKind.PROTOCOL,
                PROTOCOL_PEER_DEFAULT),
        PEER_DEFAULT("PeerDefault", "peerDefault", Components::peerDefault),
        PEER("Peer", "peer", Components::peer, KeyKind.PEER, PEER_DEFAULT),
        CONN("Conn", "conn", Components::conn),
        STREAM("Stream", "stream", Components::stream);

        static final List<Section> ALL = List.of(values());

        /**
         * The order of go-libp2p's {@code (*PartialLimitConfig).MarshalJSON}: it embeds the
         * config as an alias and shadows the peer map and every single scope with fields of its
         * own, and {@code encoding/json} writes the alias's remaining fields (the other four maps)
         * first, then the shadowing fields in their order.
         */
        static final List<Section> MARSHAL_ORDER = List.of(SERVICE, SERVICE_PEER, PROTOCOL, PROTOCOL_PEER, PEER,
                SYSTEM, TRANSIENT, ALLOWLISTED_SYSTEM, ALLOWLISTED_TRANSIENT, SERVICE_DEFAULT, SERVICE_PEER_DEFAULT,
                PROTOCOL_DEFAULT, PROTOCOL_PEER_DEFAULT, PEER_DEFAULT, CONN, STREAM);

        final String jsonName;
        /** The record component's name, which is also what a null there is reported as. */
        final String componentName;
        private final Function<Components<?>, ?> component;
        /** What the keys are; null for a single scope. */
        final KeyKind keyKind;
        /** The single scope a key without an entry of its own gets; null for a single scope. */
        final Section fallback;

        Section(String jsonName, String componentName, Function<Components<?>, ?> component) {
            this(jsonName, componentName, component, null, null);
        }

        Section(String jsonName, String componentName, Function<Components<?>, ?> component, KeyKind keyKind,
                Section fallback) {
            this.jsonName = jsonName;
            this.componentName = componentName;
            this.component = component;
            this.keyKind = keyKind;
            this.fallback = fallback;
        }

        boolean isMap() {
            return keyKind != null;
        }

        /** This single scope of {@code config}. */
        <V> V scope(Components<V> config) {
            if (isMap()) {
                throw new IllegalStateException(this + " is a map");
            }
            return ScopeTable.cast(component.apply(config));
        }

        /** This per-key map of {@code config}; {@code K} is the key type {@link #keyKind} stands for. */
        <K, V> Map<K, V> map(Components<V> config) {
            if (!isMap()) {
                throw new IllegalStateException(this + " is not a map");
            }
            return ScopeTable.cast(component.apply(config));
        }

        /** The entry of this map for {@code key}, else the scope default; {@code parameter} names a null key. */
        <V> V lookup(Components<V> config, Object key, String parameter) {
            return map(config).getOrDefault(Objects.requireNonNull(key, parameter), fallback.scope(config));
        }

        /** {@code key}, checked as a builder checks it. */
        Object requireKey(Object key) {
            return Objects.requireNonNull(key, keyKind.noun);
        }
    }

    /**
     * The one of {@code candidates} that {@code name} denotes, by {@code encoding/json}'s rule:
     * an exact match, else a case-insensitive one (go's decoder accepts {@code "system"} for
     * {@code System}, so a limit file written that way must keep working); null if none.
     */
    static <T> T match(String name, List<T> candidates, Function<T, String> jsonName) {
        for (T candidate : candidates) {
            if (jsonName.apply(candidate).equals(name)) {
                return candidate;
            }
        }
        for (T candidate : candidates) {
            if (jsonName.apply(candidate).equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Why {@code name} is not a field here: a likely typo is named, else every valid name listed.
     */
    static <T> String unknownField(String name, List<T> candidates, Function<T, String> jsonName) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> names = new ArrayList<>();
        for (T candidate : candidates) {
            String n = jsonName.apply(candidate);
            names.add(n);
            int d = editDistance(lower, n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        StringBuilder sb = new StringBuilder("unknown field ").append(quote(name));
        // Two edits catch the usual slips (a dropped or doubled letter, a swap) without
        // suggesting "Conn" for "Peer".
        if (best != null && bestDistance <= 2) {
            sb.append("; did you mean ").append(quote(best)).append('?');
        } else {
            sb.append("; expected one of ").append(String.join(", ", names));
        }
        return sb.toString();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code s} in double quotes, with quotes, backslashes and control characters escaped, for messages and paths. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD, as go's decoder does with
     * an escaped lone surrogate: a Java string can hold one, a go string cannot, and neither can UTF-8.
     */
    static String withoutLoneSurrogates(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!lone) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Compares as go's {@code encoding/json} sorts map keys: by their UTF-8 bytes, which is code
     * point order. {@link String#compareTo} compares UTF-16 units and puts U+E000..U+FFFF after
     * the supplementary planes.
     */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
