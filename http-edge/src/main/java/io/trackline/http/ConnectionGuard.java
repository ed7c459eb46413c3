package io.trackline.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.nio.charset.StandardCharsets;

/**
 * Sits in an HTTP/1 connection's Netty pipeline between the HTTP decoder and Vert.x, installed when the
 * connection's first request is routed. It does two things Vert.x' public API cannot:
 *
 * <ul>
 * <li>a body whose chunked framing is malformed (a negative, non-hex or overflowing chunk size) is answered 400
 * with Trackline's JSON and the connection closed, where Vert.x closes the connection without a word;</li>
 * <li>once the edge refused a request and closes the connection, nothing more that arrives on it (the rest of the
 * body, a request smuggled after it) reaches Vert.x.</li>
 * </ul>
 *
 * <p>It uses Vert.x 4's connection internals ({@code ConnectionBase.channel()}): Vert.x has no public hook into an
 * HTTP server's pipeline, and Quarkus creates the server. Everything runs on the connection's event loop.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "trackline-http-edge";

    static final Refusal MALFORMED_CHUNKS =
            Refusal.badFraming("the chunked body is malformed (a chunk size is 1 to 16 hexadecimal digits)");

    /** Requests the decoder passed on: the first one was on its way to routing when the guard was installed. */
    private long decoded = 1;

    private long routed;
    /** The request (by its number) whose body turned out malformed before it was routed; 0 for none. */
    private long malformed;

    private HttpServerRequest current;
    private boolean refused;

    /** The guard of the request's HTTP/1 connection, installed on first use; null for other connections. */
    static ConnectionGuard of(HttpServerRequest request) {
        if (!(request.connection() instanceof Http1xServerConnection connection)) {
            return null;
        }
        ChannelPipeline pipeline = connection.channel().pipeline();
        ConnectionGuard guard = pipeline.get(ConnectionGuard.class);
        if (guard == null) {
            guard = new ConnectionGuard();
            pipeline.addBefore(connection.channelHandlerContext().name(), NAME, guard);
        }
        return guard;
    }

    /**
     * The request being routed now: a malformed body that follows is its own. Idempotent.
     *
     * @return whether its body is already known to be malformed (then it must be refused with
     *         {@link #MALFORMED_CHUNKS})
     */
    boolean track(HttpServerRequest request) {
        if (request != current) {
            routed++;
            current = request;
        }
        return routed == malformed;
    }

    boolean refused() {
        return refused;
    }

    /** From now on everything read on the connection is dropped; the refusal's answer is the last word. */
    void refuse() {
        refused = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            decoded++;
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            refused = true;
            if (decoded > routed) {
                malformed = decoded; // an earlier answer is still being written: this one follows it
            } else if (current != null && !current.response().headWritten()) {
                answer(ctx, MALFORMED_CHUNKS);
            } else {
                ctx.close(); // its answer is written already; nothing more can be said
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Writes the answer past Vert.x, which still considers the request unanswered: a handler that answers later
     * (one that did not wait for the body) writes to a closed connection, quietly, instead of failing on a response
     * already written.
     */
    private static void answer(ChannelHandlerContext ctx, Refusal refusal) {
        byte[] body = refusal.json().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(refusal.status()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
