package com.koreapublicdata.pipeline.control;

import java.util.Optional;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Environment;

/**
 * {@code environments.E.team}: who may deploy to an environment by hand, roll it back, and promote a paused rollout
 * there. An empty team lets anyone; otherwise {@code --requested-by} must name a member.
 */
public final class Teams {
    private Teams() {
    }

    /** What people may do with an environment when they are in its team, in the words of the refusal. */
    public static String deployByHand(Environment env) {
        return "deploy to " + env.name() + " by hand";
    }

    public static String rollBack(Environment env, String component) {
        return "roll back " + component + " in " + env.name();
    }

    public static String promoteRollout(Environment env, String component) {
        return "promote the paused rollout of " + component + " in " + env.name();
    }

    /** Why {@code requestedBy} may not {@code action}, or empty when the team allows it (or there is none). */
    public static Optional<Refusal> refusal(Environment env, String action, String requestedBy) {
        if (env.team().isEmpty()) {
            return Optional.empty();
        }
        String rule = "environments." + env.name() + ".team";
        if (requestedBy == null || requestedBy.isBlank()) {
            return Optional.of(new Refusal(rule, "to " + action + " pass --requested-by USER, one of " + env.team()));
        }
        if (env.team().stream().anyMatch(t -> Authorization.sameUser(t, requestedBy.trim()))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(rule, "'" + requestedBy.trim() + "' is not in the team that may " + action + ": "
                + env.team()));
    }

    /** Refuses (exit 10, nothing changed) naming the rule and the team, for rollback and rollout promote. */
    public static void require(Environment env, String action, String requestedBy) {
        Optional<Refusal> refusal = refusal(env, action, requestedBy);
        if (refusal.isPresent()) {
            throw KoreaException.gateRefused(refusal.get().message() + " (" + refusal.get().rule() + "); nothing was changed");
        }
    }
}
