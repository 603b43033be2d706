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

    /** deploy's parts (kubernetes, argo, gitops) sit below deploy: deploy uses them, never the other way round. */
    @Test
    void shouldKeepDeploySubpackagesBelowDeploy() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching(ROOT + ".deploy.(*)..").should().beFreeOfCycles().check(classes);
        noClasses().that().resideInAnyPackage(ROOT + ".deploy.kubernetes..", ROOT + ".deploy.argo..", ROOT + ".deploy.gitops..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".deploy").check(classes);
    }
}
