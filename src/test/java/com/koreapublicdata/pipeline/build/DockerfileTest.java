package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.koreapublicdata.pipeline.KoreaException;

class DockerfileTest {

    @Test
    void shouldReadTheFinalStageWithContinuationsAndArgs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, """
                # syntax=docker/dockerfile:1
                ARG NODE_VERSION=20
                FROM node:${NODE_VERSION} AS deps
                RUN npm ci
                FROM --platform=linux/amd64 node:${NODE_VERSION}-alpine
                ENV A=1 \\
                    B="two words"
                # a comment inside
                RUN echo one && \\
                    echo two
                CMD node server.js
                """);
        Dockerfile dockerfile = Dockerfile.read(file);
        assertThat(dockerfile.from()).isEqualTo("node:20-alpine");
        assertThat(dockerfile.stage()).extracting(Dockerfile.Instruction::keyword).containsExactly("ENV", "RUN", "CMD");
        assertThat(dockerfile.stage().get(1).arguments()).isEqualTo("echo one &&  echo two");
        assertThat(dockerfile.stage().get(1).line()).isEqualTo(9);
        assertThat(dockerfile.earlier()).extracting(Dockerfile.Instruction::keyword).containsExactly("FROM", "RUN");
        assertThat(Dockerfile.keyValues(dockerfile.stage().get(0).arguments())).containsEntry("A", "1")
                .containsEntry("B", "two words");
        assertThat(Dockerfile.commandLine("node server.js")).containsExactly("/bin/sh", "-c", "node server.js");
        assertThat(Dockerfile.commandLine("[\"node\", \"server.js\"]")).containsExactly("node", "server.js");
        assertThat(Dockerfile.keyValues("PORT 3000")).containsEntry("PORT", "3000");
    }

    @Test
    void shouldRefuseADockerfileWithoutFrom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, "RUN true\n");
        assertThatThrownBy(() -> Dockerfile.read(file)).isInstanceOf(KoreaException.class).hasMessageContaining("FROM");
    }

    @Test
    void shouldPlanLayersConfigAndSkippedInstructions(@TempDir Path context) throws Exception {
        Files.createDirectories(context.resolve("src/lib"));
        Files.writeString(context.resolve("package.json"), "{}");
        Files.writeString(context.resolve("package-lock.json"), "{}");
        Files.writeString(context.resolve("src/server.js"), "");
        Files.writeString(context.resolve("src/lib/util.js"), "");
        Files.writeString(context.resolve("src/secret.env"), "");
        Files.writeString(context.resolve(".dockerignore"), "**/*.env\nnode_modules\n");
        Path file = context.resolve("Dockerfile");
        Files.writeString(file, """
                FROM node:20-alpine
                WORKDIR /app
                COPY package*.json ./
                RUN npm ci --omit=dev
                COPY --chown=node:node src ./src
                COPY --from=builder /out /out
                ENV NODE_ENV=production PORT=3000
                WORKDIR srv
                EXPOSE 3000 9229/udp
                LABEL team=data
                USER node
                HEALTHCHECK CMD wget -q localhost:3000
                ENTRYPOINT ["node"]
                CMD ["src/server.js"]
                """);
        JibImageBuilder.Plan plan = JibImageBuilder.plan(Dockerfile.read(file), context);

        assertThat(plan.from()).isEqualTo("node:20-alpine");
        assertThat(plan.workdir()).isEqualTo("/app/srv");
        assertThat(plan.environment()).isEqualTo(Map.of("NODE_ENV", "production", "PORT", "3000"));
        assertThat(plan.ports()).containsExactly(Port.tcp(3000), Port.udp(9229));
        assertThat(plan.labels()).containsEntry("team", "data");
        assertThat(plan.user()).isEqualTo("node");
        assertThat(plan.entrypoint()).containsExactly("node");
        assertThat(plan.cmd()).containsExactly("src/server.js");
        assertThat(plan.layers()).hasSize(2);
        assertThat(targets(plan.layers().get(0).getEntries()))
                .containsExactly("/app/package-lock.json", "/app/package.json");
        assertThat(targets(plan.layers().get(1).getEntries()))
                .containsExactly("/app/src/lib", "/app/src/lib/util.js", "/app/src/server.js");
        assertThat(plan.layers().get(1).getEntries()).allSatisfy(e -> assertThat(e.getOwnership()).isEqualTo("node:node"));
        assertThat(plan.skipped()).anyMatch(s -> s.startsWith("line 4: RUN npm ci"))
                .anyMatch(s -> s.contains("COPY --from=builder"))
                .anyMatch(s -> s.startsWith("line 12: HEALTHCHECK"));
        assertThat(plan.warnings()).anyMatch(w -> w.contains("1 RUN instruction was skipped"));
    }

    @Test
    void shouldRefuseSourcesOutsideTheContext(@TempDir Path dir) throws Exception {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Path file = context.resolve("Dockerfile");
        Files.writeString(file, "FROM scratch\nCOPY ../secret /x\n");
        assertThatThrownBy(() -> JibImageBuilder.plan(Dockerfile.read(file), context))
                .isInstanceOf(KoreaException.class).hasMessageContaining("line 2").hasMessageContaining("outside");
        Files.writeString(file, "FROM scratch\nCOPY missing.txt /x\n");
        assertThatThrownBy(() -> JibImageBuilder.plan(Dockerfile.read(file), context))
                .isInstanceOf(KoreaException.class).hasMessageContaining("does not exist");
    }

    private static List<String> targets(List<FileEntry> entries) {
        return entries.stream().map(e -> e.getExtractionPath().toString()).toList();
    }
}
