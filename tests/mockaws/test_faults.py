# SPDX-License-Identifier: Apache-2.0
"""test_faults.py - fault injection (--faults, --seed, --retry-after, --slow-ms,
--latency-ms): what each fault looks like on the wire for Identity Store and IAM, that a
reset request still ran, that the faults are reproducible for a seed and drawn again on a
retry, and that bad specs are refused with exit status 2."""
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from mockenv import ADMIN, CREDS, MOCKAWS, STORE, DEFAULT_FIXTURE, MockAws, raw_json, raw_query

NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"
JOHN = "9067721b72-3ecbe8a0-9c01-45a5-b49f-a65170f8e9d5"


def signed_request(mock, op, body):
    """(headers, data) of an Identity Store request signed by botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=mock.endpoint + "/", data=data,
                     headers={"Content-Type": "application/x-amz-json-1.1",
                              "X-Amz-Target": "AWSIdentityStore." + op})
    SigV4Auth(Credentials(ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]), "identitystore",
              "us-east-1").add_auth(req)
    return dict(req.headers.items()), data


def scrub(data):
    """Bytes for a failure message, with every fixture secret blanked out."""
    for c in CREDS.values():
        for secret in (c["SecretAccessKey"], c.get("SessionToken")):
            if secret:
                data = data.replace(secret.encode(), b"<secret>")
    return data


def raw_exchange(mock, service):
    """One signed request over a plain socket; returns (header block, body) exactly as
    received (the header block without its final blank line)."""
    from urllib.parse import urlencode

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    if service == "iam":
        data = urlencode({"Action": "GetUser", "Version": "2010-05-08"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    else:
        data = json.dumps({"IdentityStoreId": STORE}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "AWSIdentityStore.ListUsers"}
    req = AWSRequest(method="POST", url=mock.endpoint + "/", data=data, headers=headers)
    SigV4Auth(Credentials(ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]), service,
              "us-east-1").add_auth(req)
    raw = "POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % mock.port
    raw += "".join("%s: %s\r\n" % kv for kv in req.headers.items())
    raw += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(data)
    with socket.create_connection(("127.0.0.1", mock.port), timeout=10) as s:
        s.sendall(raw.encode() + data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    return head, body


def sequence(mock, n=60):
    """n requests, some repeated, through one mock; returns their statuses."""
    statuses = []
    for i in range(n):
        if i % 3 == 0:
            status, _, _ = raw_json(mock, "ListUsers", {"IdentityStoreId": STORE,
                                                        "MaxResults": 1 + i % 5})
        elif i % 3 == 1:
            status, _, _ = raw_json(mock, "DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN})
        else:
            status, _, _ = raw_query(mock, {"Action": "GetUser", "UserName": "bob"})
        statuses.append(status)
    return statuses


class Faults(unittest.TestCase):

    def mock(self, *args):
        m = MockAws(*args).start()
        self.addCleanup(m.stop)
        return m

    def test_throttle(self):
        m = self.mock("--faults", "throttle=1", "--retry-after", "3")
        status, headers, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE})
        self.assertEqual(status, 400, data)
        err = json.loads(data)
        self.assertEqual(err["__type"], "ThrottlingException")
        self.assertEqual(err["RetryAfterSeconds"], 3)
        self.assertEqual(err["Message"], err["message"])
        self.assertEqual(headers.get("X-Amzn-ErrorType"), "ThrottlingException")
        self.assertEqual(headers.get("Retry-After"), "3")  # README: a header when N > 0
        self.assertEqual([(e["status"], e["error_code"], e["fault"]) for e in m.wait_log(1)],
                         [(400, "ThrottlingException", "throttle")])
        # IAM (without --retry-after: see test_iam_fault_headers_with_retry_after)
        m = self.mock("--faults", "throttle=1")
        status, _, data = raw_query(m, {"Action": "ListUsers"})
        self.assertEqual(status, 400, data)
        root = ET.fromstring(data)
        self.assertEqual(root.findtext(NS + "Error/" + NS + "Code"), "Throttling")
        self.assertEqual(root.findtext(NS + "Error/" + NS + "Type"), "Sender")
        self.assertEqual([(e["status"], e["error_code"], e["fault"]) for e in m.wait_log(1)],
                         [(400, "Throttling", "throttle")])

    def test_throttle_retry_after_default(self):
        m = self.mock("--faults", "throttle=1")
        status, headers, data = raw_json(m, "DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN})
        self.assertEqual(status, 400, data)
        self.assertEqual(json.loads(data)["RetryAfterSeconds"], 0)
        self.assertNotIn("Retry-After", headers)

    def test_error(self):
        m = self.mock("--faults", "error=1", "--retry-after", "2")
        status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE})
        self.assertEqual(status, 500, data)
        err = json.loads(data)
        self.assertEqual(err["__type"], "InternalServerException")
        self.assertEqual(err["RetryAfterSeconds"], 2)
        m = self.mock("--faults", "error=1")  # see test_iam_fault_headers_with_retry_after
        status, headers, data = raw_query(m, {"Action": "GetUser"})
        self.assertEqual(status, 500, data)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, NS + "ErrorResponse")
        self.assertEqual(root.findtext(NS + "Error/" + NS + "Code"), "ServiceFailure")
        self.assertEqual(root.findtext(NS + "Error/" + NS + "Type"), "Receiver")
        self.assertTrue(headers.get("Content-Type", "").startswith("text/xml"))

    def test_iam_fault_headers_with_retry_after(self):
        # README: --retry-after N > 0 adds a Retry-After header; the header block must stay
        # well formed and the body whole, for IAM as for Identity Store
        for kind, status in (("error", 500), ("throttle", 400)):
            m = self.mock("--faults", kind + "=1", "--retry-after", "2")
            for i in range(10):
                for service in ("iam", "identitystore"):
                    with self.subTest(kind=kind, service=service, i=i):
                        head, body = raw_exchange(m, service)
                        lines = head.split(b"\r\n")
                        self.assertEqual(lines[0].split(b" ")[1], str(status).encode())
                        bad = [ln for ln in lines[1:] if not re.match(rb"^[A-Za-z0-9-]+: [ -~]*$", ln)]
                        # (shown scrubbed: a stray header could hold any memory, secrets too)
                        self.assertFalse(bad, scrub(head))
                        fields = dict(line.split(b": ", 1) for line in lines[1:])
                        self.assertEqual(fields.get(b"Retry-After"), b"2")
                        self.assertEqual(int(fields[b"Content-Length"]), len(body))
                        if service == "iam":
                            ET.fromstring(body)
                        else:
                            self.assertEqual(json.loads(body)["RetryAfterSeconds"], 2)

    def test_faults_follow_authentication(self):
        # a request that fails authentication or the policy never reaches the faults
        m = self.mock("--faults", "throttle=1")
        wrong = dict(ADMIN, SecretAccessKey="x" * 40)
        status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE}, cred=wrong)
        self.assertEqual(json.loads(data)["__type"], "InvalidSignatureException")
        self.assertEqual(m.wait_log(1)[-1]["fault"], "none")

    def test_reset(self):
        m = self.mock("--faults", "reset=1")
        with self.assertRaises(OSError):
            raw_json(m, "ListUsers", {"IdentityStoreId": STORE})
        # the operation ran before the connection was dropped: a DeleteUser took effect
        with self.assertRaises(OSError):
            raw_json(m, "DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN})
        with self.assertRaises(OSError):
            raw_json(m, "DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN})
        with self.assertRaises(OSError):
            raw_query(m, {"Action": "ListUsers"})
        log = m.wait_log(4)
        # (a line is written after its response, so two lines may swap: compare as sets)
        self.assertEqual(sorted((e["operation"], e["status"], e["error_code"] or "", e["fault"])
                                for e in log), sorted([
            ("ListUsers", 200, "", "reset"),
            ("DeleteUser", 200, "", "reset"),
            ("DeleteUser", 400, "ResourceNotFoundException", "reset"),  # already gone
            ("ListUsers", 200, "", "reset"),
        ]))

    def test_truncate(self):
        m = self.mock("--faults", "truncate=1")
        headers, data = signed_request(m, "ListUsers", {"IdentityStoreId": STORE})
        conn = http.client.HTTPConnection("127.0.0.1", m.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("POST", "/", body=data, headers=headers)
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        length = int(resp.getheader("Content-Length"))
        with self.assertRaises(http.client.IncompleteRead) as cm:
            resp.read()
        self.assertLess(len(cm.exception.partial), length)
        self.assertGreater(len(cm.exception.partial), 0)  # README: half the body
        self.assertGreater(length, 1000)
        self.assertEqual(m.wait_log(1)[-1]["fault"], "truncate")

    def test_slow(self):
        m = self.mock("--faults", "slow=1", "--slow-ms", "300")
        start = time.monotonic()
        status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE, "MaxResults": 2})
        elapsed = time.monotonic() - start
        self.assertEqual(status, 200, data)
        self.assertEqual(len(json.loads(data)["Users"]), 2)  # a slow answer is a whole answer
        self.assertGreaterEqual(elapsed, 0.3)
        self.assertLess(elapsed, 3)
        self.assertEqual(m.wait_log(1)[-1]["fault"], "slow")

    def test_latency(self):
        m = self.mock("--latency-ms", "200")
        for call in (lambda: raw_json(m, "ListUsers", {"IdentityStoreId": STORE}),
                     lambda: raw_query(m, {"Action": "GetUser", "UserName": "nobody-at-all"})):
            start = time.monotonic()
            status, _, _ = call()
            elapsed = time.monotonic() - start
            self.assertIn(status, (200, 404))
            self.assertGreaterEqual(elapsed, 0.2)
            self.assertLess(elapsed, 3)

    def test_same_seed_same_faults(self):
        spec = ("--faults", "throttle=0.3,error=0.2")
        a = sequence(self.mock(*spec, "--seed", "42"))
        b = sequence(self.mock(*spec, "--seed", "42"))
        self.assertEqual(a, b)
        self.assertIn(200, a)
        self.assertIn(500, a)
        self.assertTrue(400 in a, a)  # throttles (Identity Store and IAM both answer 400)

    def test_other_seed_other_faults(self):
        spec = ("--faults", "throttle=0.3,error=0.2")
        a = sequence(self.mock(*spec, "--seed", "42"))
        b = sequence(self.mock(*spec, "--seed", "43"))
        self.assertNotEqual(a, b)

    def test_default_seed_is_fixed(self):
        spec = ("--faults", "throttle=0.3,error=0.2")
        self.assertEqual(sequence(self.mock(*spec), 30), sequence(self.mock(*spec, "--seed", "1"), 30))

    def test_retry_draws_again(self):
        m = self.mock("--faults", "throttle=0.5", "--seed", "7")
        body = {"IdentityStoreId": STORE, "UserId": JOHN}
        statuses = [raw_json(m, "DescribeUser", body)[0] for _ in range(20)]
        faults = [e["fault"] for e in m.wait_log(20)]
        self.assertEqual(len(faults), 20)
        self.assertIn("throttle", faults)
        self.assertIn("none", faults)
        self.assertEqual(statuses.count(400), faults.count("throttle"))

    def test_bad_fault_specs(self):
        bad = ["throttle=2", "throttle=-0.1", "bogus=0.1", "throttle", "throttle=",
               "throttle=abc", "throttle=0.6,error=0.6", "throttle=0.1;error=0.1"]
        with tempfile.TemporaryDirectory() as d:
            ready = os.path.join(d, "ready")
            for spec in bad:
                with self.subTest(spec=spec):
                    p = subprocess.run([MOCKAWS, "--fixtures", DEFAULT_FIXTURE, "--port", "0",
                                        "--ready-file", ready, "--faults", spec],
                                       capture_output=True, text=True, timeout=20)
                    self.assertEqual(p.returncode, 2, p.stderr)
                    self.assertFalse(os.path.exists(ready))
                    self.assertIn("--faults", p.stderr)
                    self.assertTrue(p.stderr.startswith("mockaws: "), p.stderr)
                    if spec == "throttle=0.6,error=0.6":
                        self.assertIn("add up to", p.stderr)
                    else:
                        self.assertIn("KIND=PROBABILITY", p.stderr)
            for opt, value in (("--seed", "x"), ("--retry-after", "-1"), ("--slow-ms", "1e3"),
                               ("--latency-ms", "")):
                with self.subTest(opt=opt, value=value):
                    p = subprocess.run([MOCKAWS, "--fixtures", DEFAULT_FIXTURE, "--port", "0",
                                        "--ready-file", ready, opt, value],
                                       capture_output=True, text=True, timeout=20)
                    self.assertEqual(p.returncode, 2, p.stderr)
                    self.assertIn(opt, p.stderr)
                    self.assertFalse(os.path.exists(ready))


if __name__ == "__main__":
    unittest.main()
