package org.jrcmgr.impl.limit;

import static org.jrcmgr.impl.limit.LimitJsonSchema.quote;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.LimitJsonSchema.Field;
import org.jrcmgr.impl.limit.LimitJsonSchema.IncreaseField;
import org.jrcmgr.impl.limit.LimitJsonSchema.KeyKind;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

/**
 * Reads go-libp2p's limit JSON from a Jackson token stream, by hand, so that every value goes
 * through go's rules and every error can name its JSON path and position.
 *
 * <p>Where go-libp2p's decoder is lax in ways that lose limits silently, this reader refuses; see
 * {@link LimitConfigJson} for the list.
 */
final class LimitJsonReader {

    /** What a limit may be, for messages. */
    private static final String LIMIT_FORMS = "\"default\", \"unlimited\", \"blockAll\" or an integer";

    /** Literal -1 and -2 are go's Unlimited and BlockAllLimit constants; old files spell them so. */
    private static final long LEGACY_UNLIMITED = -1;
    private static final long LEGACY_BLOCK_ALL = -2;

    private final JsonParser parser;
    private final String source;

    /** The path of the innermost element being read, so that a syntax error can say where it struck. */
    private String at = "$";

    private LimitJsonReader(JsonParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    @FunctionalInterface
    private interface Body<T> {
        T read(LimitJsonReader reader) throws IOException;
    }

    static PartialLimitConfig readConfig(JsonParser parser, String source) throws IOException {
        return new LimitJsonReader(parser, source).document("limit configuration", r -> r.config());
    }

    static ResourceLimits readResourceLimits(JsonParser parser, String source) throws IOException {
        return new LimitJsonReader(parser, source).document("limits", r -> r.resourceLimits("$"));
    }

    static BaseLimit readBaseLimit(JsonParser parser, String source) throws IOException {
        return new LimitJsonReader(parser, source).document("limits", r -> r.baseLimit());
    }

    static BaseLimitIncrease readBaseLimitIncrease(JsonParser parser, String source) throws IOException {
        return new LimitJsonReader(parser, source).document("increase", r -> r.baseLimitIncrease());
    }

    /**
     * One JSON value and nothing after it. go's {@code Decoder.Decode} stops after the first value
     * and ignores the rest; a second value in a limit file is a mistake, so it is refused here.
     */
    private <T> T document(String what, Body<T> body) throws IOException {
        try {
            if (parser.nextToken() == null) {
                throw fail("$", "no JSON value: the input is empty");
            }
            T value = body.read(this);
            at = "$";
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw fail("$", "more after the end of the " + what + ": " + describe(after));
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new LimitConfigException(source, at, "malformed JSON: " + e.getOriginalMessage(),
                    where == null ? -1 : where.getLineNr(), where == null ? -1 : where.getColumnNr(), e);
        }
    }

    private PartialLimitConfig config() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            // go decodes null into a struct as "leave it alone": nothing is configured.
            return PartialLimitConfig.EMPTY;
        }
        expectObject("$", token, "an object with the scopes (\"System\", \"Peer\", ...)");
        ScopeTable<ResourceLimits> scopes = ScopeTable.of(PartialLimitConfig.EMPTY);
        Map<Section, String> seen = new HashMap<>();
        while (nextField("$") != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            String path = fieldPath("$", name);
            Section section = LimitJsonSchema.match(name, Section.ALL, s -> s.jsonName);
            if (section == null) {
                throw fail(path, LimitJsonSchema.unknownField(name, Section.ALL, s -> s.jsonName));
            }
            String earlier = seen.putIfAbsent(section, name);
            if (earlier != null) {
                throw fail(path, "duplicate field; " + quote(section.jsonName) + " was already given"
                        + (earlier.equals(section.jsonName) ? "" : " as " + quote(earlier)));
            }
            next(path);
            if (section.isMap()) {
                map(scopes, section, path);
            } else {
                scopes.set(section, resourceLimits(path));
            }
            at = "$";
        }
        return scopes.to(PartialLimitConfig::new);
    }

    private void map(ScopeTable<ResourceLimits> scopes, Section section, String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expectObject(path, token, "an object of limits by " + section.keyKind.noun);
        // The text each key was first written as, to name it when a second spelling of the same
        // peer id turns up.
        Map<Object, String> seen = new LinkedHashMap<>();
        while (nextField(path) != JsonToken.END_OBJECT) {
            String text = LimitJsonSchema.withoutLoneSurrogates(parser.currentName());
            String entryPath = path + "[" + quote(text) + "]";
            Object key = key(section.keyKind, text, entryPath);
            String earlier = seen.putIfAbsent(key, text);
            if (earlier != null) {
                throw fail(entryPath, "duplicate key" + (earlier.equals(text) ? ""
                        : "; it denotes the same peer as " + quote(earlier)));
            }
            next(entryPath);
            scopes.put(section, key, resourceLimits(entryPath), "limits");
            at = path;
        }
    }

    private Object key(KeyKind kind, String text, String path) {
        try {
            return switch (kind) {
                case SERVICE -> text;
                case PROTOCOL -> ProtocolId.of(text);
                case PEER -> PeerId.fromString(text);
            };
        } catch (IllegalArgumentException e) {
            throw fail(path, (kind == KeyKind.PEER ? "not a peer id: " : "not a protocol id: ") + e.getMessage());
        }
    }

    /** The current value as go's {@code ResourceLimits}; the parser is on its first token. */
    private ResourceLimits resourceLimits(String path) throws IOException {
        at = path;
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            // As go: null leaves the struct at its zero value, every field "default".
            return ResourceLimits.DEFAULT;
        }
        expectObject(path, token, "an object of limits (\"Streams\", \"Memory\", ...)");
        LimitSetting[] settings = new LimitSetting[Field.ALL.size()];
        Arrays.fill(settings, LimitSetting.defaultLimit());
        Set<Field> seen = EnumSet.noneOf(Field.class);
        while (nextField(path) != JsonToken.END_OBJECT) {
            Field field = field(path, Field.ALL, f -> f.jsonName, seen);
            String fieldPath = fieldPath(path, parser.currentName());
            next(fieldPath);
            settings[field.ordinal()] = limitSetting(fieldPath, field == Field.MEMORY);
            at = path;
        }
        return Field.resourceLimits(settings);
    }

    /** The field the parser's current name denotes; refuses unknown and repeated ones. */
    private <F extends Enum<F>> F field(String objectPath, List<F> fields, Function<F, String> jsonName,
                                        Set<F> seen) throws IOException {
        String name = parser.currentName();
        String path = fieldPath(objectPath, name);
        F field = LimitJsonSchema.match(name, fields, jsonName);
        if (field == null) {
            throw fail(path, LimitJsonSchema.unknownField(name, fields, jsonName));
        }
        if (!seen.add(field)) {
            throw fail(path, "duplicate field; " + quote(jsonName.apply(field)) + " was already given");
        }
        return field;
    }

    /**
     * go's {@code LimitVal.UnmarshalJSON} ({@code memory} false) or {@code LimitVal64.UnmarshalJSON}
     * ({@code memory} true): a keyword, an integer, and for memory also an integer in a string.
     */
    private LimitSetting limitSetting(String path, boolean memory) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_STRING -> {
                String text = parser.getText();
                switch (text) {
                    case "default":
                        return LimitSetting.defaultLimit();
                    case "unlimited":
                        return LimitSetting.unlimited();
                    case "blockAll":
                        return LimitSetting.blockAll();
                    default:
                        break;
                }
                if (isSignedDigits(text)) {
                    if (!memory) {
                        throw fail(path, "the string " + quote(text) + " is not a limit: only Memory is written"
                                + " as a string, other limits as bare integers");
                    }
                    return fromNumber(path, parseLong(path, text));
                }
                if (memory && looksNumeric(text)) {
                    throw fail(path, quote(text) + " is not a whole number of bytes");
                }
                throw fail(path, "unknown keyword " + quote(text) + "; expected " + LIMIT_FORMS
                        + (memory ? " (in a string or bare)" : ""));
            }
            case VALUE_NUMBER_INT -> {
                return fromNumber(path, integer(path));
            }
            case VALUE_NUMBER_FLOAT -> throw fail(path, "the number " + parser.getText() + " is not an integer");
            case VALUE_NULL -> throw fail(path, "null is not a limit; leave the field out or write \"default\" to"
                    + " take the default");
            default -> throw fail(path, "expected " + LIMIT_FORMS + ", found " + describe(token));
        }
    }

    /** go's reading of a number as a limit, less the negative numbers go lets through as limits that block everything. */
    private LimitSetting fromNumber(String path, long n) {
        if (n == 0) {
            // An explicit 0 is a limit of nothing, not "default" (go-libp2p's rule).
            return LimitSetting.blockAll();
        }
        if (n == LEGACY_UNLIMITED) {
            return LimitSetting.unlimited();
        }
        if (n == LEGACY_BLOCK_ALL) {
            return LimitSetting.blockAll();
        }
        if (n < 0) {
            throw fail(path, "negative limit " + n + "; write \"blockAll\" (or 0) to admit nothing, \"unlimited\""
                    + " for no limit (-1 and -2 are accepted for them, as go-libp2p does)");
        }
        return LimitSetting.of(n);
    }

    /** The current integer token as a long. */
    private long integer(String path) throws IOException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw fail(path, "the number " + parser.getText() + " is out of range: limits are 64-bit integers"
                    + " (at most " + Long.MAX_VALUE + ")");
        }
        return parser.getLongValue();
    }

    /** go's {@code strconv.ParseInt(s, 10, 64)} on text known to be an optional sign and digits. */
    private long parseLong(String path, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw fail(path, "the number " + text + " is out of range: limits are 64-bit integers (at most "
                    + Long.MAX_VALUE + ")");
        }
    }

    private static boolean isSignedDigits(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean looksNumeric(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+'
                || s.charAt(0) == '.');
    }

    /** go's plain {@code BaseLimit}: integers only, a missing field is 0 (block-all). */
    private BaseLimit baseLimit() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return BaseLimit.BLOCK_ALL;
        }
        expectObject("$", token, "an object of limits (\"Streams\", \"Memory\", ...)");
        LimitValue[] values = new LimitValue[Field.ALL.size()];
        Arrays.fill(values, LimitValue.blockAll());
        Set<Field> seen = EnumSet.noneOf(Field.class);
        while (nextField("$") != JsonToken.END_OBJECT) {
            Field field = field("$", Field.ALL, f -> f.jsonName, seen);
            String path = fieldPath("$", parser.currentName());
            next(path);
            values[field.ordinal()] = LimitValue.of(nonNegativeInteger(path, "a limit"));
            at = "$";
        }
        return Field.baseLimit(values);
    }

    /** go's {@code BaseLimitIncrease}: integers, a fraction, missing fields 0. */
    private BaseLimitIncrease baseLimitIncrease() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return BaseLimitIncrease.NONE;
        }
        expectObject("$", token, "an object of increases (\"Streams\", \"Memory\", \"FDFraction\", ...)");
        long[] counts = new long[IncreaseField.ALL.size()];
        double fdFraction = 0;
        Set<IncreaseField> seen = EnumSet.noneOf(IncreaseField.class);
        while (nextField("$") != JsonToken.END_OBJECT) {
            IncreaseField field = field("$", IncreaseField.ALL, f -> f.jsonName, seen);
            String path = fieldPath("$", parser.currentName());
            JsonToken value = next(path);
            if (field == IncreaseField.FD_FRACTION) {
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw fail(path, "expected a number between 0 and 1, found " + describe(value));
                }
                fdFraction = parser.getDoubleValue();
                if (!(fdFraction >= 0 && fdFraction <= 1)) {
                    throw fail(path, "the fraction " + parser.getText() + " is not between 0 and 1");
                }
            } else {
                counts[field.ordinal()] = nonNegativeInteger(path, "an increase");
            }
            at = "$";
        }
        return new BaseLimitIncrease(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
                fdFraction);
    }

    private long nonNegativeInteger(String path, String what) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail(path, "the number " + parser.getText() + " is not an integer");
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw fail(path, "expected an integer, found " + describe(token)
                    + (token == JsonToken.VALUE_STRING ? " (keywords and strings belong to ResourceLimits, not here)"
                    : ""));
        }
        long n = integer(path);
        if (n < 0) {
            throw fail(path, "negative number " + n + " is not " + what);
        }
        return n;
    }

    /**
     * {@code parent.name}, or {@code parent["name"]} when the name is not a plain word, so that
     * the path stays unambiguous whatever a mistyped field is called.
     */
    private static String fieldPath(String parent, String name) {
        boolean word = !name.isEmpty();
        for (int i = 0; i < name.length() && word; i++) {
            char c = name.charAt(i);
            word = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_');
        }
        return word ? parent + "." + name : parent + "[" + quote(name) + "]";
    }

    private void expectObject(String path, JsonToken token, String expected) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw fail(path, "expected " + expected + ", found " + describe(token));
        }
    }

    /** The next token of an object being read: a field name or its end. */
    private JsonToken nextField(String objectPath) throws IOException {
        at = objectPath;
        return parser.nextToken();
    }

    /** The first token of the value at {@code path}. */
    private JsonToken next(String path) throws IOException {
        at = path;
        return parser.nextToken();
    }

    private String describe(JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private LimitConfigException fail(String path, String reason) {
        JsonLocation where = parser.currentTokenLocation();
        return new LimitConfigException(source, path, reason, where.getLineNr(), where.getColumnNr(), null);
    }
}
