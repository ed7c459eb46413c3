package io.trackline.infra;

import static io.trackline.events.Topics.EVENTS;
import static io.trackline.events.Topics.EVENTS_DLQ;
import static io.trackline.events.Topics.RAW;
import static io.trackline.events.Topics.RAW_DLQ;
import static io.trackline.events.Topics.SUBSCRIPTIONS;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How Trackline's topics ({@link io.trackline.events.Topics}) are laid out. Raw and events topics have the same partition count, so one
 * shipment (one key) stays on the same partition number end to end.
 */
public final class TopicLayout {

    private TopicLayout() {}

    public static List<NewTopic> topics(int partitions, short replication) {
        return List.of(
                new NewTopic(RAW, partitions, replication),
                new NewTopic(EVENTS, partitions, replication),
                new NewTopic(RAW_DLQ, partitions, replication),
                new NewTopic(EVENTS_DLQ, partitions, replication),
                new NewTopic(SUBSCRIPTIONS, partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** Creates whichever of Trackline's topics do not exist yet; existing ones are left as they are. */
    public static Set<String> ensure(String bootstrapServers, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics(partitions, replication).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            Set<String> created = new HashSet<>();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get();
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    // A create that timed out on a busy broker may still have succeeded: the topic is there.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        }
    }
}
