package com.koreapublicdata.pipeline.deploy;

import java.util.List;

/** Several listeners heard in order; one that throws does not keep the others from hearing. */
public final class PromotionListeners implements PromotionListener {
    private final List<PromotionListener> listeners;

    public PromotionListeners(List<PromotionListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void started(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.started(event)));
    }

    @Override
    public void awaitingApproval(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.awaitingApproval(event)));
    }

    @Override
    public void succeeded(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.succeeded(event)));
    }

    @Override
    public void failed(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.failed(event)));
    }

    @Override
    public void rolledBack(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.rolledBack(event)));
    }

    @Override
    public void brokeGlass(Event event) {
        listeners.forEach(l -> Lookups.safely(() -> l.brokeGlass(event)));
    }
}
