package io.trackline.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;

/**
 * Whether the broker answers, within a timeout, that the topics a service writes to exist: the readiness check of a
 * service that stores what it is given on a topic (a receiver that cannot store a callback should not get one). Plain
 * Java; each service turns the {@link Result} into its own health check. Not a liveness check: a broker outage is no
 * reason to restart a service.
 */
public final class TopicCheck {

    /**
     * The answer of one check: {@code error} is null when every topic exists, else the simple class name of what
     * the broker or the client said (e.g. {@code UnknownTopicOrPartitionException}, {@code TimeoutException}).
     */
    public record Result(List<String> topics, String error) {

        public boolean up() {
            return error == null;
        }
    }

    private final Admin admin;
    private final List<String> topics;
    private final Duration timeout;

    /** @param admin used, not owned: the caller closes it */
    public TopicCheck(Admin admin, List<String> topics, Duration timeout) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("no topic to check");
        }
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    public List<String> topics() {
        return topics;
    }

    /** Asks the broker now; never throws. */
    public Result check() {
        int timeoutMs = (int) timeout.toMillis();
        try {
            admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeoutMs))
                    .allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            return new Result(topics, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(topics, e.getClass().getSimpleName());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Result(topics, cause.getClass().getSimpleName());
        } catch (Exception e) {
            return new Result(topics, e.getClass().getSimpleName());
        }
    }
}
