package org.jrcmgr.impl.limit;

import java.util.Objects;
import org.jrcmgr.LimitValue;

/**
 * One field of a {@link ResourceLimits}: either "take it from the defaults" or a concrete
 * {@link LimitValue}. This is go-libp2p's {@code LimitVal} / {@code LimitVal64}, whose
 * {@code DefaultLimit} (0), {@code Unlimited} (-1) and {@code BlockAllLimit} (-2) are magic numbers;
 * here they are values of their own.
 *
 * <table>
 *   <caption>The settings and how go-libp2p's JSON spells them</caption>
 *   <tr><th>setting</th><th>go-libp2p</th><th>JSON</th></tr>
 *   <tr><td>{@link #defaultLimit()}</td><td>{@code DefaultLimit}</td><td>{@code "default"}, or the field left out</td></tr>
 *   <tr><td>{@link #unlimited()}</td><td>{@code Unlimited}</td><td>{@code "unlimited"}</td></tr>
 *   <tr><td>{@link #blockAll()}</td><td>{@code BlockAllLimit}</td><td>{@code "blockAll"}, or an explicit 0</td></tr>
 *   <tr><td>{@link #of(long) of(n)}</td><td>{@code n}</td><td>{@code n} ({@code "n"} for {@code Memory})</td></tr>
 * </table>
 *
 * <p>Settings compare equal when they say the same thing: {@code of(0)} equals {@link #blockAll()},
 * {@code of(Long.MAX_VALUE)} equals {@link #unlimited()}, as {@link LimitValue#of(long)} has it.
 */
public sealed interface LimitSetting permits LimitSetting.Default, LimitSetting.Explicit {

    /** Take the value from the limits the configuration is built against. */
    static LimitSetting defaultLimit() {
        return Default.INSTANCE;
    }

    /** No limit, whatever the defaults say. */
    static LimitSetting unlimited() {
        return Explicit.UNLIMITED;
    }

    /** Nothing admitted, whatever the defaults say. */
    static LimitSetting blockAll() {
        return Explicit.BLOCK_ALL;
    }

    /**
     * The limit {@code value}, whatever the defaults say.
     *
     * @throws NullPointerException if {@code value} is null
     */
    static LimitSetting of(LimitValue value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof LimitValue.Unlimited) {
            return Explicit.UNLIMITED;
        }
        if (value instanceof LimitValue.BlockAll) {
            return Explicit.BLOCK_ALL;
        }
        return new Explicit(value);
    }

    /**
     * The limit {@code n} through {@link LimitValue#of(long)}: 0 is block-all,
     * {@link Long#MAX_VALUE} unlimited. There is deliberately no number for "default".
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    static LimitSetting of(long n) {
        return of(LimitValue.of(n));
    }

    /** Whether this setting defers to the defaults. */
    boolean isDefault();

    /** This setting's value, or {@code fallback} if it defers to the defaults (go's {@code Build}). */
    LimitValue resolve(LimitValue fallback);

    /** This setting, or {@code other} if this one defers to the defaults (go's {@code Apply}). */
    LimitSetting orElse(LimitSetting other);

    /** Defer to the defaults; go-libp2p's {@code DefaultLimit}. */
    enum Default implements LimitSetting {
        /** The one default setting. */
        INSTANCE;

        @Override
        public boolean isDefault() {
            return true;
        }

        @Override
        public LimitValue resolve(LimitValue fallback) {
            return Objects.requireNonNull(fallback, "fallback");
        }

        @Override
        public LimitSetting orElse(LimitSetting other) {
            return Objects.requireNonNull(other, "other");
        }

        /** {@code default}, as the JSON keyword. */
        @Override
        public String toString() {
            return "default";
        }
    }

    /**
     * A concrete limit that overrides the defaults.
     *
     * @param value the limit
     */
    record Explicit(LimitValue value) implements LimitSetting {

        private static final Explicit UNLIMITED = new Explicit(LimitValue.unlimited());
        private static final Explicit BLOCK_ALL = new Explicit(LimitValue.blockAll());

        /**
         * @throws NullPointerException if {@code value} is null
         */
        public Explicit {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isDefault() {
            return false;
        }

        @Override
        public LimitValue resolve(LimitValue fallback) {
            return value;
        }

        @Override
        public LimitSetting orElse(LimitSetting other) {
            return this;
        }

        /** The value as the limit prints it: {@code unlimited}, {@code blockAll} or the number. */
        @Override
        public String toString() {
            return value.toString();
        }
    }
}
