package io.trackline.systemtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dependency rules that hold Trackline's architecture, checked on the main classes of every module (their
 * bytecode, on this module's test classpath without their dependencies; see the pom):
 * <ol>
 * <li>{@code events}, the one home of the types that cross a topic, depends on no other Trackline module;</li>
 * <li>the libraries ({@code kafka-support}, {@code http-edge}) depend on no service;</li>
 * <li>a service (ingest-webhooks, normalizer, status-store, pollers, carrier-sim) depends on no other service, and
 * none on carrier-sim, the stand-in for the carriers;</li>
 * <li>inside each service: {@code rest → service → repository}, and {@code messaging → service}, never back: a
 * service never reaches into {@code rest} or {@code messaging}, a repository into nothing above it, {@code rest}
 * and {@code messaging} not into each other nor past the service into the repository.</li>
 * </ol>
 * Test classes are not checked: an IT may reach into any layer of its own service.
 */
class ArchitectureTest {

    static final String EVENTS = "io.trackline.events..";
    static final List<String> LIBRARIES = List.of("io.trackline.kafka..", "io.trackline.http..");

    /** Each service by its package root; carrier-sim is {@code sim}. */
    static final Map<String, String> SERVICES = Map.of(
            "ingest-webhooks", "io.trackline.ingest",
            "normalizer", "io.trackline.normalizer",
            "status-store", "io.trackline.store",
            "pollers", "io.trackline.pollers",
            "carrier-sim", "io.trackline.sim");

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // from target/classes or from the modules' jars, whichever the build put on the classpath
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.trackline");
    }

    static String[] allServices() {
        return SERVICES.values().stream().map(root -> root + "..").toArray(String[]::new);
    }

    @Test
    void theClassesOfEveryModuleAreChecked() {
        // a rule over no classes passes: make sure each module's classes were found
        for (String root : List.of(
                "io.trackline.events",
                "io.trackline.kafka",
                "io.trackline.http",
                "io.trackline.ingest",
                "io.trackline.normalizer",
                "io.trackline.store",
                "io.trackline.pollers",
                "io.trackline.sim")) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                    .as(root)
                    .isTrue();
        }
    }

    @Test
    void eventsDependsOnNoOtherTracklineModule() {
        String[] others = Stream.concat(
                        LIBRARIES.stream(),
                        Stream.concat(
                                Arrays.stream(allServices()),
                                Stream.of(
                                        "io.trackline.infra..",
                                        "io.trackline.testsupport..",
                                        "io.trackline.samples..")))
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage(EVENTS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("events holds the types that cross a topic; every module may use it, it uses none")
                .check(classes);
    }

    @Test
    void librariesDependOnNoService() {
        noClasses()
                .that()
                .resideInAnyPackage(LIBRARIES.toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(allServices())
                .because("kafka-support and http-edge are shared by every service")
                .check(classes);
    }

    static Stream<String> services() {
        return SERVICES.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aServiceDependsOnNoOtherService(String service) {
        String root = SERVICES.get(service);
        String[] others = SERVICES.values().stream()
                .filter(r -> !r.equals(root))
                .map(r -> r + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage(root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("services talk through Kafka topics and HTTP, never through each other's classes; "
                        + "carrier-sim stands in for the carriers and is no dependency of anything")
                .check(classes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void restThenServiceThenRepositoryAndMessagingThenServiceNeverBack(String service) {
        layers(SERVICES.get(service)).check(classes);
    }

    static ArchRule layers(String root) {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true) // not every service has every layer (ingest-webhooks has no repository)
                .layer("rest")
                .definedBy(root + ".rest..")
                .layer("messaging")
                .definedBy(root + ".messaging..")
                .layer("service")
                .definedBy(root + ".service..")
                .layer("repository")
                .definedBy(root + ".repository..")
                .whereLayer("rest")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("messaging")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("service")
                .mayOnlyBeAccessedByLayers("rest", "messaging")
                .whereLayer("repository")
                .mayOnlyBeAccessedByLayers("service");
    }
}
