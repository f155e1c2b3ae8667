# SPDX-License-Identifier: Apache-2.0
"""test_hostile_server.py - idcctl against a server that means harm or is merely different:
tokens that repeat (A-A, A-B-A, empty pages, IAM Markers), endless headers, chunks and
trailers, a trickle of bytes, hour-long or absurd retry hints, and `null` members. A raw
socket server here plays the server; idcctl is the real program with both transports.
Each case ends with a clear one-line error (or, for nulls, works) within its deadline and
retry budget, and never grows past 64 MB."""
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from mockenv import IDCCTL, isolated_env

TRANSPORTS = ["native"] + (["curl"] if os.environ.get("IDC_WITH_CURL", "ON") in
                           ("ON", "1", "TRUE") else [])
STORE = "d-1234567890"
RSS_LIMIT_KB = 64 * 1024


def sanitized():
    """ASan's shadow memory makes RSS meaningless: the limit is checked in plain builds."""
    out = subprocess.run(["ldd", IDCCTL], capture_output=True, text=True).stdout
    return "libasan" in out or "libubsan" in out


def user(n, **extra):
    u = {"IdentityStoreId": STORE, "UserId": "u-%04d" % n, "UserName": "user%d" % n,
         "DisplayName": "User %d" % n, "UserStatus": "ENABLED"}
    u.update(extra)
    return u


def page(users, token=None, **extra):
    doc = {"Users": users}
    if token is not None:
        doc["NextToken"] = token
    doc.update(extra)
    return json.dumps(doc).encode()


def answer(body, status=200, headers=(), content_type="application/x-amz-json-1.1"):
    head = "HTTP/1.1 %d X\r\nContent-Type: %s\r\nx-amzn-RequestId: rid-1\r\n" % (status,
                                                                                    content_type)
    head += "".join("%s: %s\r\n" % h for h in headers)
    return (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body


class Hostile:
    """A keep-alive HTTP/1.1 server on loopback; `behave(n, request, conn)` answers the n-th
    request (from 0) by writing to `conn` and returns True to keep the connection."""

    def __init__(self, behave):
        self.behave = behave
        self.count = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.connection, args=(conn,), daemon=True).start()

    def connection(self, conn):
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, buf = buf.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(buf) < length:
                    buf += conn.recv(65536)
                request, buf = head + b"\r\n\r\n" + buf[:length], buf[length:]
                n = self.count
                self.count += 1
                if not self.behave(n, request, conn):
                    return
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.sock.close()


class HostileServer(unittest.TestCase):

    def run_idcctl(self, server, args, transport, timeout=60, quiet=False):
        """idcctl users --live against `server`: (exit, stdout, stderr, seconds, peak KB)."""
        env = isolated_env(home=tempfile.mkdtemp(prefix="hostile-home-"))
        env["IDC_HOME"] = os.path.join(env["HOME"], "state")
        env["IDCCTL_TRANSPORT"] = transport
        cmd = [IDCCTL] + list(args) + (["--quiet"] if quiet else [])
        start = time.monotonic()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            deadline = start + timeout
            while True:
                pid, status, usage = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    p.kill()
                    p.wait()
                    self.fail("idcctl %s still ran after %d s" % (" ".join(args), timeout))
                time.sleep(0.02)
            took = time.monotonic() - start
            out.seek(0)
            err.seek(0)
            return (os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"), took, usage.ru_maxrss)

    def live(self, server, transport, *extra, **kw):
        return self.run_idcctl(server, ["users", "--live", "--region", "us-east-1",
                                        "--identity-store-id", STORE, "--endpoint-url",
                                        server.url, "--output", "json"] + list(extra),
                               transport, **kw)

    def expect_failure(self, result, said, within):
        code, out, err, took, rss = result
        self.assertNotEqual(code, 0, err)
        self.assertIn(said, err)
        lines = [line for line in err.splitlines() if line.startswith("idcctl: ")]
        self.assertTrue(lines, err)
        self.assertNotIn("\n", lines[-1])
        self.assertLess(took, within, err)
        if not sanitized():
            self.assertLess(rss, RSS_LIMIT_KB, "peak RSS %d KB" % rss)

    def each_transport(self, behave, check):
        for t in TRANSPORTS:
            with self.subTest(transport=t):
                server = Hostile(behave)
                try:
                    check(server, t)
                finally:
                    server.close()

    # ---- tokens -------------------------------------------------------------------------

    def test_repeated_token(self):
        def behave(n, req, conn):
            conn.sendall(answer(page([user(n)], "same")))
            return True
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "NextToken it had sent on an earlier page of this listing", 20))

    def test_token_cycle_a_b_a(self):
        tokens = ["A", "B"]

        def behave(n, req, conn):
            conn.sendall(answer(page([user(n)], tokens[n % 2])))
            return True
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "ListUsers page 3", 20))

    def test_empty_pages_same_token(self):
        def behave(n, req, conn):
            conn.sendall(answer(page([], "again")))
            return True
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "stopping instead of looping", 20))

    def test_iam_marker_cycle(self):
        def behave(n, req, conn):
            marker = "AB"[n % 2]
            body = ('<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
                    "<ListUsersResult><Users/><IsTruncated>true</IsTruncated><Marker>%s</Marker>"
                    "</ListUsersResult></ListUsersResponse>" % marker).encode()
            conn.sendall(answer(body, content_type="text/xml"))
            return True

        def check(s, t):
            self.expect_failure(self.run_idcctl(
                s, ["users", "--live", "--kind", "iam", "--endpoint-url", s.url], t),
                "sent a Marker it had sent on an earlier page", 20)
        self.each_transport(behave, check)

    def test_sync_stops_on_repeated_token(self):
        def behave(n, req, conn):
            conn.sendall(answer(page([user(n)], "same")))
            return True

        def check(s, t):
            env_home = tempfile.mkdtemp(prefix="hostile-sync-")
            state = os.path.join(env_home, "state")
            env = isolated_env(home=env_home)
            env.update({"IDC_HOME": state, "IDCCTL_TRANSPORT": t})
            add = subprocess.run([IDCCTL, "integration", "add", "--label", "h", "--region",
                                  "us-east-1", "--identity-store-id", STORE, "--endpoint-url",
                                  s.url], env=env, capture_output=True, text=True, timeout=30,
                                 stdin=subprocess.DEVNULL)
            self.assertEqual(add.returncode, 0, add.stderr)
            start = time.monotonic()
            p = subprocess.run([IDCCTL, "sync", "--label", "h", "--no-progress"], env=env,
                               capture_output=True, text=True, timeout=60,
                               stdin=subprocess.DEVNULL)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("NextToken it had sent on an earlier page", p.stderr)
            self.assertLess(time.monotonic() - start, 20)
        self.each_transport(behave, check)

    # ---- framing ------------------------------------------------------------------------

    def endless(self, head, chunk):
        """Sends `head`, then `chunk` again and again until the client leaves."""
        def behave(n, req, conn):
            conn.sendall(head)
            try:
                for _ in range(200000):
                    conn.sendall(chunk)
            except OSError:
                pass
            return False
        return behave

    def test_endless_headers(self):
        behave = self.endless(b"HTTP/1.1 200 OK\r\n", b"X-Filler: " + b"x" * 100 + b"\r\n")
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "over 65536 bytes" if t == "native" else "over 131072 bytes", 20))

    def test_endless_trailers(self):
        behave = self.endless(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"2\r\n{}\r\n0\r\n", b"X-Trailer: " + b"y" * 100 + b"\r\n")
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "trailers are over", 20))

    def test_endless_chunks(self):
        behave = self.endless(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                              b"1000\r\n" + b" " * 4096 + b"\r\n")
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "over the 16777216-byte cap", 30))

    def test_trickle_meets_the_attempt_timeout(self):
        def behave(n, req, conn):
            data = answer(page([user(1)]))
            try:
                for i in range(len(data)):
                    conn.sendall(data[i:i + 1])
                    time.sleep(0.1)
            except OSError:
                pass
            return False
        # three attempts of 2 s, with backoffs of at most 1 s and 2 s between them
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t, "--timeout", "2"), "within 2000 ms", 12))

    # ---- retry hints --------------------------------------------------------------------

    def throttle(self, headers=(), body_extra=None, then_ok=False):
        def behave(n, req, conn):
            if then_ok and n > 0:
                conn.sendall(answer(page([user(1)])))
                return True
            doc = {"__type": "ThrottlingException", "message": "Rate exceeded"}
            doc.update(body_extra or {})
            conn.sendall(answer(json.dumps(doc).encode(), status=400, headers=headers))
            return True
        return behave

    def test_retry_after_absurd_header(self):
        behave = self.throttle(headers=[("Retry-After", "99999999999999999999")])
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "the server asked to wait 24 h before trying ListUsers again", 5))

    def test_retry_after_hour_in_body(self):
        behave = self.throttle(body_extra={"RetryAfterSeconds": 3600})
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "asked to wait 60 min", 5))
        behave = self.throttle(body_extra={"RetryAfterSeconds": 1e300})
        self.each_transport(behave, lambda s, t: self.expect_failure(
            self.live(s, t), "asked to wait 24 h", 5))

    def test_short_retry_after_is_announced(self):
        def check(s, t):
            code, out, err, took, _ = self.live(s, t)
            self.assertEqual(code, 0, err)
            self.assertIn("ListUsers failed (ThrottlingException: Rate exceeded", err)
            self.assertIn("trying again in 2.0 s, as the server asked (attempt 2 of 3)", err)
            self.assertGreaterEqual(took, 2)
            self.assertEqual(len(json.loads(out)["Users"]), 1)
        self.each_transport(self.throttle(headers=[("Retry-After", "2")], then_ok=True), check)

        def check_quiet(s, t):
            code, out, err, _, _ = self.live(s, t, quiet=True)
            self.assertEqual(code, 0, err)
            self.assertEqual(err, "")
        self.each_transport(self.throttle(headers=[("Retry-After", "2")], then_ok=True),
                            check_quiet)

    # ---- a different server -------------------------------------------------------------

    def test_null_members(self):
        def behave(n, req, conn):
            if n == 0:
                conn.sendall(answer(page([user(1, DisplayName=None, Emails=None,
                                               UserStatus=None)], "t1")))
            else:
                conn.sendall(answer(page([user(2)], None, NextToken=None)))
            return True

        def check(s, t):
            code, out, err, _, _ = self.live(s, t)
            self.assertEqual(code, 0, err)
            users = json.loads(out)["Users"]
            self.assertEqual([u["UserId"] for u in users], ["u-0001", "u-0002"])
        self.each_transport(behave, check)


if __name__ == "__main__":
    unittest.main()
