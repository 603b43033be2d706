package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Main wires only the command being run; help, the reference and a mistyped name still see every command. */
class LazyWiringTest {
    @Test
    void shouldWireOnlyTheNamedCommand() {
        assertThat(Main.commandsFor("version", "--format", "json")).containsExactly(VersionCommand.class);
        assertThat(Main.commandsFor("plan", "--branch", "develop")).containsExactly(PlanCommand.class);
    }

    @Test
    void shouldNameEachCommandAsItsAnnotationDoes() {
        for (Class<?> command : Main.commandsFor()) {
            assertThat(Main.nameOf(command)).as(command.getName())
                    .isEqualTo(command.getAnnotation(CommandLine.Command.class).name());
        }
    }

    @Test
    void shouldWireEveryCommandForHelpTheReferenceAndUnknownNames() {
        List<Class<?>> all = Main.commandsFor();
        assertThat(all).hasSize(18).contains(ValidateCommand.class, ApprovalCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class);
        assertThat(Main.commandsFor("--help")).isEqualTo(all);
        assertThat(Main.commandsFor("help", "plan")).isEqualTo(all);
        assertThat(Main.commandsFor("reference")).isEqualTo(all);
        assertThat(Main.commandsFor("plna")).isEqualTo(all);
    }

    @Test
    void shouldStillListEveryCommandInTheUsageAndRefuseATypo() {
        CliRun help = CliRun.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("validate", "plan", "build", "scan", "promote", "approval", "rollout", "rollback", "status",
                "history", "analyze", "notify", "kpi", "run", "schema", "reference", "version");

        CliRun typo = CliRun.run("plna");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("'plna'", "korea --help");
    }

    @Test
    void shouldRunASingleWiredCommandAndItsHelp() {
        CliRun version = CliRun.run("version", "--format", "json");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("\"version\"");

        CliRun planHelp = CliRun.run("plan", "--help");
        assertThat(planHelp.exitCode()).isZero();
        assertThat(planHelp.out()).contains("--branch", "Exit codes:");
    }
}
