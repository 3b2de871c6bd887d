package org.jrcmgr.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.testcontainers.containers.GenericContainer;

/**
 * A storm container's report ({@code storm --json}): what it attempted, what the targets admitted,
 * and what they refused, by reason key ({@code scope:system}, {@code scope:peer},
 * {@code per-address}, ...).
 *
 * @param name            the storm's label
 * @param exitCode        the container's exit code
 * @param connsAttempted  connections dialled
 * @param connsAdmitted   connections established
 * @param connsRefused    connections refused by a limit
 * @param connsFailed     connections that failed otherwise
 * @param connsRefusedBy  connection refusals by reason
 * @param connsFailedBy   connection failures by reason
 * @param streamsAttempted streams opened
 * @param streamsCompleted streams whose exchange completed
 * @param streamsRefused  streams refused before acceptance
 * @param streamsReset    streams reset after acceptance
 * @param streamsFailed   streams that failed otherwise
 * @param streamsRefusedBy stream refusals by reason
 * @param streamsResetBy  stream resets by reason
 * @param consistent      whether every attempt has exactly one outcome
 * @param json            the whole report
 */
public record StormResult(String name, long exitCode, long connsAttempted, long connsAdmitted, long connsRefused,
                          long connsFailed, Map<String, Long> connsRefusedBy, Map<String, Long> connsFailedBy,
                          long streamsAttempted, long streamsCompleted, long streamsRefused, long streamsReset,
                          long streamsFailed, Map<String, Long> streamsRefusedBy, Map<String, Long> streamsResetBy,
                          boolean consistent, JsonNode json) {

    /**
     * Reads the report a finished storm container printed.
     *
     * @throws AssertionError if it exited without a report
     */
    public static StormResult of(String name, GenericContainer<?> storm, long exitCode) {
        String out = NodeContainers.stdout(storm);
        int from = out.indexOf('{');
        int to = out.lastIndexOf('}');
        if (exitCode != 0 || from < 0 || to < from) {
            throw new AssertionError("storm " + name + " exited " + exitCode + " without a report; its output:\n"
                    + NodeContainers.tail(storm.getLogs(), 60));
        }
        JsonNode j;
        try {
            j = Control.JSON.readTree(out.substring(from, to + 1));
        } catch (IOException e) {
            throw new AssertionError("storm " + name + " printed no JSON report:\n" + out, e);
        }
        JsonNode c = j.path("connections");
        JsonNode s = j.path("streams");
        return new StormResult(name, exitCode, c.path("attempted").asLong(), c.path("admitted").asLong(),
                c.path("refused").asLong(), c.path("failed").asLong(), Control.counts(c.path("refusedByReason")),
                Control.counts(c.path("failedByReason")), s.path("attempted").asLong(), s.path("completed").asLong(),
                s.path("refused").asLong(), s.path("reset").asLong(), s.path("failed").asLong(),
                Control.counts(s.path("refusedByReason")), Control.counts(s.path("resetByReason")),
                j.path("consistent").asBoolean(), j);
    }

    /** Adds up several reports' counts by reason. */
    public static Map<String, Long> merge(Iterable<Map<String, Long>> maps) {
        Map<String, Long> out = new TreeMap<>();
        for (Map<String, Long> m : maps) {
            m.forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }
}
