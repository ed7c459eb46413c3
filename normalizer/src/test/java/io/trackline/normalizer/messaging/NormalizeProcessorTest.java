package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Raw records in binary mode and the old JSON envelopes give the same canonical events. */
class NormalizeProcessorTest {

    final Normalizer normalizer = Samples.normalizer(Samples.metrics(new SimpleMeterRegistry()));

    @Test
    void binaryModeAndVersionTwoAndVersionOneRecordsGiveTheSameEvents() throws Exception {
        RawEnvelope envelope =
                Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", Samples.text(Samples.MRSPEEDY_CALLBACK));
        ProducerRecord<String, byte[]> binary = RawRecords.record(Topics.RAW, envelope);

        RawRecords.Decoded fromBinary = NormalizeProcessor.readEnvelope(binary.headers(), binary.value());
        RawRecords.Decoded fromV2 =
                NormalizeProcessor.readEnvelope(new RecordHeaders(), OldRawValues.versionTwo(envelope));
        RawRecords.Decoded fromV1 =
                NormalizeProcessor.readEnvelope(new RecordHeaders(), OldRawValues.versionOne(envelope));
        assertThat(fromBinary.json()).isNull();
        assertThat(fromV2.json()).isNotNull();
        assertThat(fromV1.json()).isNull();
        assertThat(fromBinary.envelope()).isEqualTo(envelope);
        assertThat(fromV1.envelope().payload())
                .isEqualTo(fromV2.envelope().payload())
                .isEqualTo(envelope.payload());

        List<Normalized> a = normalizer.normalize(fromBinary.envelope(), fromBinary.json());
        assertThat(a).isNotEmpty();
        assertThat(normalizer.normalize(fromV2.envelope(), fromV2.json())).isEqualTo(a);
        assertThat(normalizer.normalize(fromV1.envelope(), fromV1.json())).isEqualTo(a);
        assertThat(normalizer.normalize(envelope)).isEqualTo(a);
    }

    @Test
    void onlyFailuresOfTheRecordItselfArePermanent() {
        assertThat(RecordFailureHandler.permanent(new RecordTooLargeException("1 MB")))
                .isTrue();
        assertThat(RecordFailureHandler.permanent(new CompletionException(new SerializationException("x"))))
                .isTrue();
        assertThat(RecordFailureHandler.permanent(new InvalidTopicException("bad name")))
                .isTrue();
        assertThat(RecordFailureHandler.permanent(new StreamsException(new InvalidRecordException("b"))))
                .isTrue();
        // may go away: nothing is diverted, the task fails and resumes from its last commit
        assertThat(RecordFailureHandler.permanent(new TimeoutException("no broker")))
                .isFalse();
        assertThat(RecordFailureHandler.permanent(new NotEnoughReplicasException("isr")))
                .isFalse();
        assertThat(RecordFailureHandler.permanent(new KafkaException("producer closed")))
                .isFalse();
        assertThat(RecordFailureHandler.permanent(new StreamsException(new TimeoutException("b"))))
                .isFalse();
    }

    @Test
    void aValueInAnotherEncodingIsNoEnvelope() {
        for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
            byte[] value = OldRawValues.versionTwo(Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1", "{}"));
            byte[] other = new String(value, StandardCharsets.UTF_8).getBytes(Charset.forName(charset));
            assertThatThrownBy(() -> NormalizeProcessor.readEnvelope(new RecordHeaders(), other))
                    .as(charset)
                    .isInstanceOfSatisfying(
                            UnparseableException.class,
                            e -> assertThat(e.code()).isEqualTo(DeadLetterCode.INVALID_ENVELOPE));
        }
    }

    @Test
    void whatIsNotAnEnvelopeIsUnparseable() {
        assertThatThrownBy(() -> NormalizeProcessor.readEnvelope(
                        new RecordHeaders(), "<html/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnparseableException.class)
                .hasMessageContaining("not a Trackline envelope");
        assertThatThrownBy(() -> NormalizeProcessor.readEnvelope(
                        new RecordHeaders(), "{\"carrier\":\"all24\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnparseableException.class)
                .hasMessageContaining("no carrier or payload");
        ProducerRecord<String, byte[]> binary =
                RawRecords.record(Topics.RAW, Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1", "{}"));
        binary.headers().remove(RawRecords.SPECVERSION).add(RawRecords.SPECVERSION, "0.3".getBytes());
        assertThatThrownBy(() -> NormalizeProcessor.readEnvelope(binary.headers(), binary.value()))
                .isInstanceOfSatisfying(
                        UnparseableException.class,
                        e -> assertThat(e.code()).isEqualTo(DeadLetterCode.INVALID_ENVELOPE))
                .hasMessageContaining("ce_specversion '0.3'");
    }
}
