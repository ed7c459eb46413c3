// The yardstick of the ingest-webhooks benchmark, not part of the product (run by run.sh with java's source launcher):
//   java -cp "<ingest-webhooks quarkus-app>/lib/main/*:<...>/lib/boot/*" LeanReceiver.java <port> <bootstrap> <topic>
// <secret>
// A bare Vert.x HTTP server, as many event loops and server instances as Quarkus gives ingest-webhooks (2 per core):
// POST /webhooks/mrspeedy/<account> checks X-DV-Signature (hex HMAC-SHA256 of the raw body, constant-time compare)
// and forwards the body, byte for byte, with one plain KafkaProducer (the service's producer settings: acks=all,
// idempotent, lz4, linger 1 ms, keyed by the signature); 200 once Kafka acknowledged, 401 for a wrong signature,
// 503 when Kafka refused. No JSON, UTF-8, size or metrics checks, no envelope: what a receiver costs at the least.
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class LeanReceiver extends AbstractVerticle {

    static final Buffer ACCEPTED = Buffer.buffer("{\"status\":\"accepted\"}");
    static final int MAX_BODY = 262_144;

    private final int port;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final SecretKeySpec key;
    private Mac mac; // one per verticle instance: each runs on its own event loop

    LeanReceiver(int port, KafkaProducer<String, byte[]> producer, String topic, SecretKeySpec key) {
        this.port = port;
        this.producer = producer;
        this.topic = topic;
        this.key = key;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) { // printed here: the source launcher cuts the stack trace of what main throws
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Properties p = new Properties();
        p.put("bootstrap.servers", args[1]);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("linger.ms", "1");
        p.put("compression.type", "lz4");
        p.put("max.block.ms", "250");
        var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        for (int tries = 1; ; tries++) { // metadata before the first request, as RawPublisher does
            try {
                producer.partitionsFor(args[2]);
                break;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (tries == 40) {
                    throw e;
                }
            }
        }
        var key = new SecretKeySpec(args[3].getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        CountDownLatch started = new CountDownLatch(loops);
        for (int i = 0; i < loops; i++) {
            vertx.deployVerticle(new LeanReceiver(port, producer, args[2], key), new DeploymentOptions())
                    .onComplete(done -> {
                        if (done.failed()) {
                            done.cause().printStackTrace();
                            System.exit(1);
                        }
                        started.countDown();
                    });
        }
        started.await();
        System.out.printf("lean receiver on 127.0.0.1:%d, %d event loops%n", port, loops);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            producer.close();
        }));
    }

    @Override
    public void start(Promise<Void> started) throws Exception {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(this::handle)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != io.vertx.core.http.HttpMethod.POST
                || !request.path().startsWith("/webhooks/mrspeedy/")) {
            request.response().setStatusCode(404).end();
            return;
        }
        String signature = request.getHeader("X-DV-Signature");
        request.body().onSuccess(body -> {
            byte[] bytes = body.getBytes();
            if (bytes.length > MAX_BODY || !signed(bytes, signature)) {
                request.response().setStatusCode(401).end();
                return;
            }
            producer.send(new ProducerRecord<>(topic, signature, bytes), (metadata, error) -> {
                // The callback runs on the producer's I/O thread; Vert.x hands the write to the request's event loop.
                if (error == null) {
                    request.response()
                            .putHeader("Content-Type", "application/json")
                            .end(ACCEPTED);
                } else {
                    request.response().setStatusCode(503).end();
                }
            });
        });
    }

    private boolean signed(byte[] body, String signatureHex) {
        if (signatureHex == null || signatureHex.length() != 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac.doFinal(body), given);
    }
}
