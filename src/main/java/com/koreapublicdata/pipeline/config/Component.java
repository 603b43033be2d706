package com.koreapublicdata.pipeline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One deployable part of the repository, e.g. {@code frontend} in {@code fe/}.
 */
public record Component(
        @Doc("The component's name; set from its key under components.") String name,
        @Doc(value = "Path globs (relative to the folder of korea.yaml) whose changes affect this component; ** matches any depth.",
                required = true) List<String> paths,
        @Doc(value = "Toolchain: node, python, maven or custom. Picks the default test and build commands.",
                defaultValue = "custom") ComponentKind kind,
        @Doc(value = "Directory the test and build commands run in, relative to the folder of korea.yaml.",
                defaultValue = "the fixed prefix of the first path glob") String directory,
        @Doc(value = "Test commands, run in order with sh -c.", defaultValue = "by kind: node: npm ci, npm test; python: "
                + "pip install -r requirements.txt (when present), pytest or python3 -m unittest; maven: mvn -B verify")
                List<String> test,
        @Doc("Application build commands run before the image build (e.g. npm run build).") List<String> build,
        @Doc("End-to-end test commands, run after the unit tests.") List<String> e2e,
        @Doc(value = "Image repository, without tag.", defaultValue = "{registry}/{project}-{name}") String image,
        @Doc(value = "Dockerfile path relative to the folder of korea.yaml.", defaultValue = "{directory}/Dockerfile")
                String dockerfile,
        @Doc(value = "Image build context relative to the folder of korea.yaml.", defaultValue = "{directory}") String context,
        @Doc(value = "Container port the service listens on (used by the daemonless builder and smoke tests).",
                defaultValue = "8080") Integer port,
        @Doc("Services the test and e2e commands need (databases, caches), by name; see TestService.")
                Map<String, TestService> services) {

    public Component {
        paths = paths == null ? List.of() : List.copyOf(paths);
        kind = kind == null ? ComponentKind.CUSTOM : kind;
        directory = directory == null ? fixedPrefix(paths) : directory;
        test = test == null ? List.of() : List.copyOf(test);
        build = build == null ? List.of() : List.copyOf(build);
        e2e = e2e == null ? List.of() : List.copyOf(e2e);
        dockerfile = dockerfile == null ? join(directory, "Dockerfile") : dockerfile;
        context = context == null ? directory : context;
        port = port == null ? 8080 : port;
        services = services == null ? Map.of() : named(services);
    }

    Component withName(String newName) {
        return new Component(newName, paths, kind, directory, test, build, e2e, image, dockerfile, context, port, services);
    }

    Component withImage(String newImage) {
        return new Component(name, paths, kind, directory, test, build, e2e, newImage, dockerfile, context, port, services);
    }

    /** Each service with its name from its key, in korea.yaml order. */
    private static Map<String, TestService> named(Map<String, TestService> in) {
        Map<String, TestService> out = new LinkedHashMap<>();
        in.forEach((key, s) -> out.put(key, (s == null ? new TestService(null, null, null, null, null, null, null, null) : s)
                .withName(key)));
        return Collections.unmodifiableMap(out);
    }

    /** The directory part of a glob before its first wildcard: {@code fe/**} gives {@code fe}. */
    static String fixedPrefix(List<String> paths) {
        if (paths.isEmpty()) {
            return ".";
        }
        String glob = paths.get(0);
        StringBuilder prefix = new StringBuilder();
        for (String segment : glob.split("/")) {
            if (segment.contains("*") || segment.contains("?") || segment.contains("[") || segment.contains("{")) {
                break;
            }
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(segment);
        }
        // a glob naming one file (be/app.py) has that file's folder as its directory
        if (prefix.toString().equals(glob) && glob.contains("/")) {
            return glob.substring(0, glob.lastIndexOf('/'));
        }
        return prefix.length() == 0 || prefix.toString().equals(glob) ? "." : prefix.toString();
    }

    private static String join(String dir, String file) {
        return dir.equals(".") ? file : dir + "/" + file;
    }
}
