package com.koreapublicdata.pipeline.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Approval;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * The change-control rules of korea.yaml, checked before any cluster call: approvals (quorum of distinct
 * submitters, no self-approval, reasons, signed records), the environment's team, freeze windows with
 * break-glass, and promotion paths (promoteFrom + minSoak). Every refusal names its rule and what is missing.
 */
public final class ChangeControl {
    private final KoreaConfig config;
    private final Supplier<List<DeploymentRecord>> history;
    private final Clock clock;
    private final ApprovalRecords records;

    public ChangeControl(KoreaConfig config, Supplier<List<DeploymentRecord>> history, Clock clock, ApprovalRecords records) {
        this.config = config;
        this.history = history;
        this.clock = clock;
        this.records = records;
    }

    /** Checks one change; exit 2 only for an environment korea.yaml lacks. */
    public Decision check(ChangeRequest request) {
        Environment env = config.environment(request.environment()).orElseThrow(() -> KoreaException.invalidInput(
                "--environment " + request.environment() + ": no such environment in korea.yaml; known: "
                        + config.environments().keySet()));
        Instant now = clock.instant();
        String prefix = "environments." + env.name();
        Authorization auth = request.authorization();
        List<Refusal> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Approval approval = env.approval();

        List<String> approvers = auth.distinctApprovers();
        List<String> reasons = auth.reason() == null ? List.of() : List.of(auth.reason());
        String requestedBy = auth.requestedBy();
        ApprovalRecord record = auth.approval();
        if (record != null) {
            Optional<String> problem = records.problem(record, env.name(), request.component(), request.digest(), approval, now);
            if (problem.isPresent()) {
                refusals.add(new Refusal("--approval", problem.get()));
            } else {
                approvers = Authorization.distinct(record.approverNames());
                reasons = record.approvers().stream().map(ApprovalRecord.Approver::reason).toList();
                requestedBy = record.requestedBy() != null ? record.requestedBy() : requestedBy;
            }
        } else if (approval.signingKeyRequired()) {
            refusals.add(new Refusal(prefix + ".approval.signingKeyRequired", "environment " + env.name()
                    + " accepts only a signed approval record: pass --approval FILE (written by korea approval record "
                    + "after approval)" + (approvers.isEmpty() ? "" : "; a hand-typed --approved-by " + approvers
                    + " is not enough")));
        }
        if ((approval.required() || approval.signingKeyRequired()) && refusals.isEmpty()) {
            approvals(env, approvers, reasons, requestedBy, record != null, refusals);
        }
        if (auth.manual()) {
            Teams.refusal(env, Teams.deployByHand(env), requestedBy).ifPresent(refusals::add);
        }
        String breakGlass = freeze(env, now, auth.breakGlass(), requestedBy, approvers, refusals, notes);
        promotionPath(env, request, now, refusals);
        return new Decision(refusals, approvers, reasons, breakGlass, notes);
    }

    private void approvals(Environment env, List<String> approvers, List<String> reasons, String requestedBy,
            boolean signed, List<Refusal> refusals) {
        String prefix = "environments." + env.name() + ".approval";
        Approval approval = env.approval();
        if (approvers.isEmpty()) {
            refusals.add(new Refusal(prefix + ".required", "environment " + env.name() + " requires approval: pass "
                    + "--approved-by USER after approving in Jenkins or GitHub"
                    + (approval.submitters().isEmpty() ? "" : "; approvers: " + approval.submitters())));
            return;
        }
        if (approval.usersOnly()) {
            for (String a : approvers) {
                if (approval.submitters().stream().noneMatch(s -> Authorization.sameUser(s, a))) {
                    refusals.add(new Refusal(prefix + ".submitters", "'" + a + "' may not approve promotions to " + env.name()
                            + "; submitters: " + approval.submitters()));
                }
            }
        }
        if (approvers.size() < approval.quorum()) {
            refusals.add(new Refusal(prefix + ".quorum", approvers.size() + " of " + approval.quorum() + " approvals: "
                    + String.join(", ", approvers) + "; " + env.name() + " needs " + approval.quorum()
                    + " distinct approvers (the same person twice counts once)"));
        }
        if (!approval.allowSelfApproval() && requestedBy != null
                && approvers.stream().anyMatch(a -> Authorization.sameUser(a, requestedBy))) {
            refusals.add(new Refusal(prefix + ".allowSelfApproval", "'" + requestedBy + "' started this run and may not "
                    + "approve it; another submitter must"));
        }
        boolean missingReason = signed ? reasons.stream().anyMatch(r -> r == null || r.isBlank()) : reasons.isEmpty();
        if (missingReason && (signed || approval.requireReason())) {
            refusals.add(new Refusal(prefix + ".requireReason", "an approval to " + env.name() + " needs a reason"
                    + (signed ? " from every approver in the record" : ": pass --reason TEXT")));
        }
    }

    /** Refuses inside a window unless broken by someone allowed to; returns the break-glass reason used, or null. */
    private String freeze(Environment env, Instant now, String breakGlass, String requestedBy, List<String> approvers,
            List<Refusal> refusals, List<String> notes) {
        Optional<FreezeCalendar.Occurrence> active = new FreezeCalendar(env.freeze()).active(now);
        if (active.isEmpty()) {
            return null;
        }
        FreezeCalendar.Occurrence o = active.get();
        String rule = "environments." + env.name() + ".freeze[" + o.index() + "]";
        String until = ZonedDateTime.ofInstant(o.end(), o.window().zone()).toOffsetDateTime().toString();
        if (breakGlass == null) {
            refusals.add(new Refusal(rule, env.name() + " is frozen until " + until + " (" + o.window().describe() + ")"
                    + (o.window().breakGlass().isEmpty() ? "" : "; --break-glass REASON by one of " + o.window().breakGlass())));
            return null;
        }
        List<String> people = new ArrayList<>(approvers);
        if (requestedBy != null) {
            people.add(0, requestedBy);
        }
        Optional<String> who = people.stream()
                .filter(p -> o.window().breakGlass().stream().anyMatch(b -> Authorization.sameUser(b, p))).findFirst();
        if (who.isEmpty()) {
            refusals.add(new Refusal(rule + ".breakGlass", env.name() + " is frozen until " + until + " and --break-glass "
                    + "needs the requester or an approver among " + o.window().breakGlass() + "; got "
                    + (people.isEmpty() ? "no requester or approver" : people)));
            return null;
        }
        notes.add("break-glass by " + who.get() + " during " + o.window().describe() + " (until " + until + "): " + breakGlass);
        return breakGlass;
    }

    private void promotionPath(Environment env, ChangeRequest request, Instant now, List<Refusal> refusals) {
        if (env.promoteFrom() == null) {
            return;
        }
        String rule = "environments." + env.name() + ".promoteFrom";
        if (request.digest() == null) {
            refusals.add(new Refusal(rule, env.name() + " accepts only digests verified in " + env.promoteFrom()
                    + ", and the digest of this image is unknown (no @sha256: and no build record)"));
            return;
        }
        Optional<DeploymentRecord> verified = verified(env.promoteFrom(), request.component(), request.digest());
        if (verified.isEmpty()) {
            refusals.add(new Refusal(rule, request.component() + " " + request.digest() + " was never deployed to "
                    + env.promoteFrom() + " and verified there (no deployed record in its deployment log); promote it to "
                    + env.promoteFrom() + " first, or use --from " + env.promoteFrom()));
            return;
        }
        Duration soaked = Duration.between(verified.get().time(), now);
        if (soaked.compareTo(env.minSoak()) < 0) {
            refusals.add(new Refusal("environments." + env.name() + ".minSoak", request.component() + " "
                    + request.digest() + " has run in " + env.promoteFrom() + " for " + Durations.format(soaked.withNanos(0))
                    + " of the " + Durations.format(env.minSoak()) + " it must soak; it may be promoted from "
                    + verified.get().time().plus(env.minSoak())));
        }
    }

    /** The newest record of {@code digest} deployed (and so verified) to {@code environment}. */
    public Optional<DeploymentRecord> verified(String environment, String component, String digest) {
        return history.get().stream().filter(r -> DeploymentRecord.PROMOTION.equals(r.kind()) && r.succeeded())
                .filter(r -> environment.equals(r.environment()) && component.equals(r.component()))
                .filter(r -> digest.equals(r.digest())).max(Comparator.comparing(DeploymentRecord::time));
    }

    /** What {@code environment} runs now for {@code component}: its newest deployed promotion ({@code --from}). */
    public Optional<DeploymentRecord> current(String environment, String component) {
        return history.get().stream().filter(r -> DeploymentRecord.PROMOTION.equals(r.kind()) && r.succeeded())
                .filter(r -> environment.equals(r.environment()) && component.equals(r.component()))
                .max(Comparator.comparing(DeploymentRecord::time));
    }

    /** Freeze now and next, and the promoteFrom candidates of {@code components}, for plan and status. */
    public Outlook outlook(String environment, List<String> components) {
        Environment env = config.environment(environment).orElseThrow(() -> KoreaException.invalidInput(
                "no such environment in korea.yaml: " + environment));
        Instant now = clock.instant();
        List<Outlook.Candidate> candidates = new ArrayList<>();
        if (env.promoteFrom() != null) {
            for (String c : components) {
                candidates.add(current(env.promoteFrom(), c).map(r -> new Outlook.Candidate(c, r.digest(), r.image(),
                        r.time().toString(), !r.time().plus(env.minSoak()).isAfter(now)))
                        .orElse(new Outlook.Candidate(c, null, null, null, false)));
            }
        }
        return new Outlook(env.name(), frozen(environment).map(ChangeControl::freeze).orElse(null),
                nextFreeze(environment).map(ChangeControl::freeze).orElse(null), env.promoteFrom(),
                env.promoteFrom() == null ? null : Durations.format(env.minSoak()), candidates);
    }

    private static Outlook.Freeze freeze(FreezeCalendar.Occurrence o) {
        return new Outlook.Freeze(ZonedDateTime.ofInstant(o.start(), o.window().zone()).toOffsetDateTime().toString(),
                ZonedDateTime.ofInstant(o.end(), o.window().zone()).toOffsetDateTime().toString(), o.window().describe(),
                o.window().reason());
    }

    /** The freeze in force in {@code environment} now, if any. */
    public Optional<FreezeCalendar.Occurrence> frozen(String environment) {
        return config.environment(environment).flatMap(e -> new FreezeCalendar(e.freeze()).active(clock.instant()));
    }

    /** The next freeze window of {@code environment} to start, if any. */
    public Optional<FreezeCalendar.Occurrence> nextFreeze(String environment) {
        return config.environment(environment).flatMap(e -> new FreezeCalendar(e.freeze()).next(clock.instant()));
    }
}
