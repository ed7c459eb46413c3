package io.trackline.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.DateTimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failed writes are retried and which park their records. */
class WriteFailuresTest {

    static PgException pg(String state) {
        return new PgException("refused", "ERROR", state, null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "08006", "08001", "08P01", "53100", "53200", "53300", "57P01", "57P02", "57P03", "57014", "40001",
                "40P01", "42P01", "42703", "XX000", "55P03", "25006"
            })
    void unavailabilityAndUnknownStatesAreTransient(String state) {
        assertThat(WriteFailures.isTransient(pg(state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"22008", "22P05", "22021", "22P02", "22001", "23505", "23502", "54000", "54001"})
    void dataStatesArePermanent(String state) {
        assertThat(WriteFailures.isTransient(pg(state))).isFalse();
        UnstorableEventException parked = WriteFailures.unstorable(new VertxException("wrapped", pg(state)));
        assertThat(parked.code()).isEqualTo(UnstorableEventException.REJECTED_BY_DATABASE);
        assertThat(parked.getMessage()).isEqualTo("PostgreSQL refused it: SQLSTATE " + state + " refused");
        assertThat(parked.getCause()).isInstanceOf(PgException.class);
    }

    @Test
    void connectionFailuresAreTransient() {
        assertThat(WriteFailures.isTransient(new ConnectException("Connection refused")))
                .isTrue();
        assertThat(WriteFailures.isTransient(ClosedConnectionException.INSTANCE))
                .isTrue();
        assertThat(WriteFailures.isTransient(new VertxException("pool", new IOException("Connection reset"))))
                .isTrue();
        assertThat(WriteFailures.isTransient(new VertxException("Pool closed"))).isTrue();
        assertThat(WriteFailures.isTransient(new java.util.concurrent.TimeoutException()))
                .isTrue();
    }

    @Test
    void javaFailuresOnARecordArePermanentEvenWithAnIoCause() {
        assertThat(WriteFailures.isTransient(new NullPointerException())).isFalse();
        assertThat(WriteFailures.isTransient(new ArithmeticException("long overflow")))
                .isFalse();
        assertThat(WriteFailures.isTransient(new DateTimeException("bad"))).isFalse();
        assertThat(WriteFailures.isTransient(
                        new IllegalArgumentException("event not serializable", new JsonParseException(null, "x"))))
                .isFalse();
        assertThat(WriteFailures.unstorable(new IllegalArgumentException("no")).code())
                .isEqualTo(UnstorableEventException.UNPROCESSABLE);
        assertThat(WriteFailures.isTransient(new UnstorableEventException("x", "y")))
                .isFalse();
    }
}
