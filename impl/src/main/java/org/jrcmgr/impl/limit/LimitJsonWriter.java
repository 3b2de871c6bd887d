package org.jrcmgr.impl.limit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.limit.LimitJsonSchema.Field;
import org.jrcmgr.impl.limit.LimitJsonSchema.IncreaseField;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

/**
 * Writes go-libp2p's limit JSON byte for byte as go's {@code encoding/json} does: go's field
 * order, map keys sorted by their UTF-8 bytes, go's string escaping (HTML-safe, lower-case hex),
 * go's float format, and {@code MarshalIndent(v, "", "  ")}'s layout for the indented forms.
 */
final class LimitJsonWriter {

    private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build();

    /** go's {@code LimitVal} keywords. */
    private static final String UNLIMITED = "unlimited";
    private static final String BLOCK_ALL = "blockAll";

    /** Decimal digits that identify any double (go's {@code strconv} shortest form never needs more). */
    private static final int MAX_DOUBLE_DIGITS = 17;

    /** go's {@code encoding/json} writes floats outside [1e-6, 1e21) in exponent form. */
    private static final double PLAIN_FLOAT_MIN = 1e-6;
    private static final double PLAIN_FLOAT_LIMIT = 1e21;

    private LimitJsonWriter() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * go's {@code json.Marshal(&config)} ({@code MarshalIndent} if {@code indent}): the order of
     * go's {@code MarshalJSON}, scopes that are all default left out, empty maps left out.
     */
    static String config(PartialLimitConfig config, boolean indent) {
        return write(indent, g -> {
            g.writeStartObject();
            for (Section section : Section.MARSHAL_ORDER) {
                if (section.isMap()) {
                    map(g, section, section.map(config));
                } else if (!section.scope(config).isDefault()) {
                    g.writeFieldName(section.jsonName);
                    resourceLimits(g, section.scope(config));
                }
            }
            g.writeEndObject();
        });
    }

    /**
     * go's {@code json.MarshalIndent(config.ToPartialLimitConfig(), "", "  ")}, the form of
     * go-libp2p's snapshot {@code limit_config_test_default.json}. Marshalling the struct by value
     * bypasses go's pointer-receiver {@code MarshalJSON}, so the fields come in declaration order
     * and every single scope is written. (go would also write peer keys as raw multihash bytes
     * there, a bug; they are written in base58 here.)
     */
    static String concrete(ConcreteLimitConfig config) {
        PartialLimitConfig partial = config.toPartial();
        return write(true, g -> {
            g.writeStartObject();
            for (Section section : Section.ALL) {
                if (section.isMap()) {
                    map(g, section, section.map(partial));
                } else {
                    g.writeFieldName(section.jsonName);
                    resourceLimits(g, section.scope(partial));
                }
            }
            g.writeEndObject();
        });
    }

    /** go's {@code json.Marshal} of one {@code ResourceLimits}. */
    static String resourceLimits(ResourceLimits limits) {
        return write(false, g -> resourceLimits(g, limits));
    }

    /** go's {@code json.Marshal} of a {@code BaseLimit}: plain integers, block-all (go's 0) left out. */
    static String baseLimit(BaseLimit limit) {
        return write(false, g -> {
            g.writeStartObject();
            for (Field field : Field.ALL) {
                LimitValue value = field.of(limit);
                if (!(value instanceof LimitValue.BlockAll)) {
                    g.writeFieldName(field.jsonName);
                    // go's unlimited is MaxInt (MaxInt64 for Memory): capacity() is that number.
                    g.writeNumber(value.capacity());
                }
            }
            g.writeEndObject();
        });
    }

    /** go's {@code json.Marshal} of a {@code BaseLimitIncrease}: zero fields left out. */
    static String increase(BaseLimitIncrease increase) {
        return write(false, g -> {
            g.writeStartObject();
            for (IncreaseField field : IncreaseField.ALL) {
                if (field == IncreaseField.FD_FRACTION) {
                    if (increase.fdFraction() != 0) {
                        g.writeFieldName(field.jsonName);
                        g.writeNumber(goFloat(increase.fdFraction()));
                    }
                } else if (field.count(increase) != 0) {
                    g.writeFieldName(field.jsonName);
                    g.writeNumber(field.count(increase));
                }
            }
            g.writeEndObject();
        });
    }

    private static void map(JsonGenerator g, Section section, Map<?, ResourceLimits> map) throws IOException {
        if (map.isEmpty()) {
            return;
        }
        List<Map.Entry<String, ResourceLimits>> entries = new ArrayList<>(map.size());
        map.forEach((key, limits) -> entries.add(new SimpleImmutableEntry<>(
                LimitJsonSchema.withoutLoneSurrogates(section.keyKind.text(key)), limits)));
        entries.sort((a, b) -> LimitJsonSchema.compareUtf8(a.getKey(), b.getKey()));
        g.writeFieldName(section.jsonName);
        g.writeStartObject();
        for (Map.Entry<String, ResourceLimits> entry : entries) {
            g.writeFieldName(entry.getKey());
            resourceLimits(g, entry.getValue());
        }
        g.writeEndObject();
    }

    private static void resourceLimits(JsonGenerator g, ResourceLimits limits) throws IOException {
        g.writeStartObject();
        for (Field field : Field.ALL) {
            LimitSetting setting = field.of(limits);
            if (setting instanceof LimitSetting.Explicit explicit) {
                g.writeFieldName(field.jsonName);
                LimitValue value = explicit.value();
                if (value instanceof LimitValue.Unlimited) {
                    g.writeString(UNLIMITED);
                } else if (value instanceof LimitValue.BlockAll) {
                    g.writeString(BLOCK_ALL);
                } else if (field == Field.MEMORY) {
                    // go's LimitVal64 is a string so that readers with 53-bit numbers keep it exact.
                    g.writeString(Long.toString(value.capacity()));
                } else {
                    g.writeNumber(value.capacity());
                }
            }
        }
        g.writeEndObject();
    }

    private static String write(boolean indent, Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (indent) {
                g.setPrettyPrinter(new GoIndent());
            }
            body.write(g);
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * go's {@code encoding/json} float format: the shortest decimal that reads back as the same
     * double, plain within [1e-6, 1e21), else {@code 1.5e-7} style.
     */
    static String goFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal shortest = shortest(d);
        double abs = Math.abs(d);
        if (abs >= PLAIN_FLOAT_MIN && abs < PLAIN_FLOAT_LIMIT) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = shortest.precision() - shortest.scale() - 1;
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        // strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7"
        // but leaves "e+21" alone.
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10 && exponent > 0) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    /** The shortest decimal that reads back as {@code d}; of two such, the nearer (go's choice). */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits <= MAX_DOUBLE_DIGITS; digits++) {
            BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == d) {
                return nearest.stripTrailingZeros();
            }
            // Next to a power of two the doubles are twice as far apart on one side, so a
            // decimal on that side can read back as d while the nearest one does not.
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal other = exact.round(new MathContext(digits, mode));
                if (other.doubleValue() == d) {
                    return other.stripTrailingZeros();
                }
            }
        }
        return exact.round(new MathContext(MAX_DOUBLE_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /**
     * go's string escaping: {@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control
     * characters and the HTML-sensitive {@code < > &} as a lower-case six-character escape
     * (backslash, {@code u}, four hex digits), and U+2028 and U+2029 (line terminators in
     * JavaScript) likewise.
     */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int LINE_SEPARATOR = 0x2028;
        private static final int PARAGRAPH_SEPARATOR = 0x2029;

        private final int[] ascii;

        GoEscapes() {
            ascii = standardAsciiEscapesForJSON();
            for (int c = 0; c < 0x20; c++) {
                ascii[c] = ESCAPE_CUSTOM;
            }
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '\b' -> new SerializedString("\\b");
                case '\f' -> new SerializedString("\\f");
                case '\n' -> new SerializedString("\\n");
                case '\r' -> new SerializedString("\\r");
                case '\t' -> new SerializedString("\\t");
                case '<', '>', '&', LINE_SEPARATOR, PARAGRAPH_SEPARATOR -> unicode(ch);
                default -> ch < 0x20 ? unicode(ch) : null;
            };
        }

        private static SerializableString unicode(int ch) {
            return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
        }
    }

    /** {@code MarshalIndent(v, "", "  ")}'s layout: two spaces a level, {@code ": "}, {@code {}} when empty. */
    private static final class GoIndent implements PrettyPrinter {
        private static final String INDENT = "  ";

        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
            // One value per document.
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (values > 0) {
                newline(g);
            }
            g.writeRaw(']');
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                g.writeRaw(INDENT);
            }
        }
    }
}
