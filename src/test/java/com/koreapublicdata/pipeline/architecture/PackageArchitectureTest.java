package com.koreapublicdata.pipeline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.deploy.ArchitectureViolationFixture;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package map of docs/architecture.md, enforced: each package may use only the packages its row names (and
 * its own subpackages), the subpackages of deploy stay below deploy, and no two packages depend on each other in
 * a cycle. {@link #shouldFailOnADeliberatelyForbiddenImport} proves once that the rules catch a bad import.
 */
class PackageArchitectureTest {
    private static final String ROOT = "com.koreapublicdata.pipeline";
    /** The root package's own classes (ExitCode, Outcome, KoreaException, Version, Glob, Sleeper). */
    private static final String BASE = "";

    /** docs/architecture.md, "Packages": package → the project packages it may use. */
    static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("config", Set.of(BASE));
        MAY_USE.put("history", Set.of(BASE));
        MAY_USE.put("plan", Set.of(BASE, "config"));
        MAY_USE.put("build", Set.of(BASE, "config"));
        MAY_USE.put("scan", Set.of(BASE, "config"));
        MAY_USE.put("analysis", Set.of(BASE, "config"));
        MAY_USE.put("notify", Set.of(BASE, "config"));
        MAY_USE.put("metrics", Set.of(BASE, "config", "history"));
        MAY_USE.put("control", Set.of(BASE, "config", "history"));
        MAY_USE.put("deploy", Set.of(BASE, "config", "control", "history", "build"));
        MAY_USE.put("run", Set.of(BASE, "config", "plan", "build", "scan"));
        MAY_USE.put("wiring", Set.of(BASE, "config", "history", "build", "deploy", "scan", "analysis", "notify", "metrics"));
    }

    /** Every top-level package of the engine (cli may use all of them). */
    private static final List<String> PACKAGES = List.of("config", "history", "plan", "build", "scan", "analysis", "notify",
            "metrics", "control", "deploy", "run", "wiring", "cli");

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    /** The rules of one row: classes of {@code pkg} use no project package outside {@code allowed}. */
    static ArchRule mayUseOnly(String pkg, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (String other : PACKAGES) {
            if (!other.equals(pkg) && !allowed.contains(other)) {
                forbidden.add(ROOT + "." + other + "..");
            }
        }
        ArchRule rule = noClasses().that().resideInAPackage(ROOT + "." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new));
        if ("deploy".equals(pkg)) {
            // the one exception: a canary's baseline comparison is carried in PromotionResult.comparison (public API)
            rule = noClasses().that().resideInAPackage(ROOT + ".deploy..").should().dependOnClassesThat(
                    DescribedPredicate.describe("outside config, control, history, build and analysis.BaselineVerdict",
                            (JavaClass c) -> c.getPackageName().startsWith(ROOT + ".analysis")
                                    ? !c.getName().startsWith(ROOT + ".analysis.BaselineVerdict")
                                    : forbidden.stream().anyMatch(f -> (c.getPackageName() + ".").startsWith(
                                            f.substring(0, f.length() - 1)))));
        }
        return rule.because("docs/architecture.md lets " + pkg + " use only " + allowed);
    }

    @Test
    void shouldKeepEveryPackageToItsRowOfThePackageTable() {
        MAY_USE.forEach((pkg, allowed) -> mayUseOnly(pkg, allowed).check(classes));
    }

    @Test
    void shouldKeepTheRootPackageFreeOfEveryOtherPackage() {
        noClasses().that().resideInAPackage(ROOT).should().dependOnClassesThat().resideInAnyPackage(
                PACKAGES.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new)).check(classes);
    }

    @Test
    void shouldKeepDeploysSubpackagesBelowDeploy() {
        noClasses().that().resideInAnyPackage(ROOT + ".deploy.kubernetes..", ROOT + ".deploy.argo..", ROOT + ".deploy.gitops..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".deploy").check(classes);
        noClasses().that().resideInAPackage(ROOT + ".deploy.kubernetes..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".deploy.argo..", ROOT + ".deploy.gitops..")
                .check(classes);
        noClasses().that().resideInAPackage(ROOT + ".deploy.gitops..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".deploy.argo..", ROOT + ".deploy.kubernetes..")
                .check(classes);
        noClasses().that().resideInAPackage(ROOT + ".deploy.argo..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".deploy.gitops..").check(classes);
    }

    @Test
    void shouldHaveNoCyclesBetweenPackagesOrSubpackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(ROOT + ".deploy.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldKeepCapabilitiesFreeOfTheCli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", "picocli..")
                .check(classes);
    }

    @Test
    void shouldKeepConfigFreeOfGitAndKubernetes() {
        noClasses().that().resideInAnyPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jgit..", "io.fabric8..")
                .check(classes);
    }

    @Test
    void shouldKeepTheDomainFreeOfJenkins() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..")
                .check(classes);
    }

    @Test
    void shouldFailOnADeliberatelyForbiddenImport() {
        // a class under src/test in package deploy that uses notify: the deploy row must refuse it
        JavaClasses bad = new ClassFileImporter().importClasses(ArchitectureViolationFixture.class);
        assertThat(bad.contain(ArchitectureViolationFixture.class)).isTrue();

        assertThatThrownBy(() -> mayUseOnly("deploy", MAY_USE.get("deploy")).check(bad)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ArchitectureViolationFixture").hasMessageContaining("notify.NotificationEvent");
        // and the same rule passes the real deploy package, so it is the import that fails it
        mayUseOnly("deploy", MAY_USE.get("deploy")).check(classes);
    }
}
