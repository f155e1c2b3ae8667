# SPDX-License-Identifier: Apache-2.0
"""test_hostile_requests.py - single requests meant to crash, stall or confuse mockaws, each
sent over a real socket: deeply nested JSON, idle kept-alive connections, HEAD, headers
CivetWeb refuses before any handler runs, lying or huge Content-Length, chunked bodies,
long queries, many headers, invalid UTF-8. After each one mockaws must still answer a
signed call, and every refusal must carry a request id and an AWS error shape
(spec/mockaws/README.md, "Limits")."""
import json
import re
import socket
import time
import unittest
from urllib.parse import urlencode

from mockenv import ADMIN, STORE, MockTestCase

JSON_TYPE = "application/x-amz-json-1.1"
FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
MAX_DEPTH = 64  # spec/mockaws/README.md, "Limits"
MAX_BODY = 1024 * 1024


def signed(mock, method="POST", body=b"", headers=None, path="/", query="",
           service="identitystore"):
    """Headers of a request signed by botocore (an independent signer) for these bytes."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = mock.endpoint + path + ("?" + query if query else "")
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    creds = Credentials(ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"])
    SigV4Auth(creds, service, "us-east-1").add_auth(req)
    return dict(req.headers.items())


def ids_headers(mock, body, op="ListUsers"):
    return signed(mock, body=body, headers={"Content-Type": JSON_TYPE,
                                            "X-Amz-Target": "AWSIdentityStore." + op})


def iam_headers(mock, body):
    return signed(mock, body=body, headers={"Content-Type": FORM_TYPE}, service="iam")


def wire(method, headers, body=b"", target="/"):
    """The bytes of one HTTP/1.1 request, headers exactly as given (Host first)."""
    lines = ["%s %s HTTP/1.1" % (method, target)]
    lines += ["%s: %s" % (k, v) for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Reader:
    """Reads HTTP/1.1 responses from one socket, by Content-Length, never past the end of
    one response, so what follows a response can be checked byte for byte."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed; have %r" % self.buf[:200])
        self.buf += data

    def response(self, head_only=False):
        """(status, {lower-case header: value}, body, status line)."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = 0 if head_only else int(headers.get("content-length", "0"))
        while len(self.buf) < n:
            self._fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, headers, body, lines[0]

    def nothing_more(self, wait=0.3):
        """True when no byte arrives within `wait` seconds (and the buffer is empty)."""
        if self.buf:
            return False
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return True
        finally:
            self.sock.settimeout(10)
        self.buf += data
        return False


class HostileRequests(MockTestCase):

    def host(self):
        """The Host header botocore signs: address and port."""
        return {"Host": "127.0.0.1:%d" % self.mock.port}

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.mock.port), timeout=10)
        self.addCleanup(s.close)
        return s

    def exchange(self, data, head_only=False):
        """Sends raw bytes on a new connection; returns (status, headers, body, line)."""
        s = self.connect()
        s.sendall(data)
        return Reader(s).response(head_only)

    def ids_raw(self, body, op="ListUsers"):
        """A signed Identity Store call whose body is exactly `body`."""
        h = self.host()
        h.update(ids_headers(self.mock, body, op))
        h["Content-Length"] = str(len(body))
        return self.exchange(wire("POST", h, body))

    def iam_raw(self, body):
        h = self.host()
        h.update(iam_headers(self.mock, body))
        h["Content-Length"] = str(len(body))
        return self.exchange(wire("POST", h, body))

    def assert_alive(self):
        """mockaws is still running and answers a signed ListUsers."""
        self.assertIsNone(self.mock.proc.poll(), "mockaws died: " + self.mock.read_stderr())
        status, _, body, _ = self.ids_raw(json.dumps({"IdentityStoreId": STORE}).encode())
        self.assertEqual(status, 200, body)
        self.assertIn(b"Users", body)

    def assert_aws_json_error(self, reply, status, code=None):
        got, headers, body, line = reply
        self.assertEqual(got, status, (line, body))
        self.assertTrue(line.startswith("HTTP/1.1 "), line)
        self.assertTrue(headers.get("x-amzn-requestid"), headers)
        self.assertEqual(headers.get("content-type"), JSON_TYPE, headers)
        err = json.loads(body)
        self.assertTrue(err.get("__type"), err)
        self.assertTrue(err.get("message"), err)
        if code is not None:
            self.assertEqual(err["__type"], code, err)
        return err

    # ---- 1. nesting ----------------------------------------------------------------------

    def test_deep_json_is_a_serialization_error(self):
        for depth in (950, 500, 5000, MAX_DEPTH + 1):
            body = ('{"a":' * depth + "1" + "}" * depth).encode()
            self.assert_aws_json_error(self.ids_raw(body), 400, "SerializationException")
            arrays = ("[" * depth + "]" * depth).encode()
            self.assert_aws_json_error(self.ids_raw(arrays), 400, "SerializationException")
        # unbalanced, never closed: refused by the scan before cJSON sees it
        self.assert_aws_json_error(self.ids_raw(b"{" + b"[" * 100000), 400,
                                   "SerializationException")
        self.assert_alive()

    def test_nesting_within_the_limit_is_parsed(self):
        # MAX_DEPTH levels in all: the body's object plus MAX_DEPTH - 1 below it.
        inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
        body = ('{"IdentityStoreId":"%s","Extra":%s}' % (STORE, inner)).encode()
        status, _, data, _ = self.ids_raw(body)
        self.assertNotIn(b"SerializationException", data)
        self.assertIn(status, (200, 400), data)

    def test_brackets_inside_strings_are_not_nesting(self):
        # 10,000 brackets and escaped quotes inside a string: one level, a plain lookup.
        value = '\\"' + "[{" * 5000 + '\\\\'
        body = ('{"IdentityStoreId":"%s","Extra":"%s"}' % (STORE, value)).encode()
        status, _, data, _ = self.ids_raw(body)
        self.assertNotIn(b"SerializationException", data)
        self.assertEqual(status, 200, data)

    # ---- 2. idle kept-alive connections ----------------------------------------------------

    def answer_time(self):
        start = time.monotonic()
        s = socket.create_connection(("127.0.0.1", self.mock.port), timeout=2)
        self.addCleanup(s.close)
        body = json.dumps({"IdentityStoreId": STORE}).encode()
        h = self.host()
        h.update(ids_headers(self.mock, body))
        h["Content-Length"] = str(len(body))
        s.sendall(wire("POST", h, body))
        try:
            status, _, data, _ = Reader(s).response()
        except socket.timeout:
            self.fail("no answer within 2 s while other connections sit idle")
        self.assertEqual(status, 200, data)
        return time.monotonic() - start

    def test_idle_kept_alive_connections_do_not_block_a_new_client(self):
        idle = []
        for _ in range(100):
            s = self.connect()
            s.sendall(wire("GET", {"Host": "127.0.0.1"}))  # unsigned: a 403, kept alive
            status, headers, _, _ = Reader(s).response()
            self.assertEqual(status, 403)
            self.assertNotEqual(headers.get("connection", "").lower(), "close")
            idle.append(s)
        self.assertLess(self.answer_time(), 2.0)

    def test_idle_silent_connections_do_not_block_a_new_client(self):
        for _ in range(100):
            self.connect()  # connected, never a byte sent
        time.sleep(0.2)
        self.assertLess(self.answer_time(), 2.0)

    def test_idle_kept_alive_connection_is_closed_after_5_s(self):
        s = self.connect()
        s.sendall(wire("GET", self.host()))
        Reader(s).response()
        start = time.monotonic()
        s.settimeout(9)
        self.assertEqual(s.recv(100), b"")  # closed by mockaws, not by the timeout
        self.assertGreater(time.monotonic() - start, 4.0)

    # ---- 3. HEAD ------------------------------------------------------------------------------

    def test_head_answer_has_headers_and_no_body(self):
        s = self.connect()
        r = Reader(s)
        host = {"Host": "127.0.0.1:%d" % self.mock.port}
        s.sendall(wire("GET", host))
        get_status, get_headers, get_body, _ = r.response()
        self.assertGreater(len(get_body), 0)
        s.sendall(wire("HEAD", host))
        status, headers, body, _ = r.response(head_only=True)
        self.assertEqual(status, get_status)
        self.assertEqual(headers.get("content-length"), get_headers.get("content-length"))
        self.assertTrue(headers.get("x-amzn-requestid"))
        self.assertTrue(r.nothing_more(), "bytes after a HEAD response's headers: %r" % r.buf)
        # a signed HEAD too, then a signed call on the same connection parses cleanly
        h = dict(host)
        h.update(signed(self.mock, method="HEAD", service="iam",
                        query="Action=ListUsers&Version=2010-05-08"))
        s.sendall(wire("HEAD", h, target="/?Action=ListUsers&Version=2010-05-08"))
        status, headers, _, _ = r.response(head_only=True)
        self.assertTrue(headers.get("content-length"))
        self.assertTrue(r.nothing_more(), "bytes after a HEAD response's headers: %r" % r.buf)
        body = json.dumps({"IdentityStoreId": STORE}).encode()
        h = dict(host)
        h.update(ids_headers(self.mock, body))
        h["Content-Length"] = str(len(body))
        s.sendall(wire("POST", h, body))
        status, _, data, line = r.response()
        self.assertEqual(status, 200, (line, data))
        self.assertIn("Users", json.loads(data))

    # ---- 4. requests CivetWeb refuses itself ---------------------------------------------------

    def test_tab_in_a_header_value_gets_an_aws_error(self):
        data = wire("POST", {"Host": "127.0.0.1", "X-Odd": "a\tb", "Content-Length": "0"})
        err = self.assert_aws_json_error(self.exchange(data), 400)
        self.assertNotIn("\t", err["__type"])
        self.assert_alive()

    def test_garbage_request_line_gets_an_aws_error(self):
        self.assert_aws_json_error(self.exchange(b"\x01\x02 nonsense\r\n\r\n"), 400)
        self.assert_alive()

    def test_handler_errors_are_sent_once(self):
        # An ordinary error (a 403 from the handler) is one response, not two: the next
        # answer on the same connection is the next request's, and the log has two lines.
        s = self.connect()
        r = Reader(s)
        s.sendall(wire("POST", dict(self.host(), **{"Content-Length": "0"})))
        status, headers, body, _ = r.response()
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("content-type"), "text/xml")
        self.assertTrue(r.nothing_more())
        body = json.dumps({"IdentityStoreId": STORE}).encode()
        h = self.host()
        h.update(ids_headers(self.mock, body))
        h["Content-Length"] = str(len(body))
        s.sendall(wire("POST", h, body))
        status, _, data, _ = r.response()
        self.assertEqual(status, 200, data)
        self.assertTrue(r.nothing_more())
        self.assertEqual(len(self.mock.wait_log(2)), 2)

    # ---- 5. sizes, encodings, framing -----------------------------------------------------------

    def test_huge_content_length_without_a_body(self):
        for length in ("99999999999", str(MAX_BODY + 1)):
            body = json.dumps({"IdentityStoreId": STORE}).encode()
            h = {"Host": "127.0.0.1"}
            h.update(ids_headers(self.mock, body))
            h["Content-Length"] = length
            start = time.monotonic()
            s = self.connect()
            s.sendall(wire("POST", h, body))
            r = Reader(s)
            self.assert_aws_json_error(r.response(), 413)
            # ... and the connection closes at once: no worker waits for the missing body
            s.settimeout(2)
            self.assertEqual(s.recv(100), b"")
            self.assertLess(time.monotonic() - start, 2.0)
        self.assert_alive()

    def test_unparseable_content_length_gets_an_aws_error(self):
        for length in ("-5", "12abc", "99999999999999999999999999"):
            h = {"Host": "127.0.0.1", "Content-Length": length,
                 "X-Amz-Target": "AWSIdentityStore.ListUsers"}
            got = self.exchange(wire("POST", h, b"{}"))
            self.assertTrue(400 <= got[0] < 500, got)
            self.assertTrue(got[1].get("x-amzn-requestid"), got)
            self.assertTrue(json.loads(got[2]).get("__type"), got)
        self.assert_alive()

    def test_body_over_the_limit(self):
        body = b'{"IdentityStoreId":"' + b"x" * MAX_BODY + b'"}'
        self.assert_aws_json_error(self.ids_raw(body), 413)
        self.assert_alive()

    def test_chunked_bodies(self):
        body = json.dumps({"IdentityStoreId": STORE}).encode()
        h = self.host()
        h.update(ids_headers(self.mock, body))
        h["Transfer-Encoding"] = "chunked"
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        status, _, data, _ = self.exchange(wire("POST", h, chunked))
        self.assertEqual(status, 200, data)
        # endless chunks past the body limit: 413, not unbounded memory
        s = self.connect()
        s.sendall(wire("POST", h))
        chunk = b"x" * 65536
        try:
            for _ in range(MAX_BODY // len(chunk) + 2):
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass  # mockaws answered and closed before the client was done: fine
        status, _, data, _ = Reader(s).response()
        self.assertEqual(status, 413, data)
        # a chunk size that overflows, then a truncated chunk
        for bad in (b"FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n", b"zz\r\n"):
            s = self.connect()
            s.sendall(wire("POST", h, bad))
            s.shutdown(socket.SHUT_WR)
            try:
                Reader(s).response()
            except ConnectionError:
                pass  # closed without an answer is acceptable for broken framing
        self.assert_alive()

    def test_long_credential_scope(self):
        # a region or service of 2,000 bytes in the Authorization header once overflowed the
        # verifier's signing-key cache slot (found by fuzzing); it is a malformed credential
        body = json.dumps({"IdentityStoreId": STORE}).encode()
        for region, service in (("r" * 2000, "identitystore"), ("us-east-1", "s" * 2000)):
            h = self.host()
            h.update(ids_headers(self.mock, body))
            h["Content-Length"] = str(len(body))
            h["Authorization"] = re.sub(r"Credential=([^/]+)/(\d{8})/[^/]+/[^/]+/",
                                        r"Credential=\1/\2/%s/%s/" % (region, service),
                                        h["Authorization"])
            status, _, reply, _ = self.exchange(wire("POST", h, body))
            self.assertIn(status, (400, 403), reply)
            self.assertIn(b"2000 bytes long", reply)
            self.assert_alive()

    def test_long_query_and_long_header(self):
        for data in (wire("GET", {"Host": "127.0.0.1"}, target="/?" + "a=b&" * 20000),
                     wire("GET", {"Host": "127.0.0.1", "X-Long": "v" * 70000})):
            got = self.exchange(data)
            self.assertGreaterEqual(got[0], 400, got)
            self.assertTrue(got[1].get("x-amzn-requestid"), got)
            self.assertTrue(json.loads(got[2]).get("__type"), got)
        self.assert_alive()

    def test_many_headers(self):
        for count in (70, 1000):
            h = {"Host": "127.0.0.1"}
            h.update({"X-H%d" % i: "v" for i in range(count)})
            got = self.exchange(wire("GET", h))
            self.assertGreaterEqual(got[0], 400, got)
            self.assertTrue(got[1].get("x-amzn-requestid"), got)
        self.assert_alive()

    def test_invalid_utf8_and_nul_bytes(self):
        body = b'{"IdentityStoreId":"d-\xff\xfe\xc0\x80\x00zz"}'
        status, headers, data, _ = self.ids_raw(body)
        self.assertEqual(status, 400, data)
        json.loads(data.decode("utf-8", "strict"))  # the echo is valid JSON in valid UTF-8
        # an operation name that is not UTF-8: echoed and logged as valid UTF-8
        # (X-Amz-Target added after signing, unsigned: botocore would sign other bytes)
        h = self.host()
        h.update(signed(self.mock, body=b"{}", headers={"Content-Type": JSON_TYPE}))
        h.update({"X-Amz-Target": "AWSIdentityStore.List\xffUsers\xc0", "Content-Length": "2"})
        status, _, data, _ = self.exchange(wire("POST", h, b"{}"))
        self.assertEqual(status, 400, data)
        self.assertIn("List\ufffdUsers", json.loads(data.decode("utf-8", "strict"))["message"])
        self.assertIn("List\ufffdUsers\ufffd", [e["operation"] for e in self.mock.wait_log(2)])
        # IAM: a form value that decodes to ill-formed UTF-8
        status, _, data, _ = self.iam_raw(b"Action=GetUser&Version=2010-05-08&UserName=a%FFb")
        self.assertEqual(status, 400, data)
        self.assertIn(b"MalformedQueryString", data)
        data.decode("utf-8", "strict")
        self.assert_alive()

    def test_many_form_parameters_for_iam(self):
        # ~90,000 parameters in one form body and a name 100,000 dots deep: no structure is
        # built from either, and the answer comes at once.
        params = [("Action", "ListUsers"), ("Version", "2010-05-08")]
        params += [("P%d" % i, "v") for i in range(90000)]
        start = time.monotonic()
        status, _, data, _ = self.iam_raw(urlencode(params).encode())
        self.assertLess(time.monotonic() - start, 5.0)
        self.assertIn(status, (200, 400), data)
        body = urlencode([("Action", "ListUsers"), ("Version", "2010-05-08"),
                          ("a" + ".member" * 100000, "1")]).encode()
        status, _, data, _ = self.iam_raw(body)
        self.assertIn(status, (200, 400, 413), data)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main()
