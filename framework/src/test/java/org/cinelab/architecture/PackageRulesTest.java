package org.cinelab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph stays a graph without cycles, read from the compiled classes (so a fully
 * qualified reference counts as much as an import): no package uses one that uses it back, the
 * neutral packages depend on nothing of ours, and the layers point one way.
 */
class PackageRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.cinelab");
    }

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt() {
        slices().matching("org.cinelab.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void hyperparameterDefinitionsAndIoHelpersAreNeutral() {
        noClasses().that().resideInAnyPackage("org.cinelab.space..", "org.cinelab.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.cinelab.data..", "org.cinelab.models..",
                        "org.cinelab.spec..", "org.cinelab.search..", "org.cinelab.runner..", "org.cinelab.tracking..",
                        "org.cinelab.report..", "org.cinelab.cli..")
                .check(classes);
    }

    @Test
    void theSearchEngineKnowsNothingOfSpecsModelsDataOrTheRunner() {
        noClasses().that().resideInAPackage("org.cinelab.search..")
                .should().dependOnClassesThat().resideInAnyPackage("org.cinelab.spec..", "org.cinelab.runner..",
                        "org.cinelab.models..", "org.cinelab.data..", "org.cinelab.tracking..", "org.cinelab.cli..")
                .check(classes);
    }

    @Test
    void modelsAndDataNeverReachUpIntoTheRunnerSpecOrCli() {
        noClasses().that().resideInAnyPackage("org.cinelab.models..", "org.cinelab.data..", "org.cinelab.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("org.cinelab.runner..", "org.cinelab.spec..",
                        "org.cinelab.cli..", "org.cinelab.search..", "org.cinelab.report..")
                .check(classes);
    }

    @Test
    void onlyTheCliUsesTheCli() {
        noClasses().that().resideOutsideOfPackage("org.cinelab.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.cinelab.cli..")
                .check(classes);
    }

    @Test
    void chartsAreNotPartOfTheReport() {
        noClasses().that().resideOutsideOfPackages("org.cinelab.report..", "org.cinelab.cli..", "org.cinelab.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.cinelab.report..")
                .check(classes);
    }
}
