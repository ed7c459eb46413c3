// Benchmark helper of ingest-webhooks (run by run.sh with java's source launcher; needs kafka-clients and the events
// module, both in local-infra/target/lib):
//   java -cp "local-infra/target/lib/*" BenchTool.java gen <out-file> <count> <orders> <secret> [points]
//       writes <count> signed MrSpeedy callbacks (Thai addresses; 2 points of delivery are about 2.3 KB, 3 about
//       3.0 KB), one "signature<TAB>body" per line
//   java -cp "local-infra/target/lib/*" BenchTool.java produce <bootstrap> <topic> <file> <inflight>
//       the bare producer: sends the same records as the receiver (key, value, built by the events module) with the
//       receiver's producer settings (acks=all, idempotent, lz4, linger 1 ms), at most <inflight> unacknowledged,
//       one measured round per line of stdin (the line: seconds), one RESULT line per round
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class BenchTool {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen" ->
                gen(
                        Path.of(args[1]),
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        args[4],
                        args.length > 5 ? Integer.parseInt(args[5]) : 3);
            case "produce" -> produce(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("gen | produce");
        }
    }

    static final String[] STREETS = {
        "ถนน สุขุมวิท แขวง คลองเตยเหนือ เขต วัฒนา",
        "ถนน พระราม 4 แขวง ลุมพินี เขต ปทุมวัน",
        "ถนน สีลม แขวง สุริยวงศ์ เขต บางรัก",
        "ถนน รัชดาภิเษก แขวง ห้วยขวาง เขต ห้วยขวาง"
    };
    static final String[] STATUSES = {
        "planned",
        "available",
        "active",
        "courier_assigned",
        "courier_departed",
        "parcel_picked_up",
        "courier_arrived",
        "completed"
    };

    static void gen(Path out, int count, int orders, String secret, int points) throws Exception {
        Random random = new Random(42);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long sizes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                long orderId = 7_000_000 + random.nextInt(orders);
                String body = body(orderId, i, points, random);
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

    static String body(long orderId, int seq, int pointCount, Random random) {
        StringBuilder points = new StringBuilder();
        for (int p = 0; p < pointCount; p++) {
            if (p > 0) {
                points.append(',');
            }
            points.append("{\"point_id\":")
                    .append(200000 + seq * 3 + p)
                    .append(",\"client_order_id\":null,\"address\":\"")
                    .append(10 + random.nextInt(900))
                    .append('/')
                    .append(random.nextInt(99))
                    .append(' ')
                    .append(STREETS[random.nextInt(STREETS.length)])
                    .append(" กรุงเทพมหานคร 10110 ประเทศไทย\",\"latitude\":\"13.7")
                    .append(random.nextInt(99999))
                    .append("\",\"longitude\":\"100.5")
                    .append(random.nextInt(99999))
                    .append("\",\"required_start_datetime\":\"2026-11-24T18:00:13+07:00\","
                            + "\"required_finish_datetime\":\"2026-11-24T18:30:13+07:00\",\"arrival_start_datetime\":null,"
                            + "\"arrival_finish_datetime\":null,\"courier_visit_datetime\":null,\"contact_person\":"
                            + "{\"name\":\"สมชาย ใจดี\",\"phone\":\"6690000")
                    .append(1000 + random.nextInt(8999))
                    .append(
                            "\"},\"taking_amount\":\"0.00\",\"buyout_amount\":\"0.00\",\"note\":\"โทรก่อนส่ง ฝากไว้ที่นิติบุคคลได้ ขอบคุณครับ\"}");
        }
        return "{\"event_datetime\":\""
                + OffsetDateTime.parse("2026-11-24T17:30:13+07:00").plusSeconds(seq)
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

    /**
     * The record ingest-webhooks writes for a callback, built by the events module's own code (the one place to
     * change when the raw topic's encoding changes): key = the shipment id, value = the payload, ce_* headers.
     */
    static ProducerRecord<String, byte[]> record(String topic, String signature, byte[] body, int seq) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-DV-Signature", signature);
        headers.put("Content-Type", "application/json");
        headers.put("Content-Length", String.valueOf(body.length));
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "bench",
                Source.WEBHOOK,
                orderId(body),
                OffsetDateTime.now(),
                "bench-" + seq,
                "application/json",
                headers,
                body);
        return RawRecords.record(topic, envelope); // CloudEvents binary mode: the payload as value, ce_* headers
    }

    static String orderId(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int start = text.indexOf("\"order_id\":") + 11;
        return text.substring(start, text.indexOf(',', start));
    }

    /**
     * One long-lived producer (warm from round to round, as the receivers are): each line read from stdin is a
     * number of seconds; it sends for that long with at most {@code inflight} records unacknowledged and prints one
     * {@code RESULT} line. Each record is built when sent, as the receiver builds one per callback.
     */
    static void produce(String bootstrap, String topic, Path file, int inflight) throws Exception {
        List<String[]> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\t", 2))
                .toList();
        List<byte[]> bodies = lines.stream()
                .map(line -> line[1].getBytes(StandardCharsets.UTF_8))
                .toList();
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("linger.ms", "1");
        props.put("compression.type", "lz4");
        Semaphore window = new Semaphore(inflight);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic);
            System.out.println("READY");
            int seq = 0;
            for (String command; (command = commands.readLine()) != null; ) {
                long seconds = Long.parseLong(command.strip());
                long[] latencies = new long[4_000_000];
                AtomicInteger done = new AtomicInteger();
                AtomicLong failed = new AtomicLong();
                long start = System.nanoTime();
                long deadline = start + seconds * 1_000_000_000L;
                int sent = 0;
                while (System.nanoTime() < deadline && sent < latencies.length) {
                    int i = seq++ % lines.size();
                    ProducerRecord<String, byte[]> record = record(topic, lines.get(i)[0], bodies.get(i), seq);
                    window.acquire();
                    long sentAt = System.nanoTime();
                    int index = sent++;
                    producer.send(record, (metadata, error) -> {
                        latencies[index] = System.nanoTime() - sentAt;
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                        window.release();
                    });
                }
                producer.flush();
                double took = (System.nanoTime() - start) / 1e9;
                long[] sorted = Arrays.copyOf(latencies, done.get());
                Arrays.sort(sorted);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %.0f records/s p50 %.2f ms p99 %.2f ms records %d failed %d%n",
                        sent / took,
                        sorted[sorted.length / 2] / 1e6,
                        sorted[(int) (sorted.length * 0.99)] / 1e6,
                        sent,
                        failed.get());
            }
        }
    }
}
