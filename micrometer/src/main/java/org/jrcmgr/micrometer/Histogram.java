package org.jrcmgr.micrometer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;

/**
 * One go-libp2p histogram series, recorded into every registry it is bound to.
 *
 * <p>A Micrometer distribution summary belongs to one registry, so recording fans out over an array
 * that is replaced (never changed in place) when a registry is bound or the metrics close: the hot
 * path reads one volatile field and walks the array, allocating nothing.
 */
final class Histogram {

    private static final DistributionSummary[] NONE = new DistributionSummary[0];

    private final String name;
    private final String description;
    private final Tags tags;
    private final double[] buckets;
    private volatile DistributionSummary[] summaries = NONE;

    Histogram(String name, String description, Tags tags, double[] buckets) {
        this.name = name;
        this.description = description;
        this.tags = tags;
        this.buckets = buckets.clone();
    }

    /** Records {@code value} in every bound registry. */
    void record(double value) {
        for (DistributionSummary summary : summaries) {
            summary.record(value);
        }
    }

    /**
     * Registers the series in {@code registry}. Buckets are the service-level objectives and nothing
     * else (no percentiles, no percentile histogram): Micrometer's Prometheus registry then writes
     * exactly go's {@code _bucket{le=...}}, {@code _count} and {@code _sum} lines.
     */
    DistributionSummary register(MeterRegistry registry) {
        DistributionSummary summary = DistributionSummary.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(buckets)
                .publishPercentileHistogram(false)
                .register(registry);
        synchronized (this) {
            DistributionSummary[] now = summaries;
            if (!Arrays.asList(now).contains(summary)) {
                DistributionSummary[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = summary;
                summaries = next;
            }
        }
        return summary;
    }

    /** Stops recording anywhere. */
    synchronized void clear() {
        summaries = NONE;
    }
}
