package com.koreapublicdata.pipeline.jenkins;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@code sh} call as a stub sees it: the script text, its label and the environment it would run with. */
record ShCall(String script, String label, Map<String, String> env) {
    private static final Pattern KOREA = Pattern.compile("^sh \"\\$KOREA_LAUNCHER\" ([a-z-]+(?: (?:promote|abort))?)");

    /** The korea subcommand this script runs ({@code build}, {@code rollout promote}), or null. */
    String koreaCommand() {
        Matcher m = KOREA.matcher(script);
        return m.find() ? m.group(1) : null;
    }
}
