package io.trackline.pollers.service;

import io.trackline.events.Carrier;
import io.trackline.events.Subscription;

/**
 * One carrier's tracking look-up, as the scheduler calls it: one subscription, one answer. The client owns the
 * carrier's protocol (paths, parameters, credentials, error codes) and its fault tolerance (retries with backoff on
 * 5xx and I/O errors), and takes a token from the {@link Quota} before every attempt it sends, retries included.
 * It never throws for what the carrier answered: every answer, refusals included, is a {@link PollAnswer}.
 */
public interface CarrierClient {

    Carrier carrier();

    /** Asks the carrier for the subscription's tracking, on the calling (worker) thread. */
    PollAnswer track(Subscription subscription);
}
