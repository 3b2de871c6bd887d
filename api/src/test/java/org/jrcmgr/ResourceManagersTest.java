package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jrcmgr.spi.ProviderDescription;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceManagersTest {

    private final RecordingLogger log = new RecordingLogger();

    @BeforeEach
    void resetCounters() {
        Alpha.INSTANCES.set(0);
        Beta.INSTANCES.set(0);
        Gamma.INSTANCES.set(0);
        AlphaImpostor.INSTANCES.set(0);
        Unannotated.INSTANCES.set(0);
        BelowZero.INSTANCES.set(0);
    }

    // ---- selection rules, through the seam ----

    @Test
    void propertyNamesProviderByName() {
        ResourceManagerProvider chosen = ProviderSelection.select(candidates(Alpha.class, Beta.class), "beta", log);
        assertInstanceOf(Beta.class, chosen);
        assertEquals(0, Alpha.INSTANCES.get(), "the higher-priority provider must not be instantiated");
        assertEquals(1, Beta.INSTANCES.get());
    }

    @Test
    void propertyNamesProviderByClassName() {
        ResourceManagerProvider chosen = ProviderSelection.select(candidates(Alpha.class, Beta.class),
                Beta.class.getName(), log);
        assertInstanceOf(Beta.class, chosen);
        assertEquals(0, Alpha.INSTANCES.get());
    }

    @Test
    void propertyIsStripped() {
        assertInstanceOf(Beta.class,
                ProviderSelection.select(candidates(Alpha.class, Beta.class), "  beta\t", log));
    }

    @Test
    void blankPropertyCountsAsUnset() {
        assertInstanceOf(Alpha.class, ProviderSelection.select(candidates(Alpha.class, Beta.class), "  ", log));
        assertInstanceOf(Alpha.class, ProviderSelection.select(candidates(Alpha.class, Beta.class), "", log));
    }

    @Test
    void propertyNamingAMissingProviderListsTheAvailableOnes() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(candidates(Alpha.class, Beta.class), "nope", log));
        assertTrue(e.getMessage().contains(ResourceManagers.PROVIDER_PROPERTY + "=nope"), e.getMessage());
        assertTrue(e.getMessage().contains("'alpha' (" + Alpha.class.getName() + ", priority 10)"), e.getMessage());
        assertTrue(e.getMessage().contains("'beta' (" + Beta.class.getName() + ", priority 5)"), e.getMessage());
        assertEquals(0, Alpha.INSTANCES.get() + Beta.INSTANCES.get());
    }

    @Test
    void propertyNamingAProviderWhenNoneIsPresentAlsoPointsAtTheImplementation() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(List.of(), "alpha", log));
        assertTrue(e.getMessage().contains("available: none"), e.getMessage());
        assertTrue(e.getMessage().contains("org.jrcmgr:jrcmgr-impl"), e.getMessage());
    }

    @Test
    void propertyMatchingOneNameAndAnotherClassNameIsAmbiguous() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(candidates(Beta.class, NamedLikeBetasClass.class),
                        Beta.class.getName(), log));
        assertTrue(e.getMessage().contains("matches several"), e.getMessage());
        assertTrue(e.getMessage().contains(NamedLikeBetasClass.class.getName()), e.getMessage());
        assertEquals(0, Beta.INSTANCES.get());
    }

    @Test
    void noProviderFailsAndPointsAtTheImplementationAndTheOptOut() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(List.of(), null, log));
        assertTrue(e.getMessage().contains("org.jrcmgr:jrcmgr-impl"), e.getMessage());
        assertTrue(e.getMessage().contains("class path or module path"), e.getMessage());
        assertTrue(e.getMessage().contains(NullResourceManager.class.getName()), e.getMessage());
        assertTrue(log.records.isEmpty());
    }

    @Test
    void singleProviderIsChosenAndLoggedOnlyAtDebug() {
        assertInstanceOf(Beta.class, ProviderSelection.select(candidates(Beta.class), null, log));
        assertEquals(1, log.records.size());
        assertTrue(log.records.get(0).startsWith("DEBUG "), log.records.toString());
    }

    @Test
    void highestPriorityWinsWithoutInstantiatingTheOthers() {
        ResourceManagerProvider chosen = ProviderSelection.select(
                candidates(Beta.class, Alpha.class, Unannotated.class), null, log);
        assertInstanceOf(Alpha.class, chosen);
        assertEquals(1, Alpha.INSTANCES.get());
        assertEquals(0, Beta.INSTANCES.get(), "a losing provider was instantiated");
        assertEquals(0, Unannotated.INSTANCES.get(), "a losing provider was instantiated");
    }

    @Test
    void winnerAndLosersAreLoggedAtInfo() {
        ProviderSelection.select(candidates(Beta.class, Alpha.class), null, log);
        assertEquals(1, log.records.size());
        String record = log.records.get(0);
        assertTrue(record.startsWith("INFO "), record);
        assertTrue(record.contains("using resource manager provider 'alpha'"), record);
        assertTrue(record.contains("highest priority"), record);
        assertTrue(record.contains("passed over: 'beta' (" + Beta.class.getName() + ", priority 5)"), record);
    }

    @Test
    void choiceByPropertyAmongSeveralIsLoggedAtInfoWithTheReason() {
        ProviderSelection.select(candidates(Beta.class, Alpha.class), "beta", log);
        String record = log.records.get(0);
        assertTrue(record.startsWith("INFO "), record);
        assertTrue(record.contains("'beta'"), record);
        assertTrue(record.contains("-D" + ResourceManagers.PROVIDER_PROPERTY + "=beta"), record);
        assertTrue(record.contains("passed over: 'alpha'"), record);
    }

    @Test
    void twoProvidersWithTheSameNameFailNamingBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(candidates(Alpha.class, AlphaImpostor.class), null, log));
        assertTrue(e.getMessage().contains("'alpha'"), e.getMessage());
        assertTrue(e.getMessage().contains(Alpha.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(AlphaImpostor.class.getName()), e.getMessage());
        assertEquals(0, Alpha.INSTANCES.get() + AlphaImpostor.INSTANCES.get());
    }

    @Test
    void duplicateNamesFailEvenWhenThePropertyPicksAnotherProvider() {
        assertThrows(IllegalStateException.class, () -> ProviderSelection.select(
                candidates(Alpha.class, AlphaImpostor.class, Beta.class), "beta", log));
        assertEquals(0, Beta.INSTANCES.get());
    }

    @Test
    void tieOnTheHighestPriorityFailsAndSuggestsTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(candidates(Alpha.class, Gamma.class, Beta.class), null, log));
        assertTrue(e.getMessage().contains("'alpha'"), e.getMessage());
        assertTrue(e.getMessage().contains("'gamma'"), e.getMessage());
        assertTrue(e.getMessage().contains("highest priority 10"), e.getMessage());
        assertTrue(e.getMessage().contains("-D" + ResourceManagers.PROVIDER_PROPERTY + "="), e.getMessage());
        assertEquals(0, Alpha.INSTANCES.get() + Gamma.INSTANCES.get() + Beta.INSTANCES.get());
    }

    @Test
    void tieBelowTheHighestPriorityDoesNotMatter() {
        assertInstanceOf(Alpha.class,
                ProviderSelection.select(candidates(Beta.class, Alpha.class, BetaTwin.class), null, log));
    }

    @Test
    void tieIsResolvedByTheProperty() {
        assertInstanceOf(Gamma.class, ProviderSelection.select(candidates(Alpha.class, Gamma.class), "gamma", log));
        assertEquals(0, Alpha.INSTANCES.get());
    }

    @Test
    void unannotatedProviderIsNamedByClassWithPriorityZero() {
        ProviderDescription d = ProviderDescription.of(Unannotated.class);
        assertEquals(new ProviderDescription(Unannotated.class.getName(), 0, Unannotated.class.getName()), d);
        // Priority 0 beats a negative one...
        assertInstanceOf(Unannotated.class,
                ProviderSelection.select(candidates(BelowZero.class, Unannotated.class), null, log));
        assertEquals(0, BelowZero.INSTANCES.get());
        // ...loses to a positive one, and the class name selects it by property.
        assertInstanceOf(Beta.class, ProviderSelection.select(candidates(Unannotated.class, Beta.class), null, log));
        assertInstanceOf(Unannotated.class, ProviderSelection.select(candidates(Unannotated.class, Beta.class),
                Unannotated.class.getName(), log));
    }

    @Test
    void rankingDoesNotEvenInitialiseTheLosers() {
        assertInstanceOf(Alpha.class, ProviderSelection.select(candidates(StaticInitWitness.class, Alpha.class), null, log));
        assertEquals("witness", ProviderSelection.describe(candidates(StaticInitWitness.class)).get(0).name());
        assertFalse(WITNESS_INITIALISED.get(), "reading @ProviderInfo ran the provider's static initialiser");
    }

    @Test
    void instantiationFailureNamesTheClassAndKeepsTheCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(candidates(Failing.class, Alpha.class), null, log));
        assertTrue(e.getMessage().contains("cannot instantiate"), e.getMessage());
        assertTrue(e.getMessage().contains(Failing.class.getName()), e.getMessage());
        assertInstanceOf(ServiceConfigurationError.class, e.getCause());
        assertEquals("provider constructor failed", e.getCause().getCause().getMessage());
        assertEquals(0, Alpha.INSTANCES.get(), "no fallback to the next provider");
        assertTrue(log.records.isEmpty(), "a failed choice must not be reported as made");
    }

    @Test
    void instantiationThrowingAnythingElseIsWrappedToo() {
        ServiceLoader.Provider<ResourceManagerProvider> throwing = new FakeProvider(Alpha.class) {
            @Override
            public ResourceManagerProvider get() {
                throw new UnsupportedOperationException("nope");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(List.of(throwing), null, log));
        assertInstanceOf(UnsupportedOperationException.class, e.getCause());
        assertTrue(e.getMessage().contains(Alpha.class.getName()), e.getMessage());
    }

    @Test
    void providerYieldingNullIsAFailure() {
        ServiceLoader.Provider<ResourceManagerProvider> yieldingNull = new FakeProvider(Alpha.class) {
            @Override
            public ResourceManagerProvider get() {
                return null;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(List.of(yieldingNull), null, log));
        assertTrue(e.getMessage().contains(Alpha.class.getName()), e.getMessage());
    }

    @Test
    void describeRanksByPriorityThenName() {
        List<ProviderDescription> ranked = ProviderSelection.describe(
                candidates(Unannotated.class, Beta.class, Gamma.class, Alpha.class, BelowZero.class));
        assertEquals(List.of("alpha", "gamma", "beta", Unannotated.class.getName(), "below-zero"),
                ranked.stream().map(ProviderDescription::name).toList());
        assertEquals(0, Alpha.INSTANCES.get() + Beta.INSTANCES.get() + Gamma.INSTANCES.get()
                + Unannotated.INSTANCES.get() + BelowZero.INSTANCES.get());
    }

    @Test
    void describeReportsDuplicatesInsteadOfFailing() {
        assertEquals(2, ProviderSelection.describe(candidates(Alpha.class, AlphaImpostor.class)).size());
    }

    @Test
    void descriptionToString() {
        assertEquals("'alpha' (" + Alpha.class.getName() + ", priority 10)",
                ProviderDescription.of(Alpha.class).toString());
        assertEquals(Unannotated.class.getName() + " (priority 0)", ProviderDescription.of(Unannotated.class).toString());
        assertThrows(NullPointerException.class, () -> new ProviderDescription(null, 0, "x"));
        assertThrows(NullPointerException.class, () -> new ProviderDescription("x", 0, null));
    }

    // ---- discovery through the real ServiceLoader ----

    @Test
    void discoveryReadsServiceFilesAndDoesNotInstantiate(@TempDir Path dir) throws Exception {
        // The copy defined here lives in an unnamed module, which ServiceLoader accepts from a
        // META-INF/services file both when the tests run on the class path and when they are
        // patched into the org.jrcmgr module, where a class-path registration would be ignored.
        writeServiceFile(dir, RegisteredTestProvider.class.getName());
        try (IsolatingLoader loader = new IsolatingLoader(dir, RegisteredTestProvider.class.getName()::equals)) {
            List<ServiceLoader.Provider<ResourceManagerProvider>> found = ProviderSelection.discover(loader);
            assertEquals(1, found.size(), found.toString());
            Class<? extends ResourceManagerProvider> type = found.get(0).type();
            assertEquals(RegisteredTestProvider.class.getName(), type.getName());
            assertSame(loader, type.getClassLoader());
            assertEquals(0, instances(type), "discovery must not instantiate");

            assertEquals(List.of(new ProviderDescription(RegisteredTestProvider.NAME, 7,
                    RegisteredTestProvider.class.getName())), ProviderSelection.describe(found));

            ResourceManagerProvider chosen = ProviderSelection.select(found, null, log);
            assertSame(type, chosen.getClass());
            assertEquals(1, instances(type));
            assertSame(NullResourceManager.INSTANCE, chosen.create());
        }
    }

    @Test
    void serviceFileNamingAMissingClassFailsWithAClearMessage(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, "org.jrcmgr.NoSuchProvider");
        try (IsolatingLoader loader = new IsolatingLoader(dir, name -> false)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderSelection.discover(loader));
            assertInstanceOf(ServiceConfigurationError.class, e.getCause());
            assertTrue(e.getMessage().contains("org.jrcmgr.NoSuchProvider"), e.getMessage());
            assertTrue(e.getMessage().startsWith("cannot discover " + ResourceManagerProvider.class.getName()),
                    e.getMessage());
        }
    }

    @Test
    void serviceFileNamingANonProviderFailsWithAClearMessage(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, NotAProvider.class.getName());
        try (IsolatingLoader loader = new IsolatingLoader(dir, NotAProvider.class.getName()::equals)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderSelection.discover(loader));
            assertInstanceOf(ServiceConfigurationError.class, e.getCause());
            assertTrue(e.getMessage().contains(NotAProvider.class.getName()), e.getMessage());
        }
    }

    // ---- the public API, on a fresh copy of the API deployed class-path style ----
    //
    // Each test loads its own copy of every org.jrcmgr class into a new loader's unnamed module,
    // so the copy has its own cached selection and sees only the service files the test writes.

    @Test
    void publicApiDiscoversRanksSelectsAndCaches(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, Beta.class.getName(), RegisteredTestProvider.class.getName());
        try (IsolatingLoader api = apiCopy(dir)) {
            assertEquals(List.of("'" + RegisteredTestProvider.NAME + "' (" + RegisteredTestProvider.class.getName()
                            + ", priority 7)", "'beta' (" + Beta.class.getName() + ", priority 5)"),
                    ((List<?>) callApi(api, "providers")).stream().map(Object::toString).toList());

            Object provider = callApi(api, "provider");
            assertEquals(RegisteredTestProvider.class.getName(), provider.getClass().getName());
            assertSame(api, provider.getClass().getClassLoader());
            assertEquals(0, instances(api.loadClass(Beta.class.getName())), "the losing provider was instantiated");

            Object manager = callApi(api, "create");
            assertEquals(NullResourceManager.class.getName(), manager.getClass().getName());

            // Selected once: every later call, from any thread, gets the same instance.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    calls.add(() -> callApi(api, "provider"));
                }
                for (Future<Object> f : pool.invokeAll(calls)) {
                    assertSame(provider, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, instances(provider.getClass()));
        }
    }

    @Test
    void publicApiHonoursTheProperty(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, Beta.class.getName(), RegisteredTestProvider.class.getName());
        String previous = System.setProperty(ResourceManagers.PROVIDER_PROPERTY, "beta");
        try (IsolatingLoader api = apiCopy(dir)) {
            Object provider = callApi(api, "provider");
            assertEquals(Beta.class.getName(), provider.getClass().getName());
            assertEquals(0, instances(api.loadClass(RegisteredTestProvider.class.getName())));
        } finally {
            restoreProperty(previous);
        }
    }

    @Test
    void publicApiReportsAPropertyNamingNothing(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, RegisteredTestProvider.class.getName());
        String previous = System.setProperty(ResourceManagers.PROVIDER_PROPERTY, "org.example.Missing");
        try (IsolatingLoader api = apiCopy(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> callApi(api, "create"));
            assertTrue(e.getMessage().contains("org.example.Missing"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + RegisteredTestProvider.NAME + "'"), e.getMessage());
        } finally {
            restoreProperty(previous);
        }
    }

    @Test
    void publicApiWithoutProviderFailsUntilOneAppears(@TempDir Path dir) throws Exception {
        try (IsolatingLoader api = apiCopy(dir)) {
            assertEquals(List.of(), callApi(api, "providers"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> callApi(api, "create"));
            assertTrue(e.getMessage().contains("org.jrcmgr:jrcmgr-impl"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> callApi(api, "provider"));

            // A failure is not cached, so a provider deployed afterwards is found.
            writeServiceFile(dir, RegisteredTestProvider.class.getName());
            assertEquals(RegisteredTestProvider.class.getName(), callApi(api, "provider").getClass().getName());
        }
    }

    @Test
    void publicApiReportsABrokenServiceFile(@TempDir Path dir) throws Exception {
        writeServiceFile(dir, "org.jrcmgr.NoSuchProvider");
        try (IsolatingLoader api = apiCopy(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> callApi(api, "providers"));
            assertInstanceOf(ServiceConfigurationError.class, e.getCause());
            assertThrows(IllegalStateException.class, () -> callApi(api, "create"));
        }
    }

    @Test
    void publicApiInThisTestRun() {
        if (ResourceManagers.class.getModule().isNamed()) {
            // Surefire patched the tests into the org.jrcmgr module: only `provides` clauses of
            // modules count there, and a META-INF/services entry naming a class inside a named
            // module is skipped. So the test registration is invisible and the real "no provider"
            // failure shows; it also proves the module declares `uses`, without which
            // ServiceLoader.load itself would fail.
            assertEquals(List.of(), ResourceManagers.providers());
            IllegalStateException e = assertThrows(IllegalStateException.class, ResourceManagers::create);
            assertTrue(e.getMessage().contains("org.jrcmgr:jrcmgr-impl"), e.getMessage());
        } else {
            // On the class path the test registration in src/test/resources is found.
            assertEquals(List.of(new ProviderDescription(RegisteredTestProvider.NAME, 7,
                    RegisteredTestProvider.class.getName())), ResourceManagers.providers());
            ResourceManagerProvider provider = ResourceManagers.provider();
            assertInstanceOf(RegisteredTestProvider.class, provider);
            assertSame(NullResourceManager.INSTANCE, ResourceManagers.create());
            assertSame(provider, ResourceManagers.provider());
        }
    }

    @Test
    void propertyNameIsPublished() {
        assertEquals("org.jrcmgr.provider", ResourceManagers.PROVIDER_PROPERTY);
    }

    // ---- fixtures ----

    @SafeVarargs
    private static List<ServiceLoader.Provider<ResourceManagerProvider>> candidates(
            Class<? extends ResourceManagerProvider>... types) {
        return Arrays.stream(types).<ServiceLoader.Provider<ResourceManagerProvider>>map(FakeProvider::new).toList();
    }

    /** The INSTANCES counter of a provider class, whichever loader defined it. */
    private static int instances(Class<?> providerClass) throws ReflectiveOperationException {
        Field field = providerClass.getDeclaredField("INSTANCES");
        field.setAccessible(true);
        return ((AtomicInteger) field.get(null)).get();
    }

    private static IsolatingLoader apiCopy(Path servicesDir) throws IOException {
        return new IsolatingLoader(servicesDir, name -> name.startsWith("org.jrcmgr."));
    }

    /** Calls a static no-argument method of the copy's ResourceManagers, rethrowing what it throws. */
    private static Object callApi(ClassLoader api, String method) throws Exception {
        try {
            return api.loadClass(ResourceManagers.class.getName()).getMethod(method).invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void restoreProperty(String previous) {
        if (previous == null) {
            System.clearProperty(ResourceManagers.PROVIDER_PROPERTY);
        } else {
            System.setProperty(ResourceManagers.PROVIDER_PROPERTY, previous);
        }
    }

    private static void writeServiceFile(Path dir, String... classNames) throws IOException {
        Path file = dir.resolve("META-INF/services/" + ResourceManagerProvider.class.getName());
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(classNames));
    }

    /** Behaves like the JDK's provider: reflection, and a constructor failure becomes a ServiceConfigurationError. */
    private static class FakeProvider implements ServiceLoader.Provider<ResourceManagerProvider> {
        private final Class<? extends ResourceManagerProvider> type;

        FakeProvider(Class<? extends ResourceManagerProvider> type) {
            this.type = type;
        }

        @Override
        public Class<? extends ResourceManagerProvider> type() {
            return type;
        }

        @Override
        public ResourceManagerProvider get() {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new ServiceConfigurationError(ResourceManagerProvider.class.getName() + ": Provider "
                        + type.getName() + " could not be instantiated", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new ServiceConfigurationError(ResourceManagerProvider.class.getName() + ": Provider "
                        + type.getName() + " could not be instantiated", e);
            }
        }

        @Override
        public String toString() {
            return type.getName();
        }
    }

    /**
     * Defines the classes {@code isolate} accepts itself, from the test run's class files, so that
     * they live in this loader's unnamed module; everything else comes from the parent. Service
     * files come from {@code servicesDir} only, so a test sees exactly the registrations it wrote.
     */
    private static final class IsolatingLoader extends URLClassLoader {
        private static final String SERVICES = "META-INF/services/";
        private final Predicate<String> isolate;

        IsolatingLoader(Path servicesDir, Predicate<String> isolate) throws IOException {
            super(new URL[] {servicesDir.toUri().toURL()}, ResourceManagersTest.class.getClassLoader());
            this.isolate = isolate;
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(SERVICES) ? findResource(name) : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!isolate.test(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    // Class.getResourceAsStream reaches .class files inside a named module too.
                    try (InputStream in = ResourceManagersTest.class.getResourceAsStream(
                            "/" + name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** Collects what is logged, formatted, prefixed with the level. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> records = new ArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            records.add(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
        }
    }

    /** Instantiation counters prove that losing providers are never created. */
    @ProviderInfo(name = "alpha", priority = 10)
    public static final class Alpha implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Alpha() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "beta", priority = 5)
    public static final class Beta implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Beta() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "beta-twin", priority = 5)
    public static final class BetaTwin implements ResourceManagerProvider {
        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "gamma", priority = 10)
    public static final class Gamma implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Gamma() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "alpha", priority = 1)
    public static final class AlphaImpostor implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public AlphaImpostor() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    public static final class Unannotated implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Unannotated() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "below-zero", priority = -1)
    public static final class BelowZero implements ResourceManagerProvider {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public BelowZero() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "org.jrcmgr.ResourceManagersTest$Beta", priority = 1)
    public static final class NamedLikeBetasClass implements ResourceManagerProvider {
        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    @ProviderInfo(name = "broken", priority = 100)
    public static final class Failing implements ResourceManagerProvider {
        public Failing() {
            throw new IllegalStateException("provider constructor failed");
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }

    public static final class NotAProvider {
    }

    static final AtomicBoolean WITNESS_INITIALISED = new AtomicBoolean();

    @ProviderInfo(name = "witness", priority = -5)
    public static final class StaticInitWitness implements ResourceManagerProvider {
        static {
            WITNESS_INITIALISED.set(true);
        }

        @Override
        public ResourceManager create() {
            return NullResourceManager.INSTANCE;
        }
    }
}
