package io.weft.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of Weft's modules and packages, checked on their compiled main classes (tests excluded): what
 * {@code docs/architecture.md} promises, kept true by the build.
 */
@AnalyzeClasses(packages = "io.weft", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    /** Every module's root package. */
    private static final String[] MODULES = {"io.weft.api", "io.weft.instrument", "io.weft.resources", "io.weft.wire",
        "io.weft.log", "io.weft.runtime.worker", "io.weft.runtime.master"};

    @ArchTest
    static final ArchRule nettyTypes_areUsedOnlyInsideWire = noClasses()
            .that().resideOutsideOfPackage("io.weft.wire..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the transport is wire's business: the runtimes speak in messages, not buffers and channels");

    @ArchTest
    static final ArchRule log4jTypes_areUsedOnlyInsideTheLog = noClasses()
            .that().resideOutsideOfPackage("io.weft.log..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.logging..")
            .because("log4j2 loads only when a run has a log file, and only io.weft.log knows when");

    @ArchTest
    static final ArchRule theLog_knowsNothingElseOfWeft = noClasses()
            .that().resideInAPackage("io.weft.log..")
            .should().dependOnClassesThat().resideInAnyPackage("io.weft.api..", "io.weft.instrument..",
                    "io.weft.resources..", "io.weft.wire..", "io.weft.runtime..")
            .because("master, workers and wire all log through it");

    @ArchTest
    static final ArchRule theApi_importsNothingOfWeft = noClasses()
            .that().resideInAPackage("io.weft.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.weft.instrument..", "io.weft.resources..",
                    "io.weft.wire..", "io.weft.runtime..", "io.weft.log..")
            .because("applications compile against the api alone");

    @ArchTest
    static final ArchRule theInstrumenter_reachesTheRuntimeOnlyThroughTheApi = noClasses()
            .that().resideInAPackage("io.weft.instrument..")
            .should().dependOnClassesThat().resideInAnyPackage("io.weft.resources..", "io.weft.wire..",
                    "io.weft.runtime..", "io.weft.log..")
            .because("rewritten classes call the api's SPI, never runtime internals");

    @ArchTest
    static final ArchRule theWorker_neverImportsTheMaster = noClasses()
            .that().resideInAPackage("io.weft.runtime.worker..")
            .should().dependOnClassesThat().resideInAPackage("io.weft.runtime.master..")
            .because("a worker process runs without the master's code");

    @ArchTest
    static final ArchRule wireAndResources_knowNoRuntime = noClasses()
            .that().resideInAnyPackage("io.weft.wire..", "io.weft.resources..")
            .should().dependOnClassesThat().resideInAnyPackage("io.weft.runtime..", "io.weft.instrument..");

    @ArchTest
    static void noModule_reachesIntoAnotherModulesInternalPackages(com.tngtech.archunit.core.domain.JavaClasses classes) {
        for (String module : MODULES) {
            noClasses().that().resideOutsideOfPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage(module + "..internal..")
                    .because("an internal package is its module's own")
                    .check(classes);
        }
    }

    @ArchTest
    static final ArchRule theMastersSubPackages_sitBelowItsCore = noClasses()
            .that().resideInAnyPackage("io.weft.runtime.master.gateway..", "io.weft.runtime.master.remote..",
                    "io.weft.runtime.master.launch..", "io.weft.runtime.master.task..",
                    "io.weft.runtime.master.config..")
            .should().dependOnClassesThat().resideInAPackage("io.weft.runtime.master")
            .because("the facade, analyser and graph use the sub-packages, not the other way round");

    @ArchTest
    static final ArchRule theMastersSubPackages_areFreeOfCycles = slices()
            .matching("io.weft.runtime.master.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theWorkersSubPackages_areFreeOfCycles = slices()
            .matching("io.weft.runtime.worker.(*)..").should().beFreeOfCycles();
}
