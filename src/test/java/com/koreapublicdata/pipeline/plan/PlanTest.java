package com.koreapublicdata.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void shouldKeepItsOwnCopyOfEveryList() {
        List<String> changes = new ArrayList<>(List.of("web/a.js"));
        List<Plan.PlannedComponent> components = new ArrayList<>(List.of(
                new Plan.PlannedComponent("web", "node", null, null, null, null, changes)));
        List<String> submitters = new ArrayList<>(List.of("alice"));
        List<String> stages = new ArrayList<>(List.of("test", "build"));
        Plan plan = new Plan("development", "develop", "abc", components,
                new Plan.Approval(true, submitters, false, 60), stages, "why", null);

        changes.add("web/b.js");
        components.clear();
        submitters.add("mallory");
        stages.add("deploy");

        assertThat(plan.components()).hasSize(1);
        assertThat(plan.components().get(0).changes()).containsExactly("web/a.js");
        assertThat(plan.approval().submitters()).containsExactly("alice");
        assertThat(plan.stages()).containsExactly("test", "build");
        assertThatThrownBy(() -> plan.stages().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
