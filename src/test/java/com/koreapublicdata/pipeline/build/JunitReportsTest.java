package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitReportsTest {
    @TempDir
    Path dir;

    @Test
    void shouldNameFailedAndErroredTestCasesAcrossReports() throws Exception {
        Files.writeString(dir.resolve("node-test.xml"), """
                <?xml version="1.0" encoding="utf-8"?>
                <testsuites>
                  <testsuite name="greeting">
                    <testcase name="greets the named region" classname="greeting"><failure message="x"/></testcase>
                    <testcase name="falls back" classname="greeting"/>
                  </testsuite>
                </testsuites>
                """);
        Files.writeString(dir.resolve("pytest.xml"), """
                <testsuites><testsuite><testcase classname="tests.test_stats" name="test_mean"><error/></testcase>
                <testcase name="no class"><failure/></testcase></testsuite></testsuites>
                """);
        Files.writeString(dir.resolve("broken.xml"), "<testsuite><testcase");

        List<String> failed = JunitReports.failedTests(dir, List.of("node-test.xml", "pytest.xml", "broken.xml", "absent.xml"));

        assertThat(failed).containsExactly("greeting > greets the named region", "tests.test_stats > test_mean", "no class");
    }

    @Test
    void shouldRefuseDoctypesInReports() throws Exception {
        Files.writeString(dir.resolve("evil.xml"), """
                <?xml version="1.0"?>
                <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
                <testsuite><testcase name="&e;"><failure/></testcase></testsuite>
                """);

        assertThat(JunitReports.failedTests(dir, List.of("evil.xml"))).isEmpty();
    }
}
