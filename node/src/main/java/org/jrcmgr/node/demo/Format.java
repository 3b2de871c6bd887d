package org.jrcmgr.node.demo;

import org.jrcmgr.LimitValue;

/** Number formatting for the demo's tables. */
final class Format {

    private Format() {
    }

    /** Bytes as {@code 512B}, {@code 64.0K}, {@code 3.1M}, {@code 1.0G}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        if (n < 1024L * 1024) {
            return String.format("%.1fK", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1fM", n / (1024.0 * 1024));
        }
        return String.format("%.1fG", n / (1024.0 * 1024 * 1024));
    }

    static String limit(LimitValue v, boolean bytes) {
        if (v.isUnlimited()) {
            return "inf";
        }
        return bytes ? bytes(v.capacity()) : Long.toString(v.capacity());
    }

    static String used(long used, LimitValue limit, boolean bytes) {
        return (bytes ? bytes(used) : Long.toString(used)) + "/" + limit(limit, bytes);
    }

    /** A ten-cell bar of {@code used} against {@code limit}. */
    static String bar(long used, LimitValue limit) {
        int cells = 10;
        int filled;
        if (limit.isUnlimited() || limit.capacity() == 0) {
            filled = 0;
        } else {
            filled = (int) Math.min(cells, Math.round(cells * (double) used / limit.capacity()));
        }
        return "[" + "#".repeat(filled) + ".".repeat(cells - filled) + "]";
    }

    /** The first and last characters of a peer id. */
    static String shortPeer(String base58) {
        return base58.length() <= 16 ? base58 : base58.substring(0, 8) + ".." + base58.substring(base58.length() - 6);
    }
}
