package com.koreapublicdata.pipeline.plan;

import java.util.regex.Pattern;

/**
 * Path globs as in .gitignore and GitHub's path filters: {@code *} and {@code ?} stay inside one path segment,
 * {@code **} spans any number of segments (including none).
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    public Glob(String text) {
        this.text = text;
        this.pattern = Pattern.compile(toRegex(text));
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
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
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }
}
