# SPDX-License-Identifier: Apache-2.0
"""test_terminal_safe.py - what a server or an identity provider sends never reaches the
admin's terminal raw: a DisplayName holding ESC, BEL, a newline, a C1 CSI, a bidi override
and bytes that are not UTF-8 (served by mockaws from a fixture written here), listed with
`idcctl users --live` as a table (escaped, one row per user, columns aligned), as JSON
(valid UTF-8 and valid JSON, controls as \\u escapes, bad bytes as U+FFFD) and as CSV (every
byte kept, quoted as RFC 4180 says); and a service error whose code, message and request
id hold control bytes (a small HTTP server here) shown escaped on one line."""
import csv
import http.server
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
import unicodedata
import unittest

from mockenv import ADMIN, DEFAULT_FIXTURE, IDCCTL, MockAws, isolated_env

STORE = "d-5555555555"
EVIL_ID = "11111111-2222-3333-4444-555555555555"
JOSE_ID = "11111111-2222-3333-4444-666666666666"
# The DisplayName as the identity provider set it, byte for byte.
EVIL = (b"A\x1b[2J\x07B\nC\xc2\x9b31m\xe2\x80\xaeD\x7f\xff\xc0\xaf\xed\xa0\x80"
        b"\xf4\x90\x80\x80\xe5\xb1E,\"q\"\t\r")
# ... as the table shows it (termtext.h) ...
EVIL_SHOWN = ("A\\x1b[2J\\x07B\\nC\\u009b31m\\u202eD\\x7f\\xff\\xc0\\xaf\\xed\\xa0\\x80"
              "\\xf4\\x90\\x80\\x80\\xe5\\xb1E,\"q\"\\t\\r")
# ... and as JSON carries it: the same text, one U+FFFD per byte that is not UTF-8.
EVIL_JSON = ("A\x1b[2J\x07B\nC\x9b31m\u202eD\x7f" + "\ufffd" * 12 + "E,\"q\"\t\r")
JOSE = "Jos\u00e9 \u5c71\u7530 \u592a\u90ce"


def json_bytes(raw):
    """`raw` inside a JSON string: controls as \\u escapes, other bytes as they are (a
    server may send bytes that are not UTF-8; the fixture loader takes them)."""
    out = bytearray()
    for b in raw:
        if b < 0x20 or b in (0x22, 0x5c):
            out += b"\\u%04x" % b
        else:
            out.append(b)
    return bytes(out)


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class ErrorHandler(http.server.BaseHTTPRequestHandler):
    """Answers every call with a 400 whose type, message and request id hold controls."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = (b'{"__type":"Validation\\u001b[31mException","message":"bad \\u001b]0;owned'
                b'\\u0007 input\\nsecond line \xc2\x9b2J \xe2\x80\xae \xff end"}')
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "req\x1b[1m-1")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TerminalSafe(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="idcctl-term-")
        self.env = isolated_env(home=self.tmp)
        self.env["IDC_HOME"] = os.path.join(self.tmp, "state")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def idc(self, endpoint, *args):
        p = subprocess.run([IDCCTL, "users", "--live", "--region", "us-east-1",
                            "--identity-store-id", STORE, "--endpoint-url", endpoint] + list(args),
                           stdin=subprocess.DEVNULL, capture_output=True, env=self.env,
                           timeout=120)
        return p

    def fixture(self):
        with open(DEFAULT_FIXTURE, encoding="utf-8") as f:
            account = json.load(f)["AccountId"]
        users = [{"UserId": EVIL_ID, "UserName": "evil", "DisplayName": "@EVIL@",
                  "UserStatus": "ENABLED"},
                 {"UserId": JOSE_ID, "UserName": "jose", "DisplayName": JOSE,
                  "UserStatus": "DISABLED"}]
        doc = {"AccountId": account, "IdentityStores": [
            {"IdentityStoreId": STORE, "Region": "us-east-1", "Users": users, "Groups": [],
             "GroupMemberships": []}]}
        data = json.dumps(doc, ensure_ascii=False).encode().replace(b"@EVIL@", json_bytes(EVIL))
        path = os.path.join(self.tmp, "terminal.json")
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assert_terminal_safe(self, data):
        """Valid UTF-8, and no control character but the line ends, no C1, no bidi control."""
        text = data.decode("utf-8")  # strict: raises on a byte that is not UTF-8
        for c in text:
            bad = (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f or \
                "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"
            self.assertFalse(bad, "U+%04X in %r" % (ord(c), text))
        return text

    def test_display_name_table_json_csv(self):
        with MockAws(fixtures=[DEFAULT_FIXTURE, self.fixture()]) as m:
            table = self.idc(m.endpoint)
            js = self.idc(m.endpoint, "--output", "json")
            cs = self.idc(m.endpoint, "--output", "csv")
        for p in (table, js, cs):
            self.assertEqual(p.returncode, 0, p.stderr)

        text = self.assert_terminal_safe(table.stdout)
        lines = text.splitlines()
        self.assertEqual(len(lines), 3, text)  # the header and one line per user
        evil = next(line for line in lines if EVIL_ID in line)
        jose = next(line for line in lines if JOSE_ID in line)
        self.assertIn(EVIL_SHOWN, evil)
        self.assertIn(JOSE, jose)  # non-ASCII names are kept, not turned into dots
        # columns line up in terminal columns, with the escapes counted as printed
        for word in ("STATUS", "SOURCE"):
            at = width(lines[0][:lines[0].index(word)])
            self.assertEqual(width(evil[:evil.index("ENABLED" if word == "STATUS" else "local")]),
                             at, text)
            self.assertEqual(width(jose[:jose.index("DISABLED" if word == "STATUS" else
                                                    "local")]), at, text)

        raw = js.stdout
        for seq in (b"\x1b", b"\x07", b"\x7f", b"\xc2\x9b", b"\xe2\x80\xae", b"\xff"):
            self.assertNotIn(seq, raw)
        users = {u["UserId"]: u for u in json.loads(raw.decode("utf-8"))["Users"]}
        self.assertEqual(users[EVIL_ID]["DisplayName"], EVIL_JSON)
        self.assertEqual(users[JOSE_ID]["DisplayName"], JOSE)
        self.assertIn(JOSE.encode(), raw)  # valid UTF-8 as it is, not as \u escapes

        rows = list(csv.reader(io.StringIO(cs.stdout.decode("utf-8", "surrogateescape"),
                                           newline="")))
        got = {r[1]: r[3].encode("utf-8", "surrogateescape") for r in rows[1:]}
        self.assertEqual(got, {EVIL_ID: EVIL, JOSE_ID: JOSE.encode()})
        self.assertIn(b',"' + EVIL.replace(b'"', b'""') + b'",', cs.stdout)

    def test_server_error_is_escaped_on_one_line(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ErrorHandler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            p = self.idc("http://127.0.0.1:%d" % server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
        self.assertNotEqual(p.returncode, 0)
        err = self.assert_terminal_safe(p.stderr)
        lines = [line for line in err.splitlines() if line.startswith("idcctl:")]
        self.assertEqual(len(lines), 1, err)
        self.assertIn("Validation\\x1b[31mException: bad \\x1b]0;owned\\x07 input\\nsecond "
                      "line \\u009b2J \\u202e \\xff end (HTTP 400)", lines[0])
        self.assertIn("request id req\\x1b[1m-1", lines[0])
        for line in err.splitlines():
            self.assertRegex(line, r"^(idcctl|hint): ", err)


if __name__ == "__main__":
    unittest.main()
