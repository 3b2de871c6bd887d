package org.jrcmgr.it.support;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Containers a test starts in numbers (storms), closed together in try-with-resources: each is
 * stopped and removed (unpaused first if a test paused it), in reverse order, even if stopping
 * another fails.
 */
public final class ContainerGroup implements AutoCloseable {

    private final List<GenericContainer<?>> containers = new ArrayList<>();

    /**
     * Adds a container to close with the group.
     *
     * @return {@code c}
     */
    public <C extends GenericContainer<?>> C add(C c) {
        containers.add(c);
        return c;
    }

    /** The containers, in the order added. */
    public List<GenericContainer<?>> all() {
        return List.copyOf(containers);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = containers.size() - 1; i >= 0; i--) {
            GenericContainer<?> c = containers.get(i);
            try {
                unpauseIfPaused(c);
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A test that failed while a container was paused must not leave it frozen. */
    private static void unpauseIfPaused(GenericContainer<?> c) {
        String id = c.getContainerId();
        if (id == null) {
            return;
        }
        try {
            if (Boolean.TRUE.equals(DockerClientFactory.instance().client().inspectContainerCmd(id).exec()
                    .getState().getPaused())) {
                DockerClientFactory.instance().client().unpauseContainerCmd(id).exec();
            }
        } catch (RuntimeException e) {
            // Gone already, or not paused: closing removes it either way.
        }
    }
}
