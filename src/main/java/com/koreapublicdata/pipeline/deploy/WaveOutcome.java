package com.koreapublicdata.pipeline.deploy;

import java.util.List;

import com.koreapublicdata.pipeline.Outcome;

/**
 * One wave of a waves promotion, for the Jenkins stage that draws it ({@code Deploy production: wave 2}).
 *
 * @param wave        1-based
 * @param clusters    its kube contexts
 * @param soakSeconds how long its soak lasted as configured (0: none)
 * @param outcome     deployed (every cluster promoted and the soak passed), rolled-back, rollback-failed, failed,
 *                    or skipped (never started)
 * @param message     one line for people
 */
public record WaveOutcome(int wave, List<String> clusters, long soakSeconds, Outcome outcome, String message) {

    public WaveOutcome {
        clusters = List.copyOf(clusters);
    }
}
