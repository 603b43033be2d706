package com.koreapublicdata.pipeline;

import java.util.regex.Pattern;

/**
 * Path globs, one syntax wherever korea matches paths (component paths and branches in korea.yaml, Trivy's
 * {@code .trivyignore.yaml} paths): {@code *} and {@code ?} stay inside one path segment, {@code **} spans any
 * number of segments (including none), {@code {a,b}} is either, {@code [abc]} one of, {@code \} escapes.
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    public Glob(String text) {
        this.text = text;
        this.pattern = Pattern.compile(toRegex(text));
    }

    public boolean matches(String path) {
        return path != null && pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int braces = 0;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
                re.append("(?:/.*)?");
                i += 3;
            } else if (glob.startsWith("**", i)) {
                re.append(".*");
                i += 2;
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '{') {
                re.append("(?:");
                braces++;
                i++;
            } else if (c == '}' && braces > 0) {
                re.append(')');
                braces--;
                i++;
            } else if (c == ',' && braces > 0) {
                re.append('|');
                i++;
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 1);
                if (close < 0) {
                    re.append(Pattern.quote("["));
                    i++;
                } else {
                    String set = glob.substring(i + 1, close);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) {
                        set = set.substring(1);
                    }
                    re.append('[').append(negate ? "^/" : "").append(set.replace("\\", "\\\\").replace("[", "\\["))
                            .append(']');
                    i = close + 1;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                i += 2;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        while (braces-- > 0) {
            re.append(')');
        }
        return re.toString();
    }
}
