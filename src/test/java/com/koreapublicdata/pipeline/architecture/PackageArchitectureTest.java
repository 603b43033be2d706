package com.koreapublicdata.pipeline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The package map of docs/architecture.md, enforced. */
class PackageArchitectureTest {
    private static final String ROOT = "com.koreapublicdata.pipeline";
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void shouldKeepCapabilitiesFreeOfTheCli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", "picocli..")
                .check(classes);
    }

    @Test
    void shouldKeepConfigAndPlanAtTheBottom() {
        noClasses().that().resideInAnyPackage(ROOT + ".config..", ROOT + ".plan..", ROOT + ".history..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".build..", ROOT + ".scan..", ROOT + ".deploy..",
                        ROOT + ".analysis..", ROOT + ".notify..", ROOT + ".metrics..", ROOT + ".run..")
                .check(classes);
        noClasses().that().resideInAnyPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".plan..", "org.eclipse.jgit..", "io.fabric8..")
                .check(classes);
    }

    @Test
    void shouldKeepTheDomainFreeOfJenkins() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..")
                .check(classes);
    }
}
