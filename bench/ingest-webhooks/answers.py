#!/usr/bin/env python3
"""Every kind of answer of POST /webhooks/mrspeedy/{account}, byte for byte, to compare two builds of ingest-webhooks.

    bench/ingest-webhooks/answers.py <port> <account> <secret> <callback.json>  > answers-<build>.txt
    diff answers-before.txt answers-after.txt

Each request goes on a connection of its own (raw socket, exact bytes); the answer is printed as received: status
line, headers in their order and spelling, body. Only what differs from run to run is masked: the Date header and
the random request id of a callback sent without X-Request-Id. Not part of the product; everything on 127.0.0.1.
"""
import hashlib
import hmac
import re
import socket
import sys

port, account, secret, sample = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
body = open(sample, "rb").read()
path = f"/webhooks/mrspeedy/{account}"


def sign(data):
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def exchange(raw, wait=8.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    out = b""
    try:
        s.sendall(raw)
    except OSError as e:  # the server may answer and close before it read all
        out_note = b"\n[send stopped: %s]" % type(e).__name__.encode()
    else:
        out_note = b""
    closed = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = b"\n[closed by the server]"
                break
            out += chunk
            head, sep, rest = out.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if raw.startswith(b"HEAD ") or (m and len(rest) >= int(m.group(1))):
                    s.settimeout(0.3)  # answered: does the server keep the connection?
                    try:
                        closed = b"\n[closed by the server]" if not s.recv(65536) else b"\n[more bytes]"
                    except socket.timeout:
                        closed = b"\n[kept open]"
                    break
    except socket.timeout:
        out += b"\n[no more within %.0f s]" % wait
    except OSError as e:
        out += b"\n[read stopped: %s]" % type(e).__name__.encode()
    out += closed
    out += out_note
    s.close()
    out = re.sub(rb"(?im)^(date:).*$", rb"\1 <masked>", out)
    return out


def post(target=path, content_type="application/json", signature=None, data=body, extra=b"", method="POST",
         length=True):
    head = f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n".encode()
    if content_type is not None:
        head += b"Content-Type: " + content_type.encode() + b"\r\n"
    if signature is not None:
        head += b"X-DV-Signature: " + signature.encode() + b"\r\n"
    if length:
        head += b"Content-Length: %d\r\n" % len(data)
    return head + extra + b"\r\n" + data


good = sign(body)
large = b'{"order":{"order_id":1},"pad":"' + b"x" * 300_000 + b'"}'
chunked_large = b"".join(b"%x\r\n%s\r\n" % (len(large[i:i + 8192]), large[i:i + 8192])
                         for i in range(0, len(large), 8192)) + b"0\r\n\r\n"
huge = b'{"order":{"order_id":1},"pad":"' + b"x" * 1_100_000 + b'"}'
chunked_huge = b"".join(b"%x\r\n%s\r\n" % (len(huge[i:i + 65536]), huge[i:i + 65536])
                        for i in range(0, len(huge), 65536)) + b"0\r\n\r\n"
cases = [
    ("accepted, with X-Request-Id", post(signature=good, extra=b"X-Request-Id: probe-1\r\n")),
    ("accepted, without X-Request-Id", post(signature=good)),
    ("accepted, no Content-Type", post(content_type=None, signature=good, extra=b"X-Request-Id: probe-2\r\n")),
    ("accepted, charset", post(content_type="application/json; charset=UTF-8", signature=good,
                               extra=b"X-Request-Id: probe-3\r\n")),
    ("accepted, +json", post(content_type="application/vnd.mrspeedy+json", signature=good,
                             extra=b"X-Request-Id: probe-4\r\n")),
    ("accepted, query string", post(target=path + "?x=1", signature=good, extra=b"X-Request-Id: probe-5\r\n")),
    ("accepted, request id to escape", post(signature=good, extra=b'X-Request-Id: a"b\\c\r\n')),
    ("accepted, blank request id", post(signature=good, extra=b"X-Request-Id:  \r\n")),
    ("accepted, upper-case hex, spaces", post(signature="  " + good.upper() + " ", extra=b"X-Request-Id: p6\r\n")),
    ("accepted, Accept: */*", post(signature=good, extra=b"Accept: */*\r\nX-Request-Id: p7\r\n")),
    ("Accept: application/xml", post(signature=good, extra=b"Accept: application/xml\r\nX-Request-Id: p8\r\n")),
    ("Accept: text/plain, application/json;q=0.5",
     post(signature=good, extra=b"Accept: text/plain, application/json;q=0.5\r\nX-Request-Id: p9\r\n")),
    ("two signatures", post(signature=good, extra=b"X-DV-Signature: " + good.encode() + b"\r\n")),
    ("missing signature", post()),
    ("empty signature", post(signature="")),
    ("wrong signature", post(signature=good[1:] + "0")),
    ("not hex signature", post(signature="not-hex")),
    ("unknown account", post(target="/webhooks/mrspeedy/nobody", signature=good)),
    ("unknown account, text/plain", post(target="/webhooks/mrspeedy/nobody", content_type="text/plain",
                                         signature=good)),
    ("unknown account, large", post(target="/webhooks/mrspeedy/nobody", signature=sign(large), data=large)),
    ("text/plain", post(content_type="text/plain", signature=good)),
    ("json (not a media type)", post(content_type="json", signature=good)),
    ("two Content-Types", post(signature=good, extra=b"Content-Type: text/plain\r\n")),
    ("not JSON", post(signature=sign(b"not json"), data=b"not json")),
    ("trailing data", post(signature=sign(b'{"order":{"order_id":1}} x'), data=b'{"order":{"order_id":1}} x')),
    ("empty body", post(signature=sign(b""), data=b"")),
    ("no order id", post(signature=sign(b'{"order":{}}'), data=b'{"order":{}}')),
    ("order id not plain", post(signature=sign(b'{"order":{"order_id":"a b"}}'), data=b'{"order":{"order_id":"a b"}}')),
    ("UTF-16LE", post(signature=sign(body.decode().encode("utf-16-le")), data=body.decode().encode("utf-16-le"))),
    ("too large, Content-Length", post(signature=sign(large), data=large)),
    ("too large, chunked", post(signature=sign(large), data=chunked_large, length=False,
                                extra=b"Transfer-Encoding: chunked\r\n")),
    ("too large, wrong signature", post(signature=good, data=large)),
    ("over the HTTP limit, Content-Length", post(signature=good, data=huge)),
    ("over the HTTP limit, chunked", post(signature=good, data=chunked_huge, length=False,
                                          extra=b"Transfer-Encoding: chunked\r\n")),
    ("accepted, chunked", post(signature=good, length=False, extra=b"Transfer-Encoding: chunked\r\nX-Request-Id: c\r\n",
                               data=b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))),
    ("GET", post(method="GET", signature=good, data=b"", length=False)),
    ("GET, no headers", b"GET " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("PUT", post(method="PUT", signature=good)),
    ("DELETE", post(method="DELETE", signature=good, data=b"", length=False)),
    ("PATCH", post(method="PATCH", signature=good)),
    ("HEAD", post(method="HEAD", signature=good, data=b"", length=False)),
    ("OPTIONS", post(method="OPTIONS", data=b"", length=False, content_type=None)),
    ("trailing slash", post(target=path + "/", signature=good, extra=b"X-Request-Id: p10\r\n")),
    ("no account", post(target="/webhooks/mrspeedy/", signature=good)),
    ("no account, no slash", post(target="/webhooks/mrspeedy", signature=good)),
    ("deeper path", post(target=path + "/extra", signature=good)),
    ("GET deeper path", b"GET " + path.encode() + b"/extra HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("escaped account", post(target="/webhooks/mrspeedy/%%%02X" % ord(account[0]) + account[1:], signature=good,
                             extra=b"X-Request-Id: p11\r\n")),
    ("account with space", post(target="/webhooks/mrspeedy/a%20b", signature=good)),
    ("upper-case path", post(target=path.upper(), signature=good)),
    ("double slash", post(target="/webhooks//mrspeedy/" + account, signature=good)),
    ("other path", post(target="/webhooks/other/" + account, signature=good)),
    ("Accept: garbage", post(signature=good, extra=b"Accept: garbage\r\nX-Request-Id: p15\r\n")),
    ("Accept: application/json;q=0", post(signature=good, extra=b"Accept: application/json;q=0\r\nX-Request-Id: p16\r\n")),
    ("Accept: text/*", post(signature=good, extra=b"Accept: text/*\r\nX-Request-Id: p17\r\n")),
    ("Accept: application/*;q=0.1", post(signature=good, extra=b"Accept: application/*;q=0.1\r\nX-Request-Id: p18\r\n")),
    ("Accept: APPLICATION/JSON", post(signature=good, extra=b"Accept: APPLICATION/JSON\r\nX-Request-Id: p19\r\n")),
    ("Accept: empty", post(signature=good, extra=b"Accept: \r\nX-Request-Id: p20\r\n")),
    ("two Accept headers", post(signature=good, extra=b"Accept: text/plain\r\nAccept: application/json\r\nX-Request-Id: p21\r\n")),
    ("Accept: xml, unknown account", post(target="/webhooks/mrspeedy/nobody", signature=good, extra=b"Accept: application/xml\r\n")),
    ("Accept: xml, GET", post(method="GET", signature=good, data=b"", length=False, extra=b"Accept: application/xml\r\n")),
    ("Accept: xml, too large", post(signature=sign(large), data=large, extra=b"Accept: application/xml\r\n")),
    ("Accept: xml, chunked too large", post(signature=sign(large), data=chunked_large, length=False,
                                extra=b"Transfer-Encoding: chunked\r\nAccept: application/xml\r\n")),
    ("POST /foo", post(target="/foo", signature=good)),
    ("GET /foo", b"GET /foo HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("GET /webhooks", b"GET /webhooks HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("GET /q/nothing", b"GET /q/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("HEAD /foo", b"HEAD /foo HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("OPTIONS deeper path", post(target=path + "/extra", method="OPTIONS", data=b"", length=False, content_type=None)),
    ("OPTIONS unknown account", post(target="/webhooks/mrspeedy/nobody", method="OPTIONS", data=b"", length=False,
                                     content_type=None)),
    ("OPTIONS /foo", b"OPTIONS /foo HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("PUT /foo", b"PUT /foo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}"),
    ("OPTIONS no account", b"OPTIONS /webhooks/mrspeedy/ HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("HEAD deeper path", b"HEAD " + path.encode() + b"/extra HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("PUT deeper path", post(target=path + "/extra", method="PUT", signature=good)),
    ("GET unknown account", b"GET /webhooks/mrspeedy/nobody HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("OPTIONS with Accept xml", b"OPTIONS " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\nAccept: application/xml\r\n\r\n"),
    ("too large, deeper path", post(target=path + "/extra", signature=sign(large), data=large)),
    ("too large, GET", post(method="GET", signature=sign(large), data=large)),
    ("too large, Content-Length with spaces", post(signature=sign(large), data=large, length=False,
                                   extra=b"Content-Length:  %d \r\n" % len(large))),
    ("chunked, Accept: xml, small", post(signature=good, length=False, extra=b"Transfer-Encoding: chunked\r\nAccept: application/xml\r\n",
                               data=b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))),
    ("GET /q/health/live", b"GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("HTTP/1.0", post(signature=good, extra=b"X-Request-Id: p12\r\n").replace(b"HTTP/1.1", b"HTTP/1.0", 1)),
    ("Expect: 100-continue", post(signature=good, extra=b"Expect: 100-continue\r\nX-Request-Id: p13\r\n")),
    ("Connection: close", post(signature=good, extra=b"Connection: close\r\nX-Request-Id: p14\r\n")),
]
if len(sys.argv) > 5 and sys.argv[5] == "outage":  # Kafka stopped: the answer when it does not acknowledge
    cases = [("Kafka away", post(signature=good, extra=b"X-Request-Id: outage\r\n"))]
for name, raw in cases:
    answer = exchange(raw)
    answer = re.sub(rb'"requestId":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"',
                    b'"requestId":"<random>"', answer)
    sys.stdout.buffer.write(b"=== " + name.encode() + b"\n" + answer + b"\n\n")
