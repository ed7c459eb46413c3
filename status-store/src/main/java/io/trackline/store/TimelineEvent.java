package io.trackline.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/** One canonical event of a shipment's timeline; {@link #event} is the event as the normalizer published it. */
@Entity
@Table(name = "timeline_event")
public class TimelineEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "shipment_id")
    public String shipmentId;

    public String status;
    public String reason;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "raw_code")
    public String rawCode;

    public String source;
    /** JSON text; read as text because the reactive driver hands jsonb back as a Vert.x object. */
    @Column(name = "event_json")
    @ColumnTransformer(read = "event_json::text", write = "?::jsonb")
    public String eventJson;

    @Column(name = "stored_at")
    public OffsetDateTime storedAt;
}
