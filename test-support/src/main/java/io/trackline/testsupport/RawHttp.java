package io.trackline.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1 client of exact bytes, for what a well-behaved client cannot send: it writes the bytes given, reads the
 * first answer, and then tells whether the server closed the connection and what else it sent. localhost only;
 * every read is bounded in time.
 */
public final class RawHttp {

    /** How long the first answer may take. */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private static final Pattern STATUS_LINE = Pattern.compile("^(\\S+) (\\d{3})(?: .*)?$");

    private RawHttp() {}

    /**
     * What came back.
     *
     * @param status    the first answer's status code, or -1 when nothing came before the server closed
     * @param body      the first answer's body
     * @param closed    whether the server closed the connection within the wait given
     * @param afterward what the server sent after the first answer (a second answer means it read a second request)
     */
    public record Answer(
            String statusLine, int status, Map<String, String> headers, String body, boolean closed, String afterward) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The {@code code} of a JSON error body, or null. */
        public String code() {
            Matcher m = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " " + body + (closed ? " [closed]" : " [open]")
                    + (afterward.isEmpty() ? "" : " then: " + afterward);
        }
    }

    public static Answer exchange(int port, String request, Duration closeWithin) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), closeWithin);
    }

    /**
     * Sends {@code request}, reads the first answer, then waits up to {@code closeWithin} for the server to close
     * the connection (returning as soon as it does).
     */
    public static Answer exchange(int port, byte[] request, Duration closeWithin) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            Answer first = readAnswer(in);
            if (first.status() < 0) {
                return first;
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            boolean closed = readUntilClosed(socket, in, rest, closeWithin);
            return new Answer(
                    first.statusLine(),
                    first.status(),
                    first.headers(),
                    first.body(),
                    closed,
                    rest.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException("no answer on port " + port + ": " + e, e);
        }
    }

    /**
     * Sends {@code bytes} and waits, reading nothing back but the close: how long the server kept the connection.
     *
     * @return the time until the server closed it, or null if it was still open after {@code atMost}
     */
    public static Duration timeUntilClosed(int port, byte[] bytes, Duration atMost) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            boolean closed = readUntilClosed(socket, socket.getInputStream(), new ByteArrayOutputStream(), atMost);
            return closed ? Duration.ofNanos(System.nanoTime() - start) : null;
        } catch (IOException e) {
            throw new IllegalStateException("could not talk to port " + port + ": " + e, e);
        }
    }

    private static boolean readUntilClosed(Socket socket, InputStream in, ByteArrayOutputStream rest, Duration wait)
            throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                rest.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server: closed too
            }
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                b = -1;
            }
            if (b < 0) {
                return new Answer("", -1, Map.of(), head.toString(StandardCharsets.ISO_8859_1), true, "");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Matcher status = STATUS_LINE.matcher(lines[0]);
        if (!status.matches()) {
            throw new IllegalStateException("not an HTTP answer: " + lines[0]);
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Answer(
                lines[0],
                Integer.parseInt(status.group(2)),
                headers,
                new String(body, StandardCharsets.UTF_8),
                false,
                "");
    }
}
