package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trackline.testsupport.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The topic-exists readiness check on the real broker. */
class TopicCheckIT {

    private static Admin admin;

    @BeforeAll
    static void broker() {
        admin = KafkaClients.admin(
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers()), "topic-check-it", 5000);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void upWhenEveryTopicExists() throws Exception {
        String one = "check-" + UUID.randomUUID();
        String two = "check-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(one, 1, (short) 1), new NewTopic(two, 2, (short) 1)))
                .all()
                .get();

        TopicCheck.Result result = new TopicCheck(admin, List.of(one, two), Duration.ofSeconds(2)).check();

        assertThat(result.up()).isTrue();
        assertThat(result.error()).isNull();
        assertThat(result.topics()).containsExactly(one, two);
    }

    @Test
    void downWhenATopicIsMissingAndSaysWhy() throws Exception {
        String present = "check-" + UUID.randomUUID();
        String missing = "missing-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(present, 1, (short) 1))).all().get();

        TopicCheck.Result result = new TopicCheck(admin, List.of(present, missing), Duration.ofSeconds(2)).check();

        assertThat(result.up()).isFalse();
        assertThat(result.error()).isEqualTo("UnknownTopicOrPartitionException");
    }

    @Test
    void downWithinTheTimeoutWhenNoBrokerAnswers() {
        try (Admin nowhere = KafkaClients.admin(Map.of("bootstrap.servers", "127.0.0.1:1"), "nowhere", 500)) {
            long start = System.nanoTime();
            TopicCheck.Result result =
                    new TopicCheck(nowhere, List.of("trackline.raw.v1"), Duration.ofMillis(500)).check();

            assertThat(result.up()).isFalse();
            assertThat(result.error()).isEqualTo("TimeoutException");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aCheckOfNoTopicIsAMistake() {
        assertThatThrownBy(() -> new TopicCheck(admin, List.of(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
