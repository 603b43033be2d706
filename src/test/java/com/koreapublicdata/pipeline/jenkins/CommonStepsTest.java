package com.koreapublicdata.pipeline.jenkins;

import groovy.lang.GroovyClassLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** House rules every vars/ step keeps (style.md habits 9 and 10). */
class CommonStepsTest {
    private static final Path VARS = Canned.libraryRoot().resolve("vars");
    /** The one-line flow and the shared CLI helper may be longer; every other step stays thin. */
    private static final Set<String> LONG_ALLOWED = Set.of("koreaPipeline", "koreaCli");
    /** The same pattern the repository's before-stop hook greps for. */
    private static final Pattern INTERPOLATED_SH = Pattern.compile("(sh|bat)\\s*\\(?\\s*(script:\\s*)?\"[^\"]*\\$\\{");
    private static final Pattern DEFAULT_KEY = Pattern.compile("^\\s+(\\w+): .*?,\\s*//", Pattern.MULTILINE);

    @TestFactory
    Stream<DynamicTest> shouldKeepTheHouseRulesInEveryStep() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(VARS)) {
            files = list.filter(f -> f.toString().endsWith(".groovy")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains("koreaBuild.groovy", "koreaScan.groovy",
                "koreaPromote.groovy", "koreaRollback.groovy", "koreaNotify.groovy", "koreaPipeline.groovy");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".groovy", "");
        String source = Files.readString(file);
        assertThat(source).as("STEP_NAME").contains("@Field String STEP_NAME = '" + name + "'");
        assertThat(INTERPOLATED_SH.matcher(source).find()).as("sh \"...${...}\" in " + name).isFalse();
        if (!LONG_ALLOWED.contains(name)) {
            assertThat(source.lines().count()).as("lines of " + name).isLessThanOrEqualTo(60);
        }
        try (GroovyClassLoader loader = new GroovyClassLoader()) {
            for (Method m : loader.parseClass(source, name + ".groovy").getDeclaredMethods()) {
                if (m.getName().equals("call")) {
                    assertThat(m.getReturnType()).as("return type of " + name + ".call").isEqualTo(void.class);
                }
            }
        }
        Path help = file.resolveSibling(name + ".txt");
        assertThat(help).as("help page").exists();
        String page = Files.readString(help);
        assertThat(page).contains("Examples:", "<pre><code>");
        for (String key : defaultKeys(source)) {
            assertThat(page).as(name + ".txt documents " + key).containsPattern("<code>\\w+ " + key + "</code>");
        }
    }

    private static List<String> defaultKeys(String source) {
        List<String> keys = new ArrayList<>();
        int start = source.indexOf("defaultConfig = [");
        if (start < 0) {
            return keys;
        }
        Matcher m = DEFAULT_KEY.matcher(source.substring(start, source.indexOf("\n]", start)));
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).as("defaultConfig keys").isNotEmpty();
        return keys;
    }
}
