package com.koreapublicdata.pipeline.run;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The final table of a run: a row per component, a column per stage, then the details that need reading. */
public final class SummaryTable {
    private final boolean color;

    public SummaryTable(boolean color) {
        this.color = color;
    }

    public void print(PrintWriter out, RunResult result) {
        List<String> stages = result.stageNames();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[stages.size() + 2];
        header[0] = "component";
        for (int i = 0; i < stages.size(); i++) {
            header[i + 1] = stages.get(i);
        }
        header[header.length - 1] = "time";
        rows.add(header);
        for (ComponentRun component : result.components()) {
            String[] row = new String[stages.size() + 2];
            row[0] = component.component();
            for (int i = 0; i < stages.size(); i++) {
                row[i + 1] = component.stage(stages.get(i)).map(s -> s.status().label()).orElse("-");
            }
            row[row.length - 1] = String.format(Locale.ROOT, "%.1fs", component.durationSeconds());
            rows.add(row);
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println();
        out.println("Summary: " + result.headline());
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < rows.get(r).length; i++) {
                String cell = rows.get(r)[i];
                String padded = cell + " ".repeat(widths[i] - cell.length());
                line.append(r == 0 ? padded : paint(cell, padded)).append("  ");
            }
            out.println(line.toString().stripTrailing());
        }
        for (ComponentRun component : result.components()) {
            for (StageResult stage : component.stages()) {
                if (stage.status() != StageResult.Status.PASSED && stage.detail() != null && !stage.detail().isBlank()) {
                    out.println("  " + component.component() + " " + stage.stage() + " " + stage.status().label() + ": "
                            + stage.detail());
                }
            }
        }
        for (String note : result.notes()) {
            out.println("  " + note);
        }
        out.flush();
    }

    private String paint(String cell, String padded) {
        if (!color) {
            return padded;
        }
        StageResult.Status status = java.util.Arrays.stream(StageResult.Status.values())
                .filter(s -> s.label().equals(cell)).findFirst().orElse(null);
        String code = status == null ? null : switch (status) {
            case PASSED -> "32";
            case FAILED, REFUSED -> "31";
            case SKIPPED, AWAITING -> "33";
            case NOT_RUN -> null;
        };
        return code == null ? padded : "\u001b[" + code + "m" + cell + "\u001b[0m" + padded.substring(cell.length());
    }
}
