package org.jrcmgr.impl.limit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Copies of the per-key limit maps. Unlike {@link Map#copyOf}, the copy keeps the caller's
 * iteration order, so a scaled or printed configuration lists its keys the way they were added,
 * and a null names the map and key it was found in.
 */
final class LimitMaps {

    private LimitMaps() {
    }

    static <K, V> Map<K, V> copy(Map<K, V> map, String name) {
        Objects.requireNonNull(map, name);
        Map<K, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            Objects.requireNonNull(key, () -> name + " must not contain a null key");
            Objects.requireNonNull(value, () -> name + " must not map " + key + " to null");
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
