package org.jrcmgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jrcmgr.spi.ProviderDescription;
import org.jrcmgr.spi.ResourceManagerProvider;

/**
 * The rules of {@link ResourceManagers}, apart from the JVM-wide state they are applied to, so
 * that tests can feed them candidates, a property value and a logger of their own.
 */
final class ProviderSelection {

    /** Highest priority first; name and class name only make the order of equals repeatable. */
    static final Comparator<ProviderDescription> RANKING = Comparator
            .comparingInt(ProviderDescription::priority).reversed()
            .thenComparing(ProviderDescription::name)
            .thenComparing(ProviderDescription::className);

    private static final String NO_PROVIDER_HINT = "add org.jrcmgr:jrcmgr-impl (the default implementation)"
            + " to the class path or module path, or use " + NullResourceManager.class.getName()
            + ".INSTANCE explicitly to run without resource limits";

    private ProviderSelection() {
    }

    /**
     * Every provider {@code loader} can see, located but not instantiated.
     *
     * @throws IllegalStateException if a provider configuration file or a provider class is broken
     */
    static List<ServiceLoader.Provider<ResourceManagerProvider>> discover(ClassLoader loader) {
        try {
            return ServiceLoader.load(ResourceManagerProvider.class, loader).stream().toList();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot discover " + ResourceManagerProvider.class.getName()
                    + " implementations: a provider is declared but broken (" + e.getMessage()
                    + "); fix or remove the jar that declares it", e);
        }
    }

    /** The candidates' descriptions, best ranked first. */
    static List<ProviderDescription> describe(List<? extends ServiceLoader.Provider<? extends ResourceManagerProvider>> candidates) {
        return candidates.stream().map(c -> ProviderDescription.of(c.type())).sorted(RANKING).toList();
    }

    /**
     * Picks and instantiates one provider; only the chosen one is instantiated.
     *
     * @param candidates the providers found, not yet instantiated
     * @param property   the value of {@link ResourceManagers#PROVIDER_PROPERTY}, or null when it is not set;
     *                   a blank value counts as not set
     * @param log        where the choice is reported
     * @throws IllegalStateException if no provider can be chosen or the chosen one cannot be instantiated
     */
    static ResourceManagerProvider select(List<? extends ServiceLoader.Provider<? extends ResourceManagerProvider>> candidates,
                                          String property, System.Logger log) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(log, "log");
        List<Candidate> ranked = new ArrayList<>(candidates.size());
        for (ServiceLoader.Provider<? extends ResourceManagerProvider> provider : candidates) {
            ranked.add(new Candidate(ProviderDescription.of(provider.type()), provider));
        }
        ranked.sort(Comparator.comparing(Candidate::description, RANKING));
        // A name shared by two classes is most likely two versions of one implementation on the
        // path; whichever won would be an accident of jar order, so this is refused in every mode.
        rejectDuplicateNames(ranked);

        String wanted = property == null ? "" : property.strip();
        Candidate chosen;
        String why;
        if (!wanted.isEmpty()) {
            chosen = byProperty(ranked, wanted);
            why = "named by -D" + ResourceManagers.PROVIDER_PROPERTY + "=" + wanted;
        } else {
            chosen = byPriority(ranked);
            why = "highest priority";
        }
        ResourceManagerProvider instance = instantiate(chosen);
        report(log, chosen, ranked, why);
        return instance;
    }

    private static void rejectDuplicateNames(List<Candidate> ranked) {
        Map<String, List<String>> classesByName = new HashMap<>();
        for (Candidate c : ranked) {
            classesByName.computeIfAbsent(c.description().name(), n -> new ArrayList<>())
                    .add(c.description().className());
        }
        for (Candidate c : ranked) {
            List<String> classes = classesByName.get(c.description().name());
            if (classes.size() > 1) {
                throw new IllegalStateException("several resource manager providers are named '"
                        + c.description().name() + "': " + String.join(", ", classes)
                        + "; a provider name must be unique, so remove all but one of them from the class path"
                        + " and module path");
            }
        }
    }

    private static Candidate byProperty(List<Candidate> ranked, String wanted) {
        List<Candidate> matches = ranked.stream()
                .filter(c -> c.description().name().equals(wanted) || c.description().className().equals(wanted))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalStateException("-D" + ResourceManagers.PROVIDER_PROPERTY + "=" + wanted
                    + " names no resource manager provider present; available: " + list(ranked)
                    + " (the property takes a provider name or a fully qualified class name)"
                    + (ranked.isEmpty() ? "; " + NO_PROVIDER_HINT : ""));
        }
        if (matches.size() > 1) {
            // Possible only when one provider's name is another provider's class name.
            throw new IllegalStateException("-D" + ResourceManagers.PROVIDER_PROPERTY + "=" + wanted
                    + " matches several resource manager providers: " + list(matches)
                    + "; name one of them by its fully qualified class name");
        }
        return matches.get(0);
    }

    private static Candidate byPriority(List<Candidate> ranked) {
        if (ranked.isEmpty()) {
            throw new IllegalStateException("no " + ResourceManagerProvider.class.getName() + " found: "
                    + NO_PROVIDER_HINT);
        }
        Candidate best = ranked.get(0);
        List<Candidate> tied = ranked.stream()
                .filter(c -> c.description().priority() == best.description().priority())
                .toList();
        if (tied.size() > 1) {
            throw new IllegalStateException("resource manager providers " + list(tied)
                    + " share the highest priority " + best.description().priority()
                    + ", so none can be chosen; set -D" + ResourceManagers.PROVIDER_PROPERTY
                    + "=<name> to choose one");
        }
        return best;
    }

    private static ResourceManagerProvider instantiate(Candidate chosen) {
        String className = chosen.description().className();
        ResourceManagerProvider instance;
        try {
            instance = chosen.provider().get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot instantiate resource manager provider " + className
                    + ": " + e, e);
        }
        if (instance == null) {
            throw new IllegalStateException("cannot instantiate resource manager provider " + className
                    + ": it produced null");
        }
        return instance;
    }

    private static void report(System.Logger log, Candidate chosen, List<Candidate> ranked, String why) {
        List<Candidate> passedOver = ranked.stream().filter(c -> c != chosen).toList();
        if (passedOver.isEmpty()) {
            log.log(Level.DEBUG, () -> "using resource manager provider " + chosen.description());
        } else {
            // Several implementations on one path is unusual enough that the choice must be visible.
            log.log(Level.INFO, () -> "using resource manager provider " + chosen.description() + " (" + why
                    + "); passed over: " + list(passedOver));
        }
    }

    private static String list(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return "none";
        }
        return candidates.stream().map(c -> c.description().toString()).collect(Collectors.joining(", "));
    }

    private record Candidate(ProviderDescription description,
                             ServiceLoader.Provider<? extends ResourceManagerProvider> provider) {
    }
}
