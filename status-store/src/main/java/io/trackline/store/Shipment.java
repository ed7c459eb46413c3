package io.trackline.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A shipment's current state. Written by {@link io.trackline.store.repository.TimelineRepository}, read through
 * Panache, and heard as it changes ({@link io.trackline.store.repository.ShipmentChanges}).
 */
@Entity
@Table(name = "shipment")
public class Shipment extends PanacheEntityBase {

    @Id
    public String id;

    public String carrier;
    public String account;
    public String reference;
    /** JSON text; read as text because the reactive driver hands jsonb back as a Vert.x object. */
    @Column(name = "references_json")
    @ColumnTransformer(read = "references_json::text", write = "?::jsonb")
    public String referencesJson;

    public String status;
    public String reason;
    /** The event the current status comes from. */
    @Column(name = "status_event_id")
    public String statusEventId;

    @Column(name = "status_event_at")
    public OffsetDateTime statusEventAt;
    /** The latest event of the timeline by event time. */
    @Column(name = "last_event_id")
    public String lastEventId;

    @Column(name = "last_event_at")
    public OffsetDateTime lastEventAt;

    public OffsetDateTime eta;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
