package io.trackline.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A collector for the tests: an OTLP/HTTP receiver on 127.0.0.1 ({@code POST /v1/traces}, protobuf, gzip or not)
 * that keeps every span the services export. It reads only what the tests look at, from the wire format of
 * {@code opentelemetry/proto/collector/trace/v1/trace_service.proto}: per span the service (resource attribute
 * {@code service.name}), trace id, span id, parent span id, name, kind and links.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One exported span. Ids are lower-case hex; {@code parentSpanId} is empty for a root span. */
    record Span(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            List<Link> links) {

        static final int SERVER = 2;
        static final int CLIENT = 3;
        static final int PRODUCER = 4;
        static final int CONSUMER = 5;
    }

    record Link(String traceId, String spanId) {}

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::export); // /v1/traces
        server.start();
    }

    /** The base URL to give a service as {@code quarkus.otel.exporter.otlp.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void export(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in =
                    "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody())
                            : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = 200;
            try {
                for (Field rs : fields(body)) { // ExportTraceServiceRequest.resource_spans = 1
                    if (rs.number == 1) {
                        resourceSpans(rs.bytes);
                    }
                }
            } catch (RuntimeException e) {
                status = 400;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, -1); // an empty ExportTraceServiceResponse
        } finally {
            exchange.close();
        }
    }

    private void resourceSpans(byte[] message) {
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        for (Field f : fields(message)) {
            if (f.number == 1) { // resource: attributes = 1 (KeyValue: key = 1, value = 2 AnyValue: string = 1)
                for (Field attribute : fields(f.bytes)) {
                    if (attribute.number == 1) {
                        String key = null;
                        String value = null;
                        for (Field kv : fields(attribute.bytes)) {
                            if (kv.number == 1) {
                                key = new String(kv.bytes, StandardCharsets.UTF_8);
                            } else if (kv.number == 2) {
                                for (Field any : fields(kv.bytes)) {
                                    if (any.number == 1) {
                                        value = new String(any.bytes, StandardCharsets.UTF_8);
                                    }
                                }
                            }
                        }
                        if ("service.name".equals(key) && value != null) {
                            service = value;
                        }
                    }
                }
            } else if (f.number == 2) { // scope_spans: spans = 2
                scopes.add(f.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (Field s : fields(scope)) {
                if (s.number == 2) {
                    spans.add(span(service, s.bytes));
                }
            }
        }
    }

    private static Span span(String service, byte[] message) {
        String trace = "";
        String id = "";
        String parent = "";
        String name = "";
        int kind = 0;
        List<Link> links = new ArrayList<>();
        for (Field f : fields(message)) {
            switch (f.number) {
                case 1 -> trace = hex(f.bytes);
                case 2 -> id = hex(f.bytes);
                case 4 -> parent = hex(f.bytes);
                case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.varint;
                case 13 -> { // links: trace_id = 1, span_id = 2
                    String lt = "";
                    String ls = "";
                    for (Field l : fields(f.bytes)) {
                        if (l.number == 1) {
                            lt = hex(l.bytes);
                        } else if (l.number == 2) {
                            ls = hex(l.bytes);
                        }
                    }
                    links.add(new Link(lt, ls));
                }
                default -> {}
            }
        }
        return new Span(service, trace, id, parent, name, kind, List.copyOf(links));
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "" : HexFormat.of().formatHex(bytes);
    }

    /** One field of a protobuf message: its number, and its bytes (length-delimited) or its varint. */
    private record Field(int number, byte[] bytes, long varint) {}

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.add(new Field(number, null, varint(in)));
                case 1 -> fields.add(new Field(number, null, in.getLong()));
                case 2 -> {
                    int length = (int) varint(in);
                    byte[] bytes = new byte[length];
                    in.get(bytes);
                    fields.add(new Field(number, bytes, 0));
                }
                case 5 -> fields.add(new Field(number, null, in.getInt()));
                default -> throw new IllegalArgumentException("wire type " + (tag & 7));
            }
        }
        return fields;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
