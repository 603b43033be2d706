package com.koreapublicdata.pipeline.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A rollout wait outlives an API server outage shorter than its deadline, and says why when it does not. */
class ApiOutageTest {
    /** A clock the sleeper moves, so a 45 s outage takes no real time. */
    private static final class FakeTime {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        Clock clock() {
            return new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            };
        }
    }

    private static KubernetesClientException refused() {
        return new KubernetesClientException("Operation: [get] for kind: [Deployment] with name: [web] in namespace: [shop] failed.",
                new ConnectException("Connection refused"));
    }

    @Test
    void shouldKeepReadingThroughAnOutageShorterThanTheDeadline() {
        FakeTime t = new FakeTime();
        Api api = new Api(d -> {
            t.sleeps.add(d);
            t.now = t.now.plus(d);
        }, new Tuning(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30), 5, Duration.ofSeconds(2)));
        Instant back = t.now.plusSeconds(45);
        AtomicInteger calls = new AtomicInteger();

        String read = api.callUntil("read deployment/web", () -> {
            calls.incrementAndGet();
            if (t.now.isBefore(back)) {
                throw refused();
            }
            return "web";
        }, t.clock(), t.now.plusSeconds(300));

        assertThat(read).isEqualTo("web");
        assertThat(calls.get()).isGreaterThan(5); // more than the plain retry count: it waited the outage out
        assertThat(t.sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(16))); // bounded back-off
    }

    @Test
    void shouldGiveUpAtTheDeadlineNamingTheCause() {
        FakeTime t = new FakeTime();
        Api api = new Api(d -> t.now = t.now.plus(d),
                new Tuning(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30), 5, Duration.ofSeconds(2)));
        Instant deadline = t.now.plusSeconds(20);

        assertThatThrownBy(() -> api.callUntil("read deployment/web", () -> {
            throw refused();
        }, t.clock(), deadline)).isInstanceOf(KoreaException.class)
                .hasMessageContaining("read deployment/web failed")
                .hasMessageContaining("Connection refused");
        assertThat(t.now).isBeforeOrEqualTo(deadline);
    }

    @Test
    void shouldNotRetryAForbiddenRequestAndDescribeItAsForbidden() {
        AtomicInteger calls = new AtomicInteger();
        KubernetesClientException forbidden = new KubernetesClientException("namespaces \"shop\" is forbidden", 403, null);
        Api api = new Api(d -> { }, Tuning.defaults());

        assertThatThrownBy(() -> api.callUntil("read namespace shop", () -> {
            calls.incrementAndGet();
            throw forbidden;
        }, Clock.systemUTC(), Instant.now().plusSeconds(60))).isSameAs(forbidden);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(Api.forbidden("get", "namespaces/shop", null, forbidden)).startsWith("forbidden: korea may not get namespaces/shop")
                .contains("HTTP 403").contains("docs/promote.md");
    }

    @Test
    void shouldNameTheVerbAndResourceTheServerRefused() {
        KubernetesClientException forbidden = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403).withMessage("deployments.apps \"web\" is forbidden: User \"system:serviceaccount:ci:korea\" cannot "
                        + "patch resource \"deployments\" in API group \"apps\" in the namespace \"shop\"").build());

        assertThat(Api.forbiddenMessage(forbidden)).startsWith("forbidden: korea may not patch deployments.apps")
                .contains("docs/promote.md").contains("Permissions");
    }
}
