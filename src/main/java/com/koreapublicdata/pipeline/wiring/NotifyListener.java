package com.koreapublicdata.pipeline.wiring;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.deploy.PromotionListener;
import com.koreapublicdata.pipeline.notify.NotificationEvent;
import com.koreapublicdata.pipeline.notify.NotificationEvents;
import com.koreapublicdata.pipeline.notify.Notifier;

/**
 * Tells Slack what a promotion or rollback does (the seed's started / successful / failed / auto-rollback
 * messages). The {@link Notifier} never throws, so Slack being down never changes a deployment's outcome; its
 * warnings go to the progress stream.
 */
public final class NotifyListener implements PromotionListener {
    private final Notifier notifier;
    private final String buildUrl;

    public NotifyListener(Notifier notifier, String buildUrl) {
        this.notifier = notifier;
        this.buildUrl = buildUrl;
    }

    @Override
    public void started(Event event) {
        notifier.send(message(NotificationEvent.Kind.STARTED, event));
    }

    @Override
    public void awaitingApproval(Event event) {
        send(NotificationEvent.Kind.AWAITING_APPROVAL, event);
    }

    @Override
    public void succeeded(Event event) {
        send(NotificationEvent.Kind.SUCCESS, event);
    }

    @Override
    public void failed(Event event) {
        send(NotificationEvent.Kind.FAILED, event);
    }

    /** Announced to the break-glass channel (the seed's #alerts) on its own, so a broken freeze is never missed. */
    @Override
    public void brokeGlass(Event event) {
        notifier.send(message(NotificationEvent.Kind.BREAK_GLASS, event));
    }

    @Override
    public void rolledBack(Event event) {
        send(NotificationEvent.Kind.ROLLBACK, event);
    }

    /** The event the outcome is worth (the one mapping korea notify --result uses too); {@code heard} before one. */
    private void send(NotificationEvent.Kind heard, Event event) {
        if (event.outcome() == null) {
            notifier.send(message(heard, event));
            return;
        }
        NotificationEvents.forResult(NotificationEvents.Source.PROMOTION, event.outcome())
                .ifPresent(kind -> notifier.send(message(kind, event)));
    }

    private NotificationEvent message(NotificationEvent.Kind kind, Event event) {
        return NotificationEvent.builder(kind)
                .environment(event.environment())
                .component(event.component())
                .version(version(event))
                .digest(event.digest())
                .strategy(event.strategy())
                .approver(event.approver())
                .durationSeconds(event.durationSeconds() > 0 ? event.durationSeconds() : null)
                .reason(kind == NotificationEvent.Kind.STARTED || kind == NotificationEvent.Kind.SUCCESS ? event.approvalReason()
                        : event.message())
                .buildUrl(buildUrl)
                .build();
    }

    /** What people call the version: the image tag, else the short digest; the same for every event of a deploy. */
    private static String version(Event event) {
        try {
            ImageReference image = ImageReference.parse(event.image());
            return image.tag() == null && image.digest() == null && event.digest() != null
                    ? image.withDigest(event.digest()).version() : image.version();
        } catch (com.koreapublicdata.pipeline.KoreaException e) {
            return "unknown"; // a refused promotion may carry an unparseable --image: still worth telling
        }
    }
}
