package org.jrcmgr.it.support;

import java.util.List;
import java.util.Map;

/** The short table each scenario prints of what it saw (on stdout, so it lands in Failsafe's report too). */
public final class Report {

    private final StringBuilder text;

    /**
     * Starts a report.
     *
     * @param title the scenario
     */
    public Report(String title) {
        text = new StringBuilder("\n[jrcmgr-it] ").append(title).append('\n');
    }

    /** Adds a formatted line. */
    public Report line(String format, Object... args) {
        text.append("  ").append(String.format(format, args)).append('\n');
        return this;
    }

    /** Adds text as it is (a table). */
    public Report raw(String block) {
        text.append(block);
        if (!block.endsWith("\n")) {
            text.append('\n');
        }
        return this;
    }

    /** A row per storm: its connections and streams, and its refusals by reason. */
    public Report storms(List<StormResult> storms) {
        line("%-10s %6s %6s %6s %6s | %6s %6s %6s %6s %6s | %s", "storm", "conns", "admit", "refuse", "fail",
                "strms", "done", "refuse", "reset", "fail", "refused by reason (conns; streams)");
        for (StormResult s : storms) {
            line("%-10s %6d %6d %6d %6d | %6d %6d %6d %6d %6d | %s; %s", s.name(), s.connsAttempted(),
                    s.connsAdmitted(), s.connsRefused(), s.connsFailed(), s.streamsAttempted(), s.streamsCompleted(),
                    s.streamsRefused(), s.streamsReset(), s.streamsFailed(), compact(s.connsRefusedBy()),
                    compact(s.streamsRefusedBy()));
        }
        return this;
    }

    /** {@code k=v k=v}, or {@code -}. */
    public static String compact(Map<String, ?> m) {
        if (m.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** Prints the report. */
    public void print() {
        System.out.print(text);
        System.out.flush();
    }
}
