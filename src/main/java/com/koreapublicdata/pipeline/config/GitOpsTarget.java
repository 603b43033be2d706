package com.koreapublicdata.pipeline.config;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a GitOps deploy writes the new image: a git repository, a branch and an overlay. Argo CD (or any
 * GitOps controller) then applies it.
 */
public record GitOpsTarget(
        @Doc(value = "Repository URL or local path (relative to korea.yaml).", defaultValue = ".korea/gitops (a local repository korea creates)")
                String repository,
        @Doc(value = "Branch to commit to.", defaultValue = "main") String branch,
        @Doc(value = "Overlay directory inside the repository.", defaultValue = "environments/{environment}") String path,
        @Doc(value = "kustomize (images: in kustomization.yaml) or helm (a values file).", defaultValue = "kustomize")
                Format format,
        @Doc(value = "Helm values file inside the overlay.", defaultValue = "values.yaml") String valuesFile,
        @Doc(value = "Dotted path of the image in the Helm values; {component} is filled in.",
                defaultValue = "{component}.image") String valuesPath,
        @Doc("Argo CD Application to wait for after the push (in the environment's cluster).") String application,
        @Doc(value = "Namespace of the Argo CD Application.", defaultValue = "argocd") String applicationNamespace,
        @Doc(value = "How long to wait for the Application to sync and be healthy.", defaultValue = "10m") Duration timeout) {

    public enum Format {
        KUSTOMIZE, HELM;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public GitOpsTarget {
        repository = repository == null ? ".korea/gitops" : repository;
        branch = branch == null ? "main" : branch;
        format = format == null ? Format.KUSTOMIZE : format;
        valuesFile = valuesFile == null ? "values.yaml" : valuesFile;
        valuesPath = valuesPath == null ? "{component}.image" : valuesPath;
        applicationNamespace = applicationNamespace == null ? "argocd" : applicationNamespace;
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
    }

    GitOpsTarget resolve(String environmentName) {
        return new GitOpsTarget(repository, branch, path == null ? "environments/" + environmentName : path, format,
                valuesFile, valuesPath, application, applicationNamespace, timeout);
    }

    /**
     * Why {@code branch} is not a branch name git accepts (git check-ref-format), or empty. korea validate reports it
     * with its line; a promotion never gets to git with it.
     */
    public static java.util.Optional<String> branchProblem(String branch) {
        if (branch.isBlank() || branch.chars().anyMatch(c -> c <= ' ' || c == 127 || "~^:?*[\\".indexOf(c) >= 0)
                || branch.contains("..") || branch.contains("@{") || branch.contains("//") || branch.startsWith("/")
                || branch.startsWith("-") || branch.endsWith("/") || branch.endsWith(".") || branch.endsWith(".lock")
                || branch.equals("@") || java.util.Arrays.stream(branch.split("/")).anyMatch(p -> p.startsWith("."))) {
            return java.util.Optional.of("'" + branch + "' is not a git branch name (no spaces, ~ ^ : ? * [ \\, '..', '@{', "
                    + "or a part starting with '.'; e.g. main or deploy/staging)");
        }
        return java.util.Optional.empty();
    }

    /**
     * Why {@code path} (gitops.path or gitops.valuesFile) leaves the repository, or empty: the overlay must stay inside
     * it, so a {@code ..} part is refused (a leading {@code /} means the repository root).
     */
    public static java.util.Optional<String> pathProblem(String path) {
        String normalized = path.replace('\\', '/');
        if (java.util.Arrays.asList(normalized.split("/")).contains("..")) {
            return java.util.Optional.of("'" + path + "' must stay inside the repository (no ..)");
        }
        return java.util.Optional.empty();
    }

    /** Why {@code valuesPath} is not dotted keys, or empty. */
    public static java.util.Optional<String> valuesPathProblem(String valuesPath) {
        if (java.util.Arrays.stream(valuesPath.replace("{component}", "c").split("\\.", -1)).anyMatch(String::isBlank)) {
            return java.util.Optional.of("'" + valuesPath + "' must be dotted keys, e.g. {component}.image");
        }
        return java.util.Optional.empty();
    }

    static GitOpsTarget localDefault() {
        return new GitOpsTarget(null, null, null, null, null, null, null, null, null);
    }
}
