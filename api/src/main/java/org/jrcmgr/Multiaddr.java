package org.jrcmgr;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.jrcmgr.PeerId.Codecs;

/**
 * A multiaddr: a self-describing, composable network address such as
 * {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}, compatible with go-multiaddr's text and binary
 * encodings for the {@linkplain Protocol protocols this port knows}.
 *
 * <p>A multiaddr is a sequence of {@linkplain Component components}, each a protocol and, for
 * most protocols, a value. Values are held in canonical form (for example IPv6 addresses are
 * compressed and {@code /ipfs} is spelled {@code /p2p}), so {@link #equals(Object)} on components
 * coincides with equality of the binary forms, and {@code parse(m.toString())} equals {@code m}.
 *
 * <p>Nothing in this class performs DNS: IP components are parsed as literals and host names
 * stay {@code /dns*} components.
 *
 * <p>Differences from go-multiaddr, all deliberate: {@code ipcidr} is limited to 0..128 (go takes
 * any byte, but no larger value is a mask of either IP version); {@code /ip4} must be a dotted
 * quad and {@code /ip6} must contain a colon (go also accepts the other family's notation);
 * {@code /p2p} values must be identity or sha2-256 multihashes, as {@link PeerId} requires, and
 * their CID form is only accepted in base32 ({@code bafz...}, not base36 {@code k...}); and
 * protocols outside {@link Protocol} (unix, onion, garlic, memory, http-path, ...) are refused.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Multiaddr {

    private final List<Component> components;
    private final byte[] bytes;
    private final String text;
    private final int hash;
    /**
     * The first /ip4 or /ip6 address, decoded once: the resource manager asks for it several times
     * on every connection it admits, and decoding means parsing the text. Null if there is none.
     */
    private final InetAddress ip;

    private Multiaddr(List<Component> components) {
        this.components = List.copyOf(components);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder();
        InetAddress first = null;
        for (Component c : this.components) {
            c.writeTo(out);
            sb.append(c);
            if (first == null && (c.protocol() == Protocol.IP4 || c.protocol() == Protocol.IP6)) {
                try {
                    first = InetAddress.getByAddress(c.valueBytes());
                } catch (UnknownHostException e) {
                    // getByAddress only fails for lengths other than 4 and 16, which values can't have.
                    throw new IllegalStateException(e);
                }
            }
        }
        this.bytes = out.toByteArray();
        this.text = sb.toString();
        this.hash = Arrays.hashCode(bytes);
        this.ip = first;
    }

    /**
     * Parses the text form, e.g. {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}.
     *
     * <p>Like go-multiaddr, trailing slashes are ignored ({@code /ip4/1.2.3.4/} is
     * {@code /ip4/1.2.3.4}) but an empty component anywhere else ({@code /ip4//tcp/1}) is an
     * error, as is the empty address {@code ""} or {@code "/"}. The legacy protocol name
     * {@code ipfs} is accepted as an alias for {@code p2p}.
     *
     * @param text the text form
     * @return the multiaddr
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if {@code text} is malformed; the message quotes the whole
     *     input and names the problem
     */
    public static Multiaddr parse(String text) {
        Objects.requireNonNull(text, "multiaddr text must not be null");
        if (text.isEmpty()) {
            throw malformed(text, "empty string", null);
        }
        if (text.charAt(0) != '/') {
            throw malformed(text, "must begin with '/'", null);
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        if (end == 0) {
            throw malformed(text, "no components", null);
        }
        String[] parts = text.substring(1, end).split("/", -1);
        List<Component> components = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            if (name.isEmpty()) {
                throw malformed(text, "empty component (\"//\")", null);
            }
            Protocol protocol = Protocol.forText(name).orElseThrow(
                    () -> malformed(text, "unknown protocol \"" + name + "\"", null));
            String value = "";
            if (protocol.valueKind() != ValueKind.NONE) {
                if (i + 1 >= parts.length) {
                    throw malformed(text, "missing value for /" + protocol.text(), null);
                }
                value = parts[++i];
            }
            try {
                components.add(new Component(protocol, value));
            } catch (IllegalArgumentException e) {
                throw malformed(text, e.getMessage(), e);
            }
        }
        return new Multiaddr(components);
    }

    /**
     * Decodes the standard binary form: for each component, the protocol code as an unsigned
     * varint, then the value: nothing, a fixed number of bytes, or a varint length followed by
     * that many bytes, depending on the protocol's {@link ValueKind}.
     *
     * @param binary the binary form; not retained
     * @return the multiaddr
     * @throws NullPointerException if {@code binary} is null
     * @throws IllegalArgumentException if the bytes are empty, truncated, use an unknown protocol
     *     code or carry an invalid value; the message shows the input in hex and the offset
     */
    public static Multiaddr fromBytes(byte[] binary) {
        Objects.requireNonNull(binary, "multiaddr bytes must not be null");
        byte[] data = binary.clone();
        if (data.length == 0) {
            throw malformedBytes(data, "empty input", null);
        }
        Codecs.Cursor in = new Codecs.Cursor(data);
        List<Component> components = new ArrayList<>();
        try {
            while (in.hasRemaining()) {
                int offset = in.position();
                int code = in.uvarint("protocol code");
                Protocol protocol = Protocol.forCode(code).orElseThrow(() -> new IllegalArgumentException(
                        "unknown protocol code " + code + " at offset " + offset));
                String what = protocol.text() + " value";
                byte[] value = switch (protocol.valueKind()) {
                    case NONE -> new byte[0];
                    case FIXED -> in.take(protocol.valueSize(), what);
                    case VARIABLE -> in.take(in.uvarint(protocol.text() + " length"), what);
                };
                try {
                    components.add(new Component(protocol, Values.decode(protocol, value)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "invalid " + what + " at offset " + offset + ": " + e.getMessage(), e);
                }
            }
        } catch (IllegalArgumentException e) {
            throw malformedBytes(data, e.getMessage(), e);
        }
        return new Multiaddr(components);
    }

    /**
     * Builds the multiaddr of a resolved socket address, e.g. {@code /ip4/127.0.0.1/tcp/80} or
     * {@code /ip6/::1/udp/4001}, the way go's {@code manet.FromNetAddr} does. A scoped IPv6
     * address (link-local with an interface) gets a leading {@code /ip6zone} component.
     *
     * @param address a resolved socket address; never looked up in DNS
     * @param transport {@link Protocol#TCP} or {@link Protocol#UDP}
     * @return the multiaddr
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is unresolved or the transport is neither
     *     TCP nor UDP
     */
    public static Multiaddr of(InetSocketAddress address, Protocol transport) {
        Objects.requireNonNull(address, "address must not be null");
        Objects.requireNonNull(transport, "transport must not be null");
        if (transport != Protocol.TCP && transport != Protocol.UDP) {
            throw new IllegalArgumentException("transport must be TCP or UDP, got " + transport);
        }
        InetAddress ip = address.getAddress();
        if (address.isUnresolved() || ip == null) {
            throw new IllegalArgumentException("unresolved socket address " + address
                    + ": Multiaddr.of never does DNS; resolve it first or build a /dns multiaddr");
        }
        List<Component> components = new ArrayList<>(3);
        if (ip instanceof Inet6Address ip6) {
            zoneOf(ip6).ifPresent(zone -> components.add(new Component(Protocol.IP6ZONE, zone)));
            components.add(new Component(Protocol.IP6, Values.formatIp6(ip6.getAddress())));
        } else {
            components.add(new Component(Protocol.IP4, Values.formatIp4(ip.getAddress())));
        }
        components.add(new Component(transport, Integer.toString(address.getPort())));
        return new Multiaddr(components);
    }

    /**
     * Builds a multiaddr from components that are already valid (their constructor checked them).
     * An empty list yields the empty multiaddr, the same value {@link #decapsulate(Protocol)}
     * returns when it removes everything.
     *
     * @param components the components, in order; copied
     * @return the multiaddr
     * @throws NullPointerException if the list or an element is null
     */
    public static Multiaddr fromComponents(List<Component> components) {
        Objects.requireNonNull(components, "components must not be null");
        return new Multiaddr(components);
    }

    /**
     * Returns the binary form.
     *
     * @return a fresh copy of the binary encoding; empty only for the empty multiaddr
     */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * Returns the components in order.
     *
     * @return an unmodifiable list
     */
    public List<Component> components() {
        return components;
    }

    /**
     * Tells whether this is the empty multiaddr, which only {@link #decapsulate} and
     * {@link #fromComponents(List)} can produce: go represents it as a nil Multiaddr, and both
     * {@link #parse(String)} and {@link #fromBytes(byte[])} refuse it, as go's constructors do.
     *
     * @return whether there are no components
     */
    public boolean isEmpty() {
        return components.isEmpty();
    }

    /**
     * Returns the value of the first component with the given protocol, like go's
     * {@code ValueForProtocol}.
     *
     * @param protocol the protocol to look for
     * @return its canonical value ({@code ""} for a value-less protocol), or empty if absent
     */
    public Optional<String> valueForProtocol(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        for (Component c : components) {
            if (c.protocol() == protocol) {
                return Optional.of(c.value());
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the address of the first {@code /ip4} or {@code /ip6} component. No DNS is done:
     * {@code /dns*} components are ignored. Java represents an IPv4-mapped IPv6 address such as
     * {@code /ip6/::ffff:1.2.3.4} as the {@link Inet4Address} {@code 1.2.3.4}. An
     * {@code /ip6zone} is not attached to the returned address.
     *
     * @return the address, or empty if there is no IP component
     */
    public Optional<InetAddress> ip() {
        return Optional.ofNullable(ip);
    }

    /**
     * Returns the peer of the <em>last</em> {@code /p2p} component. In a relayed address such as
     * {@code /ip4/.../p2p/RELAY/p2p-circuit/p2p/TARGET} the last one names the peer the address
     * reaches, which is what go's {@code peer.SplitAddr} extracts; earlier ones name relays.
     *
     * @return the peer id, or empty if there is no {@code /p2p} component
     */
    public Optional<PeerId> peerId() {
        for (int i = components.size() - 1; i >= 0; i--) {
            Component c = components.get(i);
            if (c.protocol() == Protocol.P2P) {
                return Optional.of(PeerId.fromString(c.value()));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the port of the first {@code /tcp} or {@code /udp} component.
     *
     * @return the port (0..65535), or empty if there is neither
     */
    public Optional<Integer> port() {
        for (Component c : components) {
            if (c.protocol() == Protocol.TCP || c.protocol() == Protocol.UDP) {
                return Optional.of(Integer.parseInt(c.value()));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the mask length of the first {@code /ipcidr} component, as in
     * {@code /ip4/10.0.0.0/ipcidr/8}.
     *
     * @return the mask length (0..128), or empty if absent
     */
    public OptionalInt ipcidr() {
        for (Component c : components) {
            if (c.protocol() == Protocol.IPCIDR) {
                return OptionalInt.of(Integer.parseInt(c.value()));
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Appends {@code inner} to this address, e.g. {@code /ip4/1.2.3.4} encapsulating
     * {@code /tcp/80} gives {@code /ip4/1.2.3.4/tcp/80}.
     *
     * @param inner the address to append
     * @return the combined address
     * @throws NullPointerException if {@code inner} is null
     */
    public Multiaddr encapsulate(Multiaddr inner) {
        Objects.requireNonNull(inner, "inner multiaddr must not be null");
        List<Component> all = new ArrayList<>(components.size() + inner.components.size());
        all.addAll(components);
        all.addAll(inner.components);
        return new Multiaddr(all);
    }

    /**
     * Removes the last component with the given protocol and everything after it, e.g.
     * {@code /ip4/1.2.3.4/tcp/80/ws} without {@code TCP} is {@code /ip4/1.2.3.4}.
     *
     * @param protocol the protocol to cut at
     * @return the shortened address, this address if the protocol is absent, or the
     *     {@linkplain #isEmpty() empty} multiaddr if the first component was removed
     * @throws NullPointerException if {@code protocol} is null
     */
    public Multiaddr decapsulate(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol() == protocol) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /**
     * Removes the last occurrence of {@code suffix}'s component sequence and everything after it,
     * like go's {@code Decapsulate}: {@code /ip4/1.2.3.5/udp/1234/quic-v1} without
     * {@code /udp/1234} is {@code /ip4/1.2.3.5}.
     *
     * @param suffix the component sequence to cut at
     * @return the shortened address, this address if the sequence does not occur (or is empty),
     *     or the {@linkplain #isEmpty() empty} multiaddr if it occurs at the start
     * @throws NullPointerException if {@code suffix} is null
     */
    public Multiaddr decapsulate(Multiaddr suffix) {
        Objects.requireNonNull(suffix, "suffix must not be null");
        int n = suffix.components.size();
        if (n == 0) {
            return this;
        }
        for (int i = components.size() - n; i >= 0; i--) {
            if (components.subList(i, i + n).equals(suffix.components)) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /**
     * Returns the canonical text form; {@code parse(toString())} equals this address. The empty
     * multiaddr prints as {@code ""}, which {@link #parse(String)} refuses.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return text;
    }

    /**
     * Two multiaddrs are equal when their components, equivalently their binary forms, are equal.
     *
     * @param o the object to compare with
     * @return whether {@code o} is an equal multiaddr
     */
    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof Multiaddr other && hash == other.hash && Arrays.equals(bytes, other.bytes));
    }

    /**
     * Returns a hash of the binary form, computed once at construction.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return hash;
    }

    private static Optional<String> zoneOf(Inet6Address ip6) {
        NetworkInterface nif = ip6.getScopedInterface();
        if (nif != null) {
            return Optional.of(nif.getName());
        }
        if (ip6.getScopeId() != 0) {
            return Optional.of(Integer.toString(ip6.getScopeId()));
        }
        return Optional.empty();
    }

    private static IllegalArgumentException malformed(String text, String detail, Throwable cause) {
        return new IllegalArgumentException(
                "malformed multiaddr " + Codecs.quote(text) + ": " + detail, cause);
    }

    private static IllegalArgumentException malformedBytes(byte[] data, String detail, Throwable cause) {
        return new IllegalArgumentException(
                "malformed multiaddr bytes " + Codecs.hex(data) + ": " + detail, cause);
    }

    /**
     * One protocol of a multiaddr and its value.
     *
     * <p>The constructor validates the value and stores it in canonical form, so equal components
     * have equal binary encodings: ports lose leading zeros, IPv6 addresses are compressed as go
     * prints them (IPv4-mapped ones as {@code ::ffff:1.2.3.4}), {@code /p2p} values become base58
     * even when given in CID form, and {@code /certhash} values are re-encoded as unpadded
     * base64url multibase ({@code u...}), go's canonical choice.
     *
     * @param protocol the protocol
     * @param value the value in text form; {@code ""} for protocols without a value
     */
    public record Component(Protocol protocol, String value) {

        /**
         * Validates and canonicalizes the value.
         *
         * @param protocol the protocol
         * @param value the value in text form, {@code ""} for protocols without a value
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the value is invalid for the protocol
         */
        public Component {
            Objects.requireNonNull(protocol, "protocol must not be null");
            Objects.requireNonNull(value, "value must not be null");
            value = Values.canonicalize(protocol, value);
        }

        /**
         * Creates a component of a protocol without a value, such as {@code /quic-v1}.
         *
         * @param protocol a protocol whose {@link Protocol#valueKind()} is {@link ValueKind#NONE}
         * @throws IllegalArgumentException if the protocol requires a value
         */
        public Component(Protocol protocol) {
            this(protocol, "");
        }

        /**
         * Returns the binary encoding of this component alone.
         *
         * @return the protocol code varint followed by the (length-prefixed, if variable) value
         */
        public byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeTo(out);
            return out.toByteArray();
        }

        /**
         * Returns the component's text form, e.g. {@code /tcp/80} or {@code /quic-v1}.
         *
         * @return the text form
         */
        @Override
        public String toString() {
            return value.isEmpty() ? "/" + protocol.text() : "/" + protocol.text() + "/" + value;
        }

        byte[] valueBytes() {
            return Values.encode(protocol, value);
        }

        void writeTo(ByteArrayOutputStream out) {
            Codecs.writeUvarint(out, protocol.code());
            byte[] v = valueBytes();
            if (protocol.valueKind() == ValueKind.VARIABLE) {
                Codecs.writeUvarint(out, v.length);
            }
            out.writeBytes(v);
        }
    }

    /** How a protocol's value is laid out in the binary form. */
    public enum ValueKind {
        /** The protocol has no value, e.g. {@code /quic-v1}. */
        NONE,
        /** The value has a fixed number of bytes, e.g. 4 for {@code /ip4}. */
        FIXED,
        /** The value is preceded by its length as a varint, e.g. {@code /dns}. */
        VARIABLE
    }

    /**
     * The multiaddr protocols this port understands, with their multicodec codes and names from
     * the multiformats protocol table.
     */
    public enum Protocol {
        /** IPv4 address, 4 bytes. */
        IP4(4, "ip4", ValueKind.FIXED, 4),
        /** TCP port, 2 bytes big-endian. */
        TCP(6, "tcp", ValueKind.FIXED, 2),
        /** UDP port, 2 bytes big-endian. */
        UDP(273, "udp", ValueKind.FIXED, 2),
        /** IPv6 address, 16 bytes. */
        IP6(41, "ip6", ValueKind.FIXED, 16),
        /** Host name resolved to IPv4 or IPv6 addresses, UTF-8. */
        DNS(53, "dns", ValueKind.VARIABLE, -1),
        /** Host name resolved to IPv4 addresses only, UTF-8. */
        DNS4(54, "dns4", ValueKind.VARIABLE, -1),
        /** Host name resolved to IPv6 addresses only, UTF-8. */
        DNS6(55, "dns6", ValueKind.VARIABLE, -1),
        /** Domain whose {@code _dnsaddr} TXT records hold multiaddrs, UTF-8. */
        DNSADDR(56, "dnsaddr", ValueKind.VARIABLE, -1),
        /** Network mask length following an IP address, 1 byte, 0..128 here. */
        IPCIDR(43, "ipcidr", ValueKind.FIXED, 1),
        /** Peer id; text form base58 (or CID), binary form the multihash. Text alias {@code ipfs}. */
        P2P(421, "p2p", ValueKind.VARIABLE, -1),
        /** QUIC draft-29, no value. */
        QUIC(460, "quic", ValueKind.NONE, 0),
        /** QUIC version 1 (RFC 9000), no value. */
        QUIC_V1(461, "quic-v1", ValueKind.NONE, 0),
        /** WebSocket, no value. */
        WS(477, "ws", ValueKind.NONE, 0),
        /** Secure WebSocket, no value. */
        WSS(478, "wss", ValueKind.NONE, 0),
        /** TLS, no value. */
        TLS(448, "tls", ValueKind.NONE, 0),
        /** Noise security handshake, no value. */
        NOISE(454, "noise", ValueKind.NONE, 0),
        /** WebTransport, no value. */
        WEBTRANSPORT(465, "webtransport", ValueKind.NONE, 0),
        /** Browser-to-server WebRTC, no value. */
        WEBRTC_DIRECT(280, "webrtc-direct", ValueKind.NONE, 0),
        /** Certificate hash; text form a multibase string, binary form the multihash. */
        CERTHASH(466, "certhash", ValueKind.VARIABLE, -1),
        /** Circuit relay hop, no value. */
        P2P_CIRCUIT(290, "p2p-circuit", ValueKind.NONE, 0),
        /** IPv6 zone (interface) of the following {@code /ip6}, UTF-8. */
        IP6ZONE(42, "ip6zone", ValueKind.VARIABLE, -1),
        /** DCCP port, 2 bytes big-endian. */
        DCCP(33, "dccp", ValueKind.FIXED, 2),
        /** SCTP port, 2 bytes big-endian. */
        SCTP(132, "sctp", ValueKind.FIXED, 2),
        /** UDT, no value. */
        UDT(301, "udt", ValueKind.NONE, 0),
        /** uTP, no value. */
        UTP(302, "utp", ValueKind.NONE, 0),
        /** HTTP, no value. */
        HTTP(480, "http", ValueKind.NONE, 0),
        /** HTTPS (deprecated in favour of {@code /tls/http}), no value. */
        HTTPS(443, "https", ValueKind.NONE, 0),
        /** TLS server name indication, UTF-8 host name. */
        SNI(449, "sni", ValueKind.VARIABLE, -1),
        /** Browser-to-browser WebRTC, no value. */
        WEBRTC(281, "webrtc", ValueKind.NONE, 0);

        private static final Map<String, Protocol> BY_TEXT = new HashMap<>();
        private static final Map<Integer, Protocol> BY_CODE = new HashMap<>();

        static {
            for (Protocol p : values()) {
                BY_TEXT.put(p.text, p);
                BY_CODE.put(p.code, p);
            }
            // go-multiaddr still parses the pre-2019 name of p2p; it prints as /p2p.
            BY_TEXT.put("ipfs", P2P);
        }

        private final int code;
        private final String text;
        private final ValueKind valueKind;
        private final int valueSize;

        Protocol(int code, String text, ValueKind valueKind, int valueSize) {
            this.code = code;
            this.text = text;
            this.valueKind = valueKind;
            this.valueSize = valueSize;
        }

        /**
         * Returns the multicodec code, written as a varint in the binary form.
         *
         * @return the code, e.g. 4 for {@code ip4}
         */
        public int code() {
            return code;
        }

        /**
         * Returns the name used in the text form.
         *
         * @return the name, e.g. {@code quic-v1}
         */
        public String text() {
            return text;
        }

        /**
         * Returns how the value is laid out in the binary form.
         *
         * @return the value kind
         */
        public ValueKind valueKind() {
            return valueKind;
        }

        /**
         * Returns the size of the binary value.
         *
         * @return the byte count for {@link ValueKind#FIXED}, 0 for {@link ValueKind#NONE} and -1
         *     for {@link ValueKind#VARIABLE}
         */
        public int valueSize() {
            return valueSize;
        }

        /**
         * Looks a protocol up by its text name; {@code "ipfs"} finds {@link #P2P}.
         *
         * @param text the name, case-sensitive as in go
         * @return the protocol, or empty if unknown (or {@code text} is null)
         */
        public static Optional<Protocol> forText(String text) {
            return Optional.ofNullable(text == null ? null : BY_TEXT.get(text));
        }

        /**
         * Looks a protocol up by its multicodec code.
         *
         * @param code the code
         * @return the protocol, or empty if unknown
         */
        public static Optional<Protocol> forCode(int code) {
            return Optional.ofNullable(BY_CODE.get(code));
        }
    }

    /** Per-protocol conversions between text values, canonical text values and binary values. */
    private static final class Values {

        /** Bounds base58 work on hostile input; real certhashes are well under 100 characters. */
        private static final int MAX_CERTHASH_TEXT = 512;

        private Values() {
        }

        static String canonicalize(Protocol protocol, String value) {
            return switch (protocol) {
                case IP4 -> formatIp4(parseIp4(value));
                case IP6 -> formatIp6(parseIp6(value));
                case TCP, UDP, DCCP, SCTP -> Integer.toString(parseNumber(protocol, value, "port", 65535));
                case IPCIDR -> Integer.toString(parseNumber(protocol, value, "mask length", 128));
                case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> checkName(protocol, value);
                case P2P -> PeerId.fromString(value).toBase58();
                case CERTHASH -> "u" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(decodeCerthash(value));
                default -> {
                    if (!value.isEmpty()) {
                        throw new IllegalArgumentException(
                                "/" + protocol.text() + " takes no value, got \"" + value + "\"");
                    }
                    yield value;
                }
            };
        }

        /** Encodes a value that {@link #canonicalize} has already accepted. */
        static byte[] encode(Protocol protocol, String value) {
            return switch (protocol) {
                case IP4 -> parseIp4(value);
                case IP6 -> parseIp6(value);
                case TCP, UDP, DCCP, SCTP -> {
                    int port = Integer.parseInt(value);
                    yield new byte[] {(byte) (port >>> 8), (byte) port};
                }
                case IPCIDR -> new byte[] {(byte) Integer.parseInt(value)};
                case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> value.getBytes(StandardCharsets.UTF_8);
                case P2P -> PeerId.fromString(value).toBytes();
                case CERTHASH -> Base64.getUrlDecoder().decode(value.substring(1));
                default -> new byte[0];
            };
        }

        /** Turns binary value bytes into a text value; the Component constructor then validates it. */
        static String decode(Protocol protocol, byte[] value) {
            return switch (protocol) {
                case IP4 -> formatIp4(value);
                case IP6 -> formatIp6(value);
                case TCP, UDP, DCCP, SCTP -> Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff));
                case IPCIDR -> {
                    int mask = value[0] & 0xff;
                    if (mask > 128) {
                        throw new IllegalArgumentException("mask length " + mask + " is out of range 0..128");
                    }
                    yield Integer.toString(mask);
                }
                case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> strictUtf8(value);
                case P2P -> PeerId.fromBytes(value).toBase58();
                case CERTHASH -> {
                    Codecs.checkMultihashFraming(value);
                    yield "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(value);
                }
                default -> "";
            };
        }

        static byte[] parseIp4(String s) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                throw notIp4(s, "expected four dot-separated decimal octets");
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                String o = octets[i];
                if (o.isEmpty() || o.length() > 3 || !isDecimal(o)) {
                    throw notIp4(s, "octet \"" + o + "\" is not 1 to 3 decimal digits");
                }
                if (o.length() > 1 && o.charAt(0) == '0') {
                    // Leading zeros read as octal in some parsers; Go and Java both refuse them.
                    throw notIp4(s, "octet \"" + o + "\" has a leading zero");
                }
                int v = Integer.parseInt(o);
                if (v > 255) {
                    throw notIp4(s, "octet \"" + o + "\" is greater than 255");
                }
                out[i] = (byte) v;
            }
            return out;
        }

        static String formatIp4(byte[] b) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }

        /**
         * Parses an IPv6 literal by hand: InetAddress.getByName would fall back to DNS for
         * anything that is not a literal, and would accept zones and brackets that have no
         * place in an {@code /ip6} value.
         */
        static byte[] parseIp6(String s) {
            if (s.indexOf(':') < 0) {
                throw notIp6(s, "no ':'");
            }
            int ellipsis = s.indexOf("::");
            if (ellipsis >= 0 && s.indexOf("::", ellipsis + 1) >= 0) {
                throw notIp6(s, "more than one \"::\"");
            }
            List<Integer> head = new ArrayList<>(8);
            List<Integer> tail = new ArrayList<>(8);
            if (ellipsis < 0) {
                parseGroups(s, s, head, true);
                if (head.size() != 8) {
                    throw notIp6(s, "expected 8 groups of 16 bits, found " + head.size());
                }
            } else {
                String left = s.substring(0, ellipsis);
                String right = s.substring(ellipsis + 2);
                if (!left.isEmpty()) {
                    // An embedded IPv4 part may only end the whole literal, never precede "::".
                    parseGroups(s, left, head, false);
                }
                if (!right.isEmpty()) {
                    parseGroups(s, right, tail, true);
                }
                if (head.size() + tail.size() > 7) {
                    throw notIp6(s, "\"::\" must stand for at least one zero group");
                }
            }
            byte[] out = new byte[16];
            for (int i = 0; i < head.size(); i++) {
                out[2 * i] = (byte) (head.get(i) >>> 8);
                out[2 * i + 1] = (byte) (int) head.get(i);
            }
            int offset = 8 - tail.size();
            for (int i = 0; i < tail.size(); i++) {
                out[2 * (offset + i)] = (byte) (tail.get(i) >>> 8);
                out[2 * (offset + i) + 1] = (byte) (int) tail.get(i);
            }
            return out;
        }

        private static void parseGroups(String whole, String part, List<Integer> groups, boolean last) {
            String[] pieces = part.split(":", -1);
            for (int i = 0; i < pieces.length; i++) {
                String g = pieces[i];
                if (last && i == pieces.length - 1 && g.indexOf('.') >= 0) {
                    byte[] v4;
                    try {
                        v4 = parseIp4(g);
                    } catch (IllegalArgumentException e) {
                        throw notIp6(whole, "embedded IPv4 part \"" + g + "\" is invalid");
                    }
                    groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                    groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                } else {
                    if (g.isEmpty() || g.length() > 4 || !isHex(g)) {
                        throw notIp6(whole, "group \"" + g + "\" is not 1 to 4 hex digits");
                    }
                    groups.add(Integer.parseInt(g, 16));
                }
                if (groups.size() > 8) {
                    throw notIp6(whole, "more than 8 groups");
                }
            }
        }

        /** Formats as Go's net.IP.String (RFC 5952), with go-multiaddr's "::ffff:" for mapped IPv4. */
        static String formatIp6(byte[] b) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                return "::ffff:" + formatIp4(Arrays.copyOfRange(b, 12, 16));
            }
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            // RFC 5952: compress the longest run of two or more zero groups, the first on a tie.
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            StringBuilder sb = new StringBuilder(39);
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(groups[i]));
            }
            return sb.toString();
        }

        /** Decimal digits only (no sign, unlike Go's Atoi); leading zeros are tolerated as in Go. */
        private static int parseNumber(Protocol protocol, String s, String what, int max) {
            if (s.isEmpty() || !isDecimal(s)) {
                throw new IllegalArgumentException(
                        "/" + protocol.text() + " " + what + " \"" + s + "\" is not a decimal number");
            }
            String digits = s.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 6 || Integer.parseInt(digits) > max) {
                throw new IllegalArgumentException("/" + protocol.text() + " " + what + " \"" + s
                        + "\" is out of range 0.." + max);
            }
            return Integer.parseInt(digits);
        }

        private static String checkName(Protocol protocol, String s) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("/" + protocol.text() + " value must not be empty");
            }
            if (s.indexOf('/') >= 0) {
                throw new IllegalArgumentException(
                        "/" + protocol.text() + " value \"" + s + "\" must not contain '/'");
            }
            if (!Codecs.isUtf8Encodable(s)) {
                throw new IllegalArgumentException(
                        "/" + protocol.text() + " value \"" + s + "\" contains an unpaired surrogate");
            }
            return s;
        }

        private static String strictUtf8(byte[] value) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not valid UTF-8", e);
            }
        }

        /**
         * Decodes a multibase string to multihash bytes. Supported prefixes: {@code u}/{@code U}
         * base64url, {@code m}/{@code M} base64, {@code b} base32, {@code B} upper-case base32,
         * {@code f}/{@code F} base16 and {@code z} base58btc: those that go-multibase implements
         * and certhashes are seen in.
         */
        private static byte[] decodeCerthash(String s) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("/certhash value must not be empty");
            }
            if (s.length() > MAX_CERTHASH_TEXT) {
                throw new IllegalArgumentException("/certhash value is too long (" + s.length()
                        + " characters, at most " + MAX_CERTHASH_TEXT + ")");
            }
            byte[] data;
            try {
                String body = s.substring(1);
                data = switch (s.charAt(0)) {
                    case 'u', 'U' -> decodeBase64(Base64.getUrlDecoder(), body, s.charAt(0) == 'u');
                    case 'm', 'M' -> decodeBase64(Base64.getDecoder(), body, s.charAt(0) == 'm');
                    case 'b' -> Codecs.base32Decode(s, 1);
                    case 'B' -> Codecs.base32Decode(s.toLowerCase(java.util.Locale.ROOT), 1);
                    case 'f', 'F' -> {
                        if (body.length() % 2 != 0 || !isHex(body)) {
                            throw new IllegalArgumentException("invalid base16 data");
                        }
                        yield HexFormat.of().parseHex(body);
                    }
                    case 'z' -> Codecs.base58Decode(s, 1);
                    default -> throw new IllegalArgumentException(
                            "unsupported multibase prefix " + Codecs.describe(s.charAt(0)));
                };
                Codecs.checkMultihashFraming(data);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "/certhash value \"" + s + "\" is not a multibase multihash: " + e.getMessage(), e);
            }
            return data;
        }

        private static byte[] decodeBase64(Base64.Decoder decoder, String body, boolean unpadded) {
            if (unpadded && body.indexOf('=') >= 0) {
                throw new IllegalArgumentException("padding in an unpadded base64 encoding");
            }
            try {
                return decoder.decode(body);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid base64 data (" + e.getMessage() + ")", e);
            }
        }

        private static boolean isDecimal(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        private static boolean isHex(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
                    return false;
                }
            }
            return true;
        }

        private static IllegalArgumentException notIp4(String s, String why) {
            return new IllegalArgumentException("\"" + s + "\" is not an IPv4 address: " + why);
        }

        private static IllegalArgumentException notIp6(String s, String why) {
            return new IllegalArgumentException("\"" + s + "\" is not an IPv6 address: " + why);
        }
    }
}
