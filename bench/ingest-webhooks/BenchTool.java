// Benchmark helper of ingest-webhooks (run by run.sh with java's source launcher; needs only kafka-clients):
//   java -cp "local-infra/target/lib/*" BenchTool.java gen <out-file> <count> <orders> <secret>
//       writes <count> signed MrSpeedy callbacks of 2-3 KB (Thai addresses), one "signature<TAB>body" per line
//   java -cp "local-infra/target/lib/*" BenchTool.java produce <bootstrap> <topic> <file> <count> <inflight> [max-s]
//       sends the same bodies, wrapped as raw envelopes with the receiver's key, with the receiver's producer
//       settings (acks=all, idempotent, lz4, linger 1 ms); at most <inflight> records unacknowledged (0 = unbounded);
//       stops after <count> records or [max-s] seconds (default 60), whichever comes first
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class BenchTool {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen" -> gen(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
            case "produce" -> produce(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 60);
            default -> throw new IllegalArgumentException("gen | produce");
        }
    }

    static final String[] STREETS = {"ถนน สุขุมวิท แขวง คลองเตยเหนือ เขต วัฒนา", "ถนน พระราม 4 แขวง ลุมพินี เขต ปทุมวัน",
            "ถนน สีลม แขวง สุริยวงศ์ เขต บางรัก", "ถนน รัชดาภิเษก แขวง ห้วยขวาง เขต ห้วยขวาง"};
    static final String[] STATUSES = {"planned", "available", "active", "courier_assigned", "courier_departed",
            "parcel_picked_up", "courier_arrived", "completed"};

    static void gen(Path out, int count, int orders, String secret) throws Exception {
        Random random = new Random(42);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long sizes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                long orderId = 7_000_000 + random.nextInt(orders);
                String body = body(orderId, i, random);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                sizes += bytes.length;
                w.write(HexFormat.of().formatHex(mac.doFinal(bytes)));
                w.write('\t');
                w.write(body);
                w.write('\n');
            }
        }
        System.out.printf("wrote %d signed callbacks, %d bytes on average, to %s%n", count, sizes / count, out);
    }

    static String body(long orderId, int seq, Random random) {
        StringBuilder points = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            if (p > 0) {
                points.append(',');
            }
            points.append("{\"point_id\":").append(200000 + seq * 3 + p)
                    .append(",\"client_order_id\":null,\"address\":\"").append(10 + random.nextInt(900)).append('/')
                    .append(random.nextInt(99)).append(' ').append(STREETS[random.nextInt(STREETS.length)])
                    .append(" กรุงเทพมหานคร 10110 ประเทศไทย\",\"latitude\":\"13.7").append(random.nextInt(99999))
                    .append("\",\"longitude\":\"100.5").append(random.nextInt(99999))
                    .append("\",\"required_start_datetime\":\"2026-11-24T18:00:13+07:00\","
                            + "\"required_finish_datetime\":\"2026-11-24T18:30:13+07:00\",\"arrival_start_datetime\":null,"
                            + "\"arrival_finish_datetime\":null,\"courier_visit_datetime\":null,\"contact_person\":"
                            + "{\"name\":\"สมชาย ใจดี\",\"phone\":\"6690000").append(1000 + random.nextInt(8999))
                    .append("\"},\"taking_amount\":\"0.00\",\"buyout_amount\":\"0.00\",\"note\":\"โทรก่อนส่ง\"}");
        }
        return "{\"event_datetime\":\"" + OffsetDateTime.parse("2026-11-24T17:30:13+07:00").plusSeconds(seq)
                + "\",\"order\":{\"order_id\":" + orderId + ",\"order_name\":\"" + (orderId % 100000)
                + "\",\"vehicle_type_id\":8,\"created_datetime\":\"2026-11-24T17:05:13+07:00\",\"finish_datetime\":null,"
                + "\"status\":\"" + STATUSES[seq % STATUSES.length] + "\",\"matter\":\"เอกสาร\",\"total_weight_kg\":0,"
                + "\"is_client_notification_enabled\":false,\"is_contact_person_notification_enabled\":false,"
                + "\"loaders_count\":0,\"backpayment_details\":null,\"points\":[" + points
                + "],\"payment_amount\":\"170.00\",\"delivery_fee_amount\":\"170.00\",\"weight_fee_amount\":\"0.00\","
                + "\"insurance_amount\":\"0.00\",\"insurance_fee_amount\":\"0.00\",\"loading_fee_amount\":\"0.00\","
                + "\"money_transfer_fee_amount\":\"0.00\",\"suburban_delivery_fee_amount\":\"0.00\","
                + "\"discount_amount\":\"0.00\",\"courier\":{\"courier_id\":" + (40 + seq % 7)
                + ",\"name\":\"ทดสอบ\",\"phone\":\"66900000002\",\"latitude\":null,\"longitude\":null}}}";
    }

    /** The envelope the receiver writes (same fields; the body embedded as it came, as RawEnvelopes does). */
    static String envelope(String signature, String body, int seq) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String digest = "sha-256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return "{\"schemaVersion\":2,\"carrier\":\"mrspeedy\",\"account\":\"bench\",\"source\":\"webhook\","
                + "\"shipmentRef\":\"" + orderId(body) + "\",\"receivedAt\":\"" + OffsetDateTime.now()
                + "\",\"requestId\":\"bench-" + seq + "\",\"contentType\":\"application/json\",\"headers\":"
                + "{\"X-DV-Signature\":\"" + signature + "\",\"Content-Type\":\"application/json\",\"Content-Length\":\""
                + bytes.length + "\",\"User-Agent\":\"wrk\"},\"contentDigest\":\"" + digest + "\",\"payload\":" + body + "}";
    }

    static String orderId(String body) {
        int start = body.indexOf("\"order_id\":") + 11;
        return body.substring(start, body.indexOf(',', start));
    }

    static void produce(String bootstrap, String topic, Path file, int count, int inflight, int maxSeconds)
            throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("linger.ms", "1");
        props.put("compression.type", "lz4");
        long[] latencies = new long[count];
        AtomicInteger done = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        Semaphore window = new Semaphore(inflight > 0 ? inflight : Integer.MAX_VALUE);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props)) {
            // Warm-up: connection, metadata and JIT, not measured.
            for (int i = 0; i < Math.min(2000, count); i++) {
                String[] line = lines.get(i % lines.size()).split("\t", 2);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                        "mrspeedy:bench:" + orderId(line[1]), envelope(line[0], line[1], -i)));
            }
            producer.flush();
            long start = System.nanoTime();
            long deadline = start + maxSeconds * 1_000_000_000L;
            int sentCount = 0;
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                sentCount++;
                String[] line = lines.get(i % lines.size()).split("\t", 2);
                // Built per record, as the receiver builds one envelope per callback.
                String value = envelope(line[0], line[1], i);
                window.acquire();
                long sent = System.nanoTime();
                int index = i;
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                        "mrspeedy:bench:" + orderId(line[1]), value), (metadata, error) -> {
                            latencies[index] = System.nanoTime() - sent;
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                            done.incrementAndGet();
                            window.release();
                        });
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, done.get());
            Arrays.sort(sorted);
            System.out.printf("bare producer (inflight %s): %d records in %.2f s = %.0f records/s, "
                            + "ack latency p50 %.2f ms, p99 %.2f ms, failed %d%n",
                    inflight > 0 ? inflight : "unbounded", sentCount, seconds, sentCount / seconds,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, failed.get());
        }
    }
}
