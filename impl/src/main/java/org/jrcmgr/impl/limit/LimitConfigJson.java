package org.jrcmgr.impl.limit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jrcmgr.BaseLimit;

/**
 * go-libp2p's limit files, read and written as go-libp2p reads and writes them, so that the limit
 * file of a go-libp2p node works here unchanged and a file written here works there.
 *
 * <pre>{@code
 * // go: rcmgr.NewLimiterFromJSON(file, rcmgr.DefaultLimits.AutoScale())
 * ConcreteLimitConfig limits = LimitConfigJson.load(Path.of("limits.json"), DefaultLimits.defaults().autoScale());
 * }</pre>
 *
 * <h2>The format</h2>
 * A limit file is a JSON object with any of the scopes {@code System}, {@code Transient},
 * {@code AllowlistedSystem}, {@code AllowlistedTransient}, {@code ServiceDefault},
 * {@code ServicePeerDefault}, {@code ProtocolDefault}, {@code ProtocolPeerDefault},
 * {@code PeerDefault}, {@code Conn}, {@code Stream}, and the per-key maps {@code Service} and
 * {@code ServicePeer} (by service name), {@code Protocol} and {@code ProtocolPeer} (by protocol id)
 * and {@code Peer} (by peer id, in its text form: base58 {@code 12D3KooW...}/{@code Qm...}, or the
 * CID form on input). Each scope is an object with any of {@code Streams}, {@code StreamsInbound},
 * {@code StreamsOutbound}, {@code Conns}, {@code ConnsInbound}, {@code ConnsOutbound}, {@code FD},
 * {@code Memory}. A limit is
 * <ul>
 *   <li>{@code "default"} or absent: taken from the defaults (see {@link PartialLimitConfig#build});</li>
 *   <li>{@code "unlimited"}; {@code "blockAll"}; or a whole number, where an explicit {@code 0}
 *       means block-all, not default (go-libp2p's rule);</li>
 *   <li>{@code Memory} is written as a decimal string ({@code "1073741824"}) so that JSON readers
 *       with 53-bit numbers keep it exact, and read from a string or a bare integer;</li>
 *   <li>the literal numbers {@code -1} and {@code -2} are read as unlimited and block-all, as go-libp2p
 *       reads them (they are its constants' values; old files contain them).</li>
 * </ul>
 * Field names are matched as go's {@code encoding/json} matches them: exactly, else ignoring case
 * ({@code "system"} is {@code System}).
 *
 * <h2>Output</h2>
 * {@link #write(PartialLimitConfig)} gives the bytes (as UTF-8) of go-libp2p's
 * {@code json.Marshal(&config)}: go's field order (the maps {@code Service}, {@code ServicePeer},
 * {@code Protocol}, {@code ProtocolPeer}, {@code Peer} first, then the scopes, as go's
 * {@code MarshalJSON} happens to order them), default fields left out, all-default scopes and
 * empty maps left out, map keys sorted by their UTF-8 bytes, go's string escaping.
 * {@link #writeIndented} is {@code json.MarshalIndent(&config, "", "  ")}, and
 * {@link #writeConcrete} the form of go-libp2p's snapshot of its defaults.
 *
 * <h2>Stricter than go-libp2p, on purpose</h2>
 * go's decoder accepts some input that silently loses or mangles a limit; this reader refuses it
 * with a {@link LimitConfigException} naming the JSON path, the reason, and the line and column:
 * <ul>
 *   <li>unknown fields (go ignores them, so a typo such as {@code "Memroy"} silently leaves the
 *       default in place; the error suggests the likely field);</li>
 *   <li>the same field or key twice (go keeps the last or merges);</li>
 *   <li>negative numbers other than -1 and -2 (go keeps them as limits that block everything);</li>
 *   <li>{@code null} as a limit (go reads it as block-all for counts and fails for Memory); a
 *       {@code null} scope, map or document still means "nothing configured", as in go;</li>
 *   <li>anything after the JSON value (go stops reading after it);</li>
 *   <li>protocol ids that {@link org.jrcmgr.ProtocolId} refuses (empty, or with whitespace).</li>
 * </ul>
 * Everything else go refuses is refused too: bad JSON, unknown keywords, strings for limits other
 * than Memory, fractions, numbers beyond 64 bits, values of the wrong type, bad peer ids.
 *
 * <p>The class is stateless and thread-safe.
 */
public final class LimitConfigJson {

    /** Closing is left to whoever opened the input. */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private LimitConfigJson() {
    }

    /**
     * Reads a limit file, go-libp2p's {@code PartialLimitConfig}.
     *
     * @throws LimitConfigException if {@code json} is not a valid limit configuration
     * @throws NullPointerException if {@code json} is null
     */
    public static PartialLimitConfig read(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return LimitJsonReader.readConfig(parser, null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string cannot fail", e);
        }
    }

    /**
     * Reads a limit file from {@code in}, up to the end of the JSON value and what follows it;
     * {@code in} is left open.
     *
     * @throws LimitConfigException if the input is not a valid limit configuration
     * @throws IOException          if {@code in} cannot be read
     */
    public static PartialLimitConfig read(Reader in) throws IOException {
        Objects.requireNonNull(in, "in");
        try (JsonParser parser = FACTORY.createParser(in)) {
            return LimitJsonReader.readConfig(parser, null);
        }
    }

    /**
     * Reads a limit file from {@code in} (UTF-8, as go-libp2p writes it; UTF-16 and UTF-32 with a
     * byte-order mark are recognised too); {@code in} is left open.
     *
     * @throws LimitConfigException if the input is not a valid limit configuration
     * @throws IOException          if {@code in} cannot be read
     */
    public static PartialLimitConfig read(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        try (JsonParser parser = FACTORY.createParser(in)) {
            return LimitJsonReader.readConfig(parser, null);
        }
    }

    /**
     * Reads the limit file {@code file} and builds it against {@code defaults}, go-libp2p's
     * {@code NewLimiterFromJSON}. Errors name the file.
     *
     * @param defaults usually {@code DefaultLimits.defaults().autoScale()}, which is what
     *                 go-libp2p's {@code NewDefaultLimiterFromJSON} uses
     * @throws LimitConfigException if the file is not a valid limit configuration
     * @throws IOException          if the file cannot be read
     */
    public static ConcreteLimitConfig load(Path file, ConcreteLimitConfig defaults) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(defaults, "defaults");
        try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(in)) {
            return LimitJsonReader.readConfig(parser, file.toString()).build(defaults);
        }
    }

    /**
     * {@code config} as go-libp2p's {@code json.Marshal(&config)} writes it, compact. go-libp2p
     * (and {@link #read}) reads it back to an equal configuration.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static String write(PartialLimitConfig config) {
        return LimitJsonWriter.config(Objects.requireNonNull(config, "config"), false);
    }

    /**
     * {@code config} as go-libp2p's {@code json.MarshalIndent(&config, "", "  ")} writes it: two
     * spaces a level, no final newline.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static String writeIndented(PartialLimitConfig config) {
        return LimitJsonWriter.config(Objects.requireNonNull(config, "config"), true);
    }

    /**
     * Every limit of {@code config}, explicitly, as go-libp2p writes its snapshot of the default
     * limits ({@code limit_config_test_default.json}: {@code json.MarshalIndent} of
     * {@code ToPartialLimitConfig()} by value): every scope, in go's declaration order
     * ({@code System} first), indented by two spaces, no final newline. A file to keep, read or
     * edit: {@link #read} and go-libp2p read it back to the same limits whatever the defaults.
     *
     * <p>Where go would write peer keys as raw bytes (marshalling by value skips the method that
     * encodes them), they are written in base58 here.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static String writeConcrete(ConcreteLimitConfig config) {
        return LimitJsonWriter.concrete(Objects.requireNonNull(config, "config"));
    }

    /**
     * Reads one scope's limits, go's {@code ResourceLimits}, such as
     * {@code {"ConnsInbound":"blockAll","Memory":"1048576"}}.
     *
     * @throws LimitConfigException if {@code json} is not valid limits
     * @throws NullPointerException if {@code json} is null
     */
    public static ResourceLimits readResourceLimits(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return LimitJsonReader.readResourceLimits(parser, null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string cannot fail", e);
        }
    }

    /**
     * One scope's limits as go's {@code json.Marshal} writes a {@code ResourceLimits}.
     *
     * @throws NullPointerException if {@code limits} is null
     */
    public static String write(ResourceLimits limits) {
        return LimitJsonWriter.resourceLimits(Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Reads go's plain {@code BaseLimit} JSON, as embedded in go programs' own configuration:
     * integers only ({@code Memory} too), a missing field or 0 is block-all (go's zero value),
     * {@code 9223372036854775807} is unlimited.
     *
     * @throws LimitConfigException if {@code json} is not a valid base limit (negative numbers
     *                              included: in a {@code BaseLimit} they were never keywords)
     * @throws NullPointerException if {@code json} is null
     */
    public static BaseLimit readBaseLimit(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return LimitJsonReader.readBaseLimit(parser, null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string cannot fail", e);
        }
    }

    /**
     * {@code limit} as go's {@code json.Marshal} writes a {@code BaseLimit}: integers, block-all
     * fields (go's 0) left out, unlimited as {@code 9223372036854775807} (go's {@code MaxInt}).
     *
     * @throws NullPointerException if {@code limit} is null
     */
    public static String write(BaseLimit limit) {
        return LimitJsonWriter.baseLimit(Objects.requireNonNull(limit, "limit"));
    }

    /**
     * Reads go's {@code BaseLimitIncrease} JSON: integer counts and {@code Memory}, a number
     * {@code FDFraction} within [0, 1]; missing fields are 0.
     *
     * @throws LimitConfigException if {@code json} is not a valid increase
     * @throws NullPointerException if {@code json} is null
     */
    public static BaseLimitIncrease readBaseLimitIncrease(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return LimitJsonReader.readBaseLimitIncrease(parser, null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string cannot fail", e);
        }
    }

    /**
     * {@code increase} as go's {@code json.Marshal} writes a {@code BaseLimitIncrease}: zero
     * fields left out, {@code FDFraction} in go's float format ({@code 0.015625}, {@code 1e-7}).
     *
     * @throws NullPointerException if {@code increase} is null
     */
    public static String write(BaseLimitIncrease increase) {
        return LimitJsonWriter.increase(Objects.requireNonNull(increase, "increase"));
    }
}
