package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.analysis.LocalPrometheus;

/** korea analyze's input checks and exit codes that need no Prometheus (the rest: AnalysisPrometheusTest). */
class AnalyzeCommandTest {

    static Path config(Path dir, String analysis) throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  backend:
                    paths: [be/**]
                environments:
                  production:
                    branches: [main]
                    namespace: shop-prod
                """ + analysis);
        return dir.resolve("korea.yaml");
    }

    @Test
    void shouldRefuseAnUnknownComponentWithExitTwo(@TempDir Path dir) throws Exception {
        config(dir, "analysis:\n  prometheus: http://127.0.0.1:9\n");

        ClockedCli run = ClockedCli.run(dir, Clock.systemUTC(), "analyze", "--component", "frontend", "--environment", "production");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--component frontend: no such component").contains("known: backend");
    }

    @Test
    void shouldRefuseABadDurationWithExitTwo(@TempDir Path dir) throws Exception {
        config(dir, "analysis:\n  prometheus: http://127.0.0.1:9\n");

        ClockedCli run = ClockedCli.run(dir, Clock.systemUTC(), "analyze", "--component", "backend", "--environment",
                "production", "--duration", "five minutes");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--duration five minutes");
    }

    @Test
    void shouldRefuseAnAnalysisWithNothingToCheck(@TempDir Path dir) throws Exception {
        config(dir, "");

        ClockedCli run = ClockedCli.run(dir, Clock.systemUTC(), "analyze", "--component", "backend", "--environment", "production");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("analysis has nothing to check");
    }

    @Test
    void shouldExitOneWhenPrometheusIsUnreachable(@TempDir Path dir) throws Exception {
        int port = LocalPrometheus.freePort();
        config(dir, "analysis:\n  prometheus: http://127.0.0.1:" + port + "\n");

        ClockedCli run = ClockedCli.run(dir, Clock.systemUTC(), "analyze", "--component", "backend", "--environment",
                "production", "--version", "v2");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("Analysis of backend in production (version v2): INCONCLUSIVE")
                .contains("error-rate").contains("error");
        assertThat(run.err()).contains("analysis inconclusive").contains("127.0.0.1:" + port + " is unreachable");
    }
}
