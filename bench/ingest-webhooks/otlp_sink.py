#!/usr/bin/env python3
"""A local OTLP/HTTP trace sink for the benchmark of ingest-webhooks with tracing on (docs/benchmarks.md).

    bench/ingest-webhooks/otlp_sink.py <port> <summary file>

Answers POST /v1/traces with 200 and an empty ExportTraceServiceResponse, as a collector does, so the service's
exporter does all its work (batching, protobuf, HTTP) and none of it fails. It does not decode the spans (that would
take the CPU the service shares with it); it counts requests, bytes, and the producer spans by their name
("publish trackline.raw.v1", which appears once per span in an uncompressed export), and writes them to the summary
file when it is stopped (SIGTERM or SIGINT). Not part of the product; 127.0.0.1 only.
"""
import gzip
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, summary = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
totals = {"requests": 0, "bytes": 0, "publish_spans": 0}
NAME = b"publish trackline.raw.v1"


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding", "") == "gzip":
            body = gzip.decompress(body)
        with lock:
            totals["requests"] += 1
            totals["bytes"] += len(body)
            totals["publish_spans"] += body.count(NAME)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Sink)


def stop(*_):
    with lock, open(summary, "w") as out:
        out.write(" ".join(f"{k}={v}" for k, v in totals.items()) + "\n")
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
server.serve_forever()
