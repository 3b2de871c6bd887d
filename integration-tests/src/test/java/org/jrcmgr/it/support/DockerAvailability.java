package org.jrcmgr.it.support;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * The JUnit extension behind {@link RequiresDocker}: asks Testcontainers once per JVM whether a
 * Docker engine answers, then skips (on a developer's machine) or fails (in CI) every class that
 * needs one when none does.
 *
 * <p>Failing in CI is deliberate: a skipped integration suite looks green, and the whole point of
 * these tests is that CI proves the node in containers.
 */
public final class DockerAvailability implements ExecutionCondition, BeforeAllCallback {

    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();
    private static volatile Probe probe;

    /** Creates the extension; JUnit does this for {@link RequiresDocker}. */
    public DockerAvailability() {
    }

    /**
     * Whether this run is CI: the CI runner sets {@code CI=true}, as most CI systems do.
     *
     * @return true in CI
     */
    public static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Probe p = probe();
        if (p.available) {
            return ConditionEvaluationResult.enabled("Docker engine answers");
        }
        if (isCi()) {
            // Enabled on purpose: beforeAll then fails the class with the reason.
            return ConditionEvaluationResult.enabled("CI=true: a missing Docker engine is a failure");
        }
        String message = "Docker is not available, so the integration tests are skipped (" + p.reason + "). "
                + "To run them: `bash .ci/run docker` starts an engine (as root, on Debian).";
        if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
            System.err.println("[jrcmgr-it] " + message);
        }
        return ConditionEvaluationResult.disabled(message);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Probe p = probe();
        if (!p.available) {
            throw new IllegalStateException("CI=true and no Docker engine answers, so the integration tests cannot run: "
                    + p.reason + ". .ci/run starts dockerd before Maven; see its output and the dockerd log it names.");
        }
    }

    private static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (DockerAvailability.class) {
                p = probe;
                if (p == null) {
                    p = Probe.run();
                    probe = p;
                }
            }
        }
        return p;
    }

    private record Probe(boolean available, String reason) {
        static Probe run() {
            try {
                // client() (unlike isDockerAvailable()) keeps the reason when no strategy works.
                DockerClientFactory.instance().client();
                return new Probe(true, "");
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage().strip();
                return new Probe(false, "Testcontainers: " + reason);
            }
        }
    }
}
