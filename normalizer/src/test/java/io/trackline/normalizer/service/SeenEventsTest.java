package io.trackline.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.EventIds;
import io.trackline.events.Source;
import io.trackline.normalizer.service.SeenEvents.PartitionState;
import io.trackline.normalizer.service.SeenEvents.Verdict;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeenEventsTest {

    static CanonicalEvent event(String code, CanonicalStatus status, String at, String version) {
        OffsetDateTime t = OffsetDateTime.parse(at);
        return CanonicalEvent.builder()
                .eventId(EventIds.of("mrspeedy:demo:1", "order.status=" + code, t))
                .shipmentId("mrspeedy:demo:1")
                .carrier(Carrier.MRSPEEDY)
                .account("demo")
                .reference("1")
                .references(Map.of())
                .status(status)
                .occurredAt(t)
                .rawCode(code)
                .source(Source.WEBHOOK)
                .mappingVersion(version)
                .rawField("order.status")
                .build();
    }

    @Test
    void sameIdIsADuplicateAndAnUnchangedStateTooButAChangedOneIsNot() {
        PartitionState state = new SeenEvents().partition(0);
        CanonicalEvent active = event("active", CanonicalStatus.IN_TRANSIT, "2019-02-16T18:00:00+07:00", "v1");
        assertThat(state.judge(active, true, false)).isEqualTo(Verdict.NEW);
        state.record(active);

        assertThat(state.judge(active, false, false)).isEqualTo(Verdict.DUPLICATE);
        CanonicalEvent activeLater = event("active", CanonicalStatus.IN_TRANSIT, "2019-02-16T18:30:00+07:00", "v1");
        assertThat(state.judge(activeLater, true, false)).isEqualTo(Verdict.DUPLICATE);
        assertThat(state.judge(activeLater, false, false)).isEqualTo(Verdict.NEW);
        CanonicalEvent completed = event("completed", CanonicalStatus.DELIVERED, "2019-02-16T19:00:00+07:00", "v1");
        assertThat(state.judge(completed, true, false)).isEqualTo(Verdict.NEW);
    }

    @Test
    void reNormalizationRepublishesOnlyWhatChanged() {
        PartitionState state = new SeenEvents().partition(0);
        state.record(event("delayed", CanonicalStatus.DELIVERY_FAILED, "2019-02-16T18:00:00+07:00", "v1"));

        assertThat(state.judge(
                        event("delayed", CanonicalStatus.DELIVERY_FAILED, "2019-02-16T18:00:00+07:00", "v2"),
                        false,
                        true))
                .isEqualTo(Verdict.DUPLICATE);
        assertThat(state.judge(
                        event("delayed", CanonicalStatus.IN_TRANSIT, "2019-02-16T18:00:00+07:00", "v2"), false, true))
                .isEqualTo(Verdict.CORRECTION);
        assertThat(state.judge(
                        event("delayed", CanonicalStatus.IN_TRANSIT, "2019-02-16T18:00:00+07:00", "v2"), false, false))
                .isEqualTo(Verdict.DUPLICATE);
    }
}
