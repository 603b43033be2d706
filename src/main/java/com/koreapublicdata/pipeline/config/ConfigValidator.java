package com.koreapublicdata.pipeline.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a korea.yaml tree against the model records by reflection, so adding a field to a record is all it
 * takes to accept it, and every error names its line, column and field path. Then checks what types alone
 * cannot say (references between sections, canary step order, ...).
 */
final class ConfigValidator {
    static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    private static final Set<String> STATUSES = Set.of("unknown", "not_affected", "affected", "fixed",
            "under_investigation", "will_not_fix", "fix_deferred", "end_of_life");

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ConfigValidator(Path file) {
        this.file = file;
    }

    List<ConfigProblem> validate(YamlNode root) {
        if (root.kind != YamlNode.Kind.MAP) {
            problem(root, "", "the file must be a mapping with project, components and environments; found " + root.describe());
            return problems;
        }
        checkType(root, KoreaConfig.class, "");
        checkReferences(root); // written to tolerate the type errors already reported
        return problems;
    }

    // ---- structure ----------------------------------------------------------------------------------------

    private void checkType(YamlNode node, Type type, String path) {
        if (node.kind == YamlNode.Kind.NULL) {
            return; // an empty value means "use the default"
        }
        Class<?> raw = raw(type);
        if (raw == Wave.class) {
            checkWave(node, path);
        } else if (raw.isRecord()) {
            checkRecord(node, raw, path);
        } else if (Map.class.isAssignableFrom(raw)) {
            checkMap(node, ((ParameterizedType) type).getActualTypeArguments()[1], path);
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            if (node.kind == YamlNode.Kind.LIST) {
                for (int i = 0; i < node.list.size(); i++) {
                    YamlNode item = node.list.get(i);
                    if (item.kind == YamlNode.Kind.NULL) {
                        problem(item, path + "[" + i + "]", "an empty item; give it a value or remove it");
                    } else {
                        checkType(item, element, path + "[" + i + "]");
                    }
                }
            } else if (node.isScalar() && !raw(element).isRecord()) {
                checkType(node, element, path); // a single value stands for a list of one
            } else {
                problem(node, path, "expected a list, found " + node.describe());
            }
        } else {
            checkScalar(node, raw, path);
        }
    }

    private void checkRecord(YamlNode node, Class<?> record, String path) {
        if (node.kind != YamlNode.Kind.MAP) {
            problem(node, path, "expected a mapping with keys " + keys(record) + ", found " + node.describe());
            return;
        }
        Map<String, RecordComponent> components = new HashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (!derived(record, c.getName())) {
                components.put(c.getName(), c);
            }
        }
        node.map.forEach((key, value) -> {
            RecordComponent c = components.get(key);
            String child = join(path, key);
            if (c == null) {
                int[] at = node.keyPositions.get(key);
                String hint = suggest(key, components.keySet()).map(s -> "did you mean '" + s + "'? ").orElse("");
                problems.add(new ConfigProblem(file, at[0], at[1], child, "unknown key '" + key + "'; " + hint
                        + "allowed here: " + keys(record)));
            } else {
                checkType(value, c.getGenericType(), child);
                Doc doc = c.getAnnotation(Doc.class);
                if (doc != null && !doc.pattern().isEmpty() && value.isScalar() && value.kind != YamlNode.Kind.NULL
                        && !value.text.matches(doc.pattern())) {
                    problem(value, child, "'" + value.text + "' does not match " + doc.pattern() + " (" + doc.value() + ")");
                }
            }
        });
        for (RecordComponent c : record.getRecordComponents()) {
            Doc doc = c.getAnnotation(Doc.class);
            YamlNode value = node.map.get(c.getName());
            if (doc != null && doc.required() && (value == null || value.kind == YamlNode.Kind.NULL)) {
                problem(node, join(path, c.getName()), "required key is missing (" + doc.value() + ")");
            }
        }
    }

    private void checkMap(YamlNode node, Type valueType, String path) {
        if (node.kind != YamlNode.Kind.MAP) {
            problem(node, path, "expected a mapping of names to settings, found " + node.describe());
            return;
        }
        node.map.forEach((key, value) -> {
            if (raw(valueType).isRecord() && !key.matches(NAME_PATTERN)) {
                int[] at = node.keyPositions.get(key);
                problems.add(new ConfigProblem(file, at[0], at[1], join(path, key), "name '" + key
                        + "' is not allowed: use lower-case letters, digits and '-' (it becomes part of Kubernetes names)"));
            }
            checkType(value, valueType, join(path, key));
        });
    }

    private void checkScalar(YamlNode node, Class<?> type, String path) {
        if (!node.isScalar()) {
            problem(node, path, "expected " + expected(type) + ", found " + node.describe());
            return;
        }
        boolean ok;
        if (type == String.class) {
            ok = true;
        } else if (type == Integer.class) {
            ok = node.kind == YamlNode.Kind.INTEGER;
            // digits that fit an int: YAML 1.1's 1_000 or 0x1F and a number too large fail here, with their line
            if (ok && !fitsAnInt(node.text)) {
                problem(node, path, "expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                        + " written in digits, found " + node.text);
                return;
            }
        } else if (type == Double.class) {
            ok = node.kind == YamlNode.Kind.INTEGER || node.kind == YamlNode.Kind.DECIMAL;
            if (ok && !finite(node.text)) {
                problem(node, path, "expected a number written in digits, found " + node.text);
                return;
            }
        } else if (type == Boolean.class) {
            // YAML 1.1's yes/no/on/off parse as booleans too; read as text they would all mean false
            ok = node.kind == YamlNode.Kind.BOOLEAN
                    && (node.text.equalsIgnoreCase("true") || node.text.equalsIgnoreCase("false"));
        } else if (type == Duration.class) {
            Optional<Duration> duration = Durations.parse(node.text);
            ok = duration.isPresent();
            // a zero timeout fails every command or request at once, a zero interval never waits: both are mistakes
            if (ok && duration.get().isZero() && (path.endsWith("timeout") || path.endsWith("interval"))) {
                problem(node, path, "must be longer than 0s, found '" + node.text + "'");
                return;
            }
        } else if (type.isEnum()) {
            ok = enumValue(type, node.text).isPresent();
            if (!ok) {
                String hint = suggest(node.text.toLowerCase(Locale.ROOT), enumNames(type))
                        .map(s -> "did you mean '" + s + "'? ").orElse("");
                problem(node, path, node.describe() + " is not allowed; " + hint + "allowed: " + String.join(", ", enumNames(type)));
                return;
            }
        } else {
            throw new IllegalStateException("no validation for " + type);
        }
        if (!ok) {
            problem(node, path, "expected " + expected(type) + ", found " + node.describe());
        }
    }

    private static boolean finite(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false; // YAML 1.1's 1_000.5
        }
    }

    private static boolean fitsAnInt(String text) {
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String expected(Class<?> type) {
        if (type == Integer.class) {
            return "a whole number";
        } else if (type == Double.class) {
            return "a number";
        } else if (type == Boolean.class) {
            return "true or false";
        } else if (type == Duration.class) {
            return "a duration such as 30s, 10m, 1h30m or whole seconds";
        } else if (type.isEnum()) {
            return "one of " + String.join(", ", enumNames(type));
        }
        return "a text value";
    }

    static Optional<Object> enumValue(Class<?> type, String text) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> ((Enum<?>) e).name().equalsIgnoreCase(text.replace("-", "_")))
                .findFirst().map(e -> e);
    }

    static List<String> enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> type == Severity.class ? ((Enum<?>) e).name()
                : ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    }

    // ---- references and rules types cannot express ------------------------------------------------------------

    private void checkReferences(YamlNode root) {
        YamlNode components = root.map.get("components");
        YamlNode environments = root.map.get("environments");
        Set<String> componentNames = components == null || components.map == null ? Set.of() : components.map.keySet();
        if (components != null && components.map != null && components.map.isEmpty()) {
            problem(components, "components", "needs at least one component");
        }
        if (components != null && components.map != null) {
            components.map.forEach((name, c) -> {
                YamlNode paths = c.map == null ? null : c.map.get("paths");
                if (paths != null && paths.kind == YamlNode.Kind.LIST && paths.list.isEmpty()) {
                    problem(paths, "components." + name + ".paths", "needs at least one path glob such as " + name + "/**");
                }
                checkServices(c.map == null ? null : c.map.get("services"), "components." + name + ".services");
            });
        }
        if (environments == null || environments.map == null) {
            return;
        }
        if (environments.map.isEmpty()) {
            problem(environments, "environments", "needs at least one environment");
        }
        Map<String, String> branchOwner = new HashMap<>();
        environments.map.forEach((envName, env) -> {
            String envPath = "environments." + envName;
            if (env.map == null) {
                return;
            }
            YamlNode branches = env.map.get("branches");
            if (branches != null) {
                List<YamlNode> items = branches.kind == YamlNode.Kind.LIST ? branches.list : List.of(branches);
                if (items.isEmpty()) {
                    problem(branches, envPath + ".branches", "needs at least one branch");
                }
                for (YamlNode b : items) {
                    String previous = b.text == null ? null : branchOwner.putIfAbsent(b.text, envName);
                    if (previous != null) {
                        problem(b, envPath + ".branches", "branch '" + b.text + "' already deploys to " + previous
                                + "; a branch deploys to one environment");
                    }
                }
            }
            YamlNode approval = env.map.get("approval");
            if (approval != null && approval.map != null) {
                YamlNode usersOnly = approval.map.get("usersOnly");
                YamlNode submitters = approval.map.get("submitters");
                if (usersOnly != null && "true".equalsIgnoreCase(usersOnly.text)
                        && (submitters == null || submitters.list == null || submitters.list.isEmpty())) {
                    problem(usersOnly, envPath + ".approval.usersOnly", "needs submitters: the users who may approve");
                }
            }
            checkChangeControl(env, envPath, environments.map.keySet());
            checkWaves(env, envPath);
            checkGitOps(env.map.get("gitops"), envPath + ".gitops");
            YamlNode deployments = env.map.get("components");
            if (deployments != null && deployments.map != null) {
                deployments.map.forEach((componentName, settings) -> {
                    String p = envPath + ".components." + componentName;
                    if (!componentNames.contains(componentName)) {
                        int[] at = deployments.keyPositions.get(componentName);
                        String hint = suggest(componentName, componentNames).map(s -> "did you mean '" + s + "'? ").orElse("");
                        problems.add(new ConfigProblem(file, at[0], at[1], p, "no component named '" + componentName + "'; "
                                + hint + "components: " + String.join(", ", componentNames)));
                    }
                    if (settings.map != null) {
                        checkCanary(settings.map.get("canary"), p + ".canary");
                        checkSmokeTests(settings.map.get("smokeTests"), p + ".smokeTests");
                    }
                });
            }
        });
        checkScan(root.map.get("scan"));
        checkAnalysis(root.map.get("analysis"));
        checkChannels(root.map.get("notifications"));
    }

    /** What a GitOps deploy would refuse (branch, overlay path, values file and path), each with its line. */
    private void checkGitOps(YamlNode gitops, String path) {
        if (gitops == null || gitops.map == null) {
            return;
        }
        Map<String, java.util.function.Function<String, Optional<String>>> rules = new java.util.LinkedHashMap<>();
        rules.put("branch", GitOpsTarget::branchProblem);
        rules.put("path", GitOpsTarget::pathProblem);
        rules.put("valuesFile", GitOpsTarget::pathProblem);
        rules.put("valuesPath", GitOpsTarget::valuesPathProblem);
        rules.forEach((key, rule) -> {
            YamlNode value = gitops.map.get(key);
            if (value != null && value.isScalar() && value.kind != YamlNode.Kind.NULL) {
                rule.apply(value.text).ifPresent(problem -> problem(value, path + "." + key, problem));
            }
        });
    }

    /** A wave is a kube context, a list of them, or {clusters, soak}; every cluster non-empty. */
    private void checkWave(YamlNode node, String path) {
        String forms = "a wave is a kube context (- eu-1), a list of contexts (- [eu-2, us-1]) or a mapping "
                + "(- {clusters: [eu-2, us-1], soak: 30m})";
        YamlNode clusters = node;
        if (node.kind == YamlNode.Kind.MAP) {
            checkRecord(node, Wave.class, path);
            clusters = node.map.get("clusters");
            if (clusters == null) {
                return; // checkRecord reported the missing key
            }
            path = path + ".clusters";
        }
        if (clusters.kind == YamlNode.Kind.LIST) {
            if (clusters.list.isEmpty()) {
                problem(clusters, path, "an empty wave promotes nothing; name at least one kube context");
            }
            for (int i = 0; i < clusters.list.size(); i++) {
                YamlNode c = clusters.list.get(i);
                if (c.kind != YamlNode.Kind.STRING) {
                    problem(c, path + "[" + i + "]", "expected a kube context name, found " + c.describe() + "; " + forms);
                }
            }
        } else if (clusters.kind == YamlNode.Kind.NULL) {
            problem(clusters, path, "an empty wave promotes nothing; name at least one kube context");
        } else if (clusters.kind != YamlNode.Kind.STRING) {
            problem(clusters, path, "expected a kube context name, found " + clusters.describe() + "; " + forms);
        }
    }

    /** Waves replace cluster (not together with it or with gitops), and each cluster is promoted once. */
    private void checkWaves(YamlNode env, String envPath) {
        YamlNode waves = env.map.get("waves");
        if (waves == null || waves.kind == YamlNode.Kind.NULL) {
            return;
        }
        if (waves.kind == YamlNode.Kind.LIST && waves.list.isEmpty()) {
            problem(waves, envPath + ".waves", "needs at least one wave, or leave waves out");
        }
        for (String other : List.of("cluster", "gitops")) {
            YamlNode n = env.map.get(other);
            if (n != null && n.kind != YamlNode.Kind.NULL) {
                problem(n, envPath + "." + other, other.equals("cluster")
                        ? "an environment has either cluster or waves: list this kube context in a wave instead"
                        : "waves promote to clusters directly; an environment has either gitops or waves");
            }
        }
        if (waves.kind != YamlNode.Kind.LIST) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < waves.list.size(); i++) {
            YamlNode wave = waves.list.get(i);
            YamlNode clusters = wave.kind == YamlNode.Kind.MAP ? wave.map.get("clusters") : wave;
            String p = envPath + ".waves[" + i + "]" + (wave.kind == YamlNode.Kind.MAP ? ".clusters" : "");
            List<YamlNode> items = clusters == null ? List.of() : clusters.kind == YamlNode.Kind.LIST ? clusters.list
                    : clusters.kind == YamlNode.Kind.STRING ? List.of(clusters) : List.of();
            for (YamlNode c : items) {
                if (c.kind != YamlNode.Kind.STRING) {
                    continue;
                }
                Integer previous = seen.putIfAbsent(c.text, i + 1);
                if (previous != null) {
                    problem(c, p, "cluster '" + c.text + "' is already in wave " + previous
                            + "; each cluster is promoted once per promotion");
                }
            }
        }
    }

    /** A service needs an image or a command to start from, and a real port. */
    private void checkServices(YamlNode services, String path) {
        if (services == null || services.map == null) {
            return;
        }
        services.map.forEach((name, s) -> {
            if (s.map == null) {
                return;
            }
            String p = path + "." + name;
            YamlNode image = s.map.get("image");
            YamlNode command = s.map.get("command");
            YamlNode onlyInPod = s.map.get("onlyInPod");
            if (onlyInPod != null && "true".equalsIgnoreCase(onlyInPod.text) && (image == null || image.kind == YamlNode.Kind.NULL)) {
                problem(onlyInPod, p + ".onlyInPod", "a pod-only service needs image: the sidecar's image");
            }
            if ((image == null || image.kind == YamlNode.Kind.NULL) && (command == null || command.kind == YamlNode.Kind.NULL)) {
                problem(s, p, "needs image (run with docker or podman, and as the Jenkins pod sidecar), command "
                        + "(a local binary) or both");
            }
            YamlNode port = s.map.get("port");
            if (port != null && port.kind == YamlNode.Kind.INTEGER) {
                long value = Long.parseLong(port.text);
                if (value < 1 || value > 65535) {
                    problem(port, p + ".port", "port " + value + " is outside 1..65535");
                }
            }
            YamlNode env = s.map.get("env");
            if (env != null && env.map != null) {
                env.map.keySet().forEach(key -> {
                    if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        int[] at = env.keyPositions.get(key);
                        problems.add(new ConfigProblem(file, at[0], at[1], p + ".env." + key, "'" + key
                                + "' is not an environment variable name: use letters, digits and '_'"));
                    }
                });
            }
        });
    }

    /** Quorum, freeze windows and promotion paths: what types alone cannot say (issue 13, change control). */
    private void checkChangeControl(YamlNode env, String envPath, Set<String> environmentNames) {
        YamlNode approval = env.map.get("approval");
        if (approval != null && approval.map != null) {
            YamlNode quorum = approval.map.get("quorum");
            YamlNode submitters = approval.map.get("submitters");
            YamlNode usersOnly = approval.map.get("usersOnly");
            if (quorum != null && quorum.kind == YamlNode.Kind.INTEGER) {
                int n = Integer.parseInt(quorum.text);
                if (n < 1) {
                    problem(quorum, envPath + ".approval.quorum", "must be at least 1, found " + n);
                } else if (usersOnly != null && "true".equalsIgnoreCase(usersOnly.text) && submitters != null
                        && submitters.list != null && n > submitters.list.size()) {
                    problem(quorum, envPath + ".approval.quorum", "needs " + n + " distinct approvers but submitters "
                            + "names only " + submitters.list.size());
                }
            }
            YamlNode keys = approval.map.get("signingKeys");
            if (keys != null && keys.list != null) {
                for (int i = 0; i < keys.list.size(); i++) {
                    YamlNode key = keys.list.get(i);
                    YamlNode notAfter = key.map == null ? null : key.map.get("notAfter");
                    if (notAfter != null && notAfter.isScalar() && notAfter.text != null
                            && new Approval.SigningKey(null, notAfter.text).expiresAt().isEmpty()) {
                        problem(notAfter, envPath + ".approval.signingKeys[" + i + "].notAfter", "'" + notAfter.text
                                + "' is not a day; write YYYY-MM-DD, e.g. 2027-06-30");
                    }
                }
            }
        }
        YamlNode freeze = env.map.get("freeze");
        if (freeze != null && freeze.list != null) {
            for (int i = 0; i < freeze.list.size(); i++) {
                checkFreeze(freeze.list.get(i), envPath + ".freeze[" + i + "]");
            }
        }
        YamlNode from = env.map.get("promoteFrom");
        String self = envPath.substring("environments.".length());
        if (from != null && from.isScalar() && from.text != null) {
            if (from.text.equals(self)) {
                problem(from, envPath + ".promoteFrom", "an environment cannot promote from itself");
            } else if (!environmentNames.contains(from.text)) {
                String hint = suggest(from.text, environmentNames).map(s -> "did you mean '" + s + "'? ").orElse("");
                problem(from, envPath + ".promoteFrom", "no environment named '" + from.text + "'; " + hint
                        + "environments: " + String.join(", ", environmentNames));
            }
        }
        YamlNode soak = env.map.get("minSoak");
        if (soak != null && soak.kind != YamlNode.Kind.NULL && from == null) {
            problem(soak, envPath + ".minSoak", "needs promoteFrom: the environment the digest must have soaked in");
        }
    }

    private void checkFreeze(YamlNode window, String path) {
        if (window.map == null) {
            return; // the type check reported it
        }
        YamlNode cron = window.map.get("cron");
        YamlNode duration = window.map.get("duration");
        YamlNode from = window.map.get("from");
        YamlNode to = window.map.get("to");
        YamlNode zone = window.map.get("timezone");
        java.time.ZoneId zoneId = java.time.ZoneOffset.UTC;
        if (zone != null && zone.isScalar() && zone.text != null) {
            Optional<String> bad = FreezeWindow.zoneProblem(zone.text);
            if (bad.isPresent()) {
                problem(zone, path + ".timezone", "'" + zone.text + "' is not a time zone (" + bad.get()
                        + "); use an IANA name such as Asia/Seoul, Europe/Berlin or UTC");
            } else {
                zoneId = java.time.ZoneId.of(zone.text);
            }
        }
        if ((cron != null) == (from != null || to != null)) {
            problem(window, path, "a freeze window has either cron + duration or from + to");
            return;
        }
        if (cron != null) {
            if (cron.isScalar() && cron.text != null) {
                FreezeWindow.cronProblem(cron.text).ifPresent(bad -> problem(cron, path + ".cron", "'" + cron.text
                        + "' is not a 5-field cron expression (minute hour day-of-month month day-of-week): " + bad));
            }
            if (duration == null) {
                problem(window, path + ".duration", "a cron window needs duration: how long it lasts, e.g. 62h");
            } else if (duration.isScalar() && duration.text != null
                    && Durations.parse(duration.text).map(Duration::isZero).orElse(false)) {
                problem(duration, path + ".duration", "must be longer than 0s, found '" + duration.text + "'");
            }
            return;
        }
        if (from == null || to == null) {
            problem(window, path, "a dated freeze window needs both from and to");
            return;
        }
        Optional<java.time.Instant> start = scalarInstant(from, path + ".from", zoneId);
        Optional<java.time.Instant> end = scalarInstant(to, path + ".to", zoneId);
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            problem(to, path + ".to", "'" + to.text + "' is not after from '" + from.text + "'");
        }
        if (duration != null) {
            problem(duration, path + ".duration", "duration belongs to a cron window; a dated window ends at to");
        }
    }

    private Optional<java.time.Instant> scalarInstant(YamlNode node, String path, java.time.ZoneId zone) {
        if (!node.isScalar() || node.text == null) {
            return Optional.empty();
        }
        Optional<java.time.Instant> at = FreezeWindow.instant(node.text, zone);
        if (at.isEmpty()) {
            problem(node, path, "'" + node.text + "' is not a date or time; write 2026-12-24, 2026-12-24T18:00 or "
                    + "2026-12-24T18:00+09:00");
        }
        return at;
    }

    private void checkCanary(YamlNode canary, String path) {
        if (canary == null || canary.map == null || canary.map.get("steps") == null || canary.map.get("steps").list == null) {
            return;
        }
        int lastWeight = 0;
        List<YamlNode> steps = canary.map.get("steps").list;
        for (int i = 0; i < steps.size(); i++) {
            YamlNode step = steps.get(i);
            String p = path + ".steps[" + i + "]";
            if (step.map == null || step.map.size() != 1) {
                problem(step, p, "a step is exactly one of setWeight: N or pause: {duration: D}");
                continue;
            }
            YamlNode weight = step.map.get("setWeight");
            if (weight != null && weight.kind == YamlNode.Kind.INTEGER) {
                int w = Integer.parseInt(weight.text);
                if (w < 1 || w > 100) {
                    problem(weight, p + ".setWeight", "weight " + w + " is outside 1..100");
                } else if (w < lastWeight) {
                    problem(weight, p + ".setWeight", "weight " + w + " is below the previous step's " + lastWeight
                            + "; weights only grow");
                }
                lastWeight = Math.max(lastWeight, w);
            }
        }
    }

    private void checkSmokeTests(YamlNode tests, String path) {
        if (tests == null || tests.list == null) {
            return;
        }
        for (int i = 0; i < tests.list.size(); i++) {
            YamlNode t = tests.list.get(i);
            if (t.map != null && (t.map.containsKey("url") == t.map.containsKey("command"))) {
                problem(t, path + "[" + i + "]", "a smoke test has exactly one of url or command");
            }
        }
    }

    private void checkScan(YamlNode scan) {
        if (scan == null || scan.map == null) {
            return;
        }
        YamlNode statuses = scan.map.get("ignoreStatuses");
        if (statuses != null) {
            List<YamlNode> items = statuses.kind == YamlNode.Kind.LIST ? statuses.list : List.of(statuses);
            for (YamlNode s : items) {
                if (s.text != null && !STATUSES.contains(s.text)) {
                    problem(s, "scan.ignoreStatuses", "'" + s.text + "' is not a Trivy status; allowed: "
                            + STATUSES.stream().sorted().collect(Collectors.joining(", ")));
                }
            }
        }
        YamlNode tools = scan.map.get("tools");
        if (tools != null && tools.kind == YamlNode.Kind.LIST) {
            if (tools.list.isEmpty()) {
                problem(tools, "scan.tools", "lists no scanner: a gate with no scanner would pass everything; allowed: "
                        + "trivy, snyk (default [trivy])");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (YamlNode t : tools.list) {
                if (t.text != null && !seen.add(t.text)) {
                    problem(t, "scan.tools", "'" + t.text + "' is listed twice");
                }
            }
        }
    }

    private void checkAnalysis(YamlNode analysis) {
        if (analysis == null || analysis.map == null) {
            return;
        }
        YamlNode custom = analysis.map.get("custom");
        if (custom != null && custom.list != null) {
            for (int i = 0; i < custom.list.size(); i++) {
                YamlNode c = custom.list.get(i);
                if (c.map != null && !c.map.containsKey("min") && !c.map.containsKey("max")) {
                    problem(c, "analysis.custom[" + i + "]", "needs min, max or both: the range the value must stay in");
                }
            }
        }
        YamlNode quantile = analysis.map.get("latency") == null || analysis.map.get("latency").map == null ? null
                : analysis.map.get("latency").map.get("quantile");
        if (quantile != null && (quantile.kind == YamlNode.Kind.INTEGER || quantile.kind == YamlNode.Kind.DECIMAL)) {
            double q = Double.parseDouble(quantile.text);
            if (q <= 0 || q >= 1) {
                problem(quantile, "analysis.latency.quantile", "must lie strictly between 0 and 1, e.g. 0.99");
            }
        }
    }

    private void checkChannels(YamlNode notifications) {
        if (notifications == null || notifications.map == null || notifications.map.get("channels") == null
                || notifications.map.get("channels").map == null) {
            return;
        }
        YamlNode channels = notifications.map.get("channels");
        Set<String> events = NotificationSettings.DEFAULT_CHANNELS.keySet();
        channels.map.keySet().forEach(event -> {
            if (!events.contains(event)) {
                int[] at = channels.keyPositions.get(event);
                String hint = suggest(event, events).map(s -> "did you mean '" + s + "'? ").orElse("");
                problems.add(new ConfigProblem(file, at[0], at[1], "notifications.channels." + event,
                        "unknown event '" + event + "'; " + hint + "events: " + String.join(", ", events)));
            }
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void problem(YamlNode at, String path, String message) {
        problems.add(new ConfigProblem(file, at.line, at.column, path, message));
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String keys(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .filter(n -> !derived(record, n))
                .collect(Collectors.joining(", "));
    }

    /** The closest candidate within a small edit distance, for "did you mean". */
    static Optional<String> suggest(String word, Iterable<String> candidates) {
        List<String> close = new ArrayList<>();
        for (String c : candidates) {
            int limit = Math.max(2, c.length() / 3);
            if (distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)) <= limit) {
                close.add(c);
            }
        }
        return close.stream().min(Comparator.comparingInt(c -> distance(word.toLowerCase(Locale.ROOT),
                c.toLowerCase(Locale.ROOT))));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The name of a component or environment comes from its key under components/environments. */
    static boolean derived(Class<?> record, String key) {
        return key.equals("name") && (record == Component.class || record == Environment.class
                || record == TestService.class);
    }
}
