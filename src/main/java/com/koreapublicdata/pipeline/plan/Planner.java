package com.koreapublicdata.pipeline.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.koreapublicdata.pipeline.Glob;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;

/**
 * Turns configuration, branch and change list into a {@link Plan}. Pure: no files, no git, no clock, so every
 * branch/path combination can be tested directly.
 */
public final class Planner {

    public Plan plan(KoreaConfig config, PlanRequest request) {
        Optional<Environment> environment = environmentFor(config, request.branch());
        List<Plan.PlannedComponent> components = new ArrayList<>();
        boolean everything = request.changedFiles() == null || request.changedFiles().contains(request.configFile());
        for (Component component : config.components().values()) {
            List<String> matched = everything ? List.of() : matching(component, request.changedFiles());
            if (everything || !matched.isEmpty()) {
                components.add(planned(component, environment.orElse(null), matched));
            }
        }
        List<String> stages = new ArrayList<>();
        if (!components.isEmpty()) {
            stages.addAll(List.of("test", "build", "scan"));
        }
        Plan.Approval approval = environment.map(e -> new Plan.Approval(e.approval().required(),
                e.approval().submitters(), e.approval().usersOnly(), e.approval().timeout().toMinutes(), e.approval().quorum(),
                e.approval().allowSelfApproval(), e.approval().signingKeyRequired()))
                .orElse(new Plan.Approval(false, List.of(), false, 0));
        if (environment.isPresent() && !components.isEmpty()) {
            if (approval.required()) {
                stages.add("approve");
            }
            stages.add("deploy");
        }
        return new Plan(environment.map(Environment::name).orElse(null), request.branch(), request.commit(), components,
                approval, stages, reason(environment, request, everything, components), pipeline(config, components),
                policy(config, environment.orElse(null), approval), environment.map(Planner::waves).orElse(List.of()));
    }

    private static List<Plan.WaveStep> waves(Environment environment) {
        List<Plan.WaveStep> out = new java.util.ArrayList<>();
        for (int i = 0; i < environment.waves().size(); i++) {
            var w = environment.waves().get(i);
            out.add(new Plan.WaveStep(i + 1, w.clusters(), w.soak().toSeconds()));
        }
        return out;
    }

    /** The flow policy of the branch's environment (none: a branch that deploys nowhere still scans, fail closed). */
    static Plan.Policy policy(KoreaConfig config, Environment environment, Plan.Approval approval) {
        boolean maySkip = environment != null && environment.allowMissingScanner();
        Plan.ScanPolicy scan = new Plan.ScanPolicy(maySkip ? Plan.ScanRule.MAY_SKIP_WHEN_NO_SCANNER : Plan.ScanRule.REQUIRED,
                config.scan().tools().stream().map(com.koreapublicdata.pipeline.config.ScanTool::id).toList(),
                environment != null && environment.requireScan());
        return new Plan.Policy(scan, approval.required() ? Plan.Requirement.REQUIRED : Plan.Requirement.NONE,
                environment == null ? "none" : environment.isGitOps() ? "gitops" : "kubernetes");
    }

    private static Plan.Pipeline pipeline(KoreaConfig config, List<Plan.PlannedComponent> planned) {
        String podYaml = null;
        if (config.jenkins().kubernetesAgent()) {
            List<com.koreapublicdata.pipeline.config.TestService> services = planned.stream()
                    .flatMap(p -> config.components().get(p.name()).services().values().stream()).toList();
            podYaml = new PodTemplate().render(config.jenkins().podTemplate(), services);
        }
        return new Plan.Pipeline(config.jenkins().agent(), config.jenkins().kubernetesAgent(),
                config.jenkins().podTemplate(), config.notifications().via().id(),
                config.jenkins().slackCredentialsId(), config.notifications().enabled(), podYaml);
    }

    /** The environment a branch deploys to: the first whose branches match, in korea.yaml order. */
    public Optional<Environment> environmentFor(KoreaConfig config, String branch) {
        if (branch == null) {
            return Optional.empty();
        }
        String name = branch.startsWith("refs/heads/") ? branch.substring("refs/heads/".length()) : branch;
        for (Environment environment : config.environments().values()) {
            for (String pattern : environment.branches()) {
                if (new Glob(pattern).matches(name)) {
                    return Optional.of(environment);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> matching(Component component, List<String> changed) {
        List<Glob> globs = component.paths().stream().map(Glob::new).toList();
        return changed.stream().filter(path -> globs.stream().anyMatch(g -> g.matches(path))).toList();
    }

    private static Plan.PlannedComponent planned(Component component, Environment environment, List<String> matched) {
        if (environment == null) {
            return new Plan.PlannedComponent(component.name(), component.kind().id(), null, null, null, null, matched);
        }
        DeploySettings deploy = environment.deployment(component.name());
        return new Plan.PlannedComponent(component.name(), component.kind().id(), deploy.strategy(),
                environment.isGitOps() ? "gitops" : "kubernetes", environment.namespace(), deploy.workload(), matched);
    }

    private static String reason(Optional<Environment> environment, PlanRequest request, boolean everything,
            List<Plan.PlannedComponent> components) {
        String where = environment.map(e -> "branch '" + request.branch() + "' deploys to " + e.name())
                .orElse("branch '" + request.branch() + "' deploys nowhere (no environment lists it)");
        String what;
        if (request.changedFiles() == null) {
            what = "no change list, so every component is affected";
        } else if (everything) {
            what = request.configFile() + " changed, so every component is affected";
        } else if (components.isEmpty()) {
            what = "no changed file matches a component's paths";
        } else {
            what = components.size() + " component(s) affected by the changed files";
        }
        return where + "; " + what;
    }
}
