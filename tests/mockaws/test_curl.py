# SPDX-License-Identifier: Apache-2.0
"""test_curl.py - curl's own SigV4 signer (--aws-sigv4) against mockaws: its requests are
accepted, and a request curl signed, replayed with exactly one signed part changed after
signing (method, path, host, a signed header, body, date, scope, key id, signature), is
refused with an authentication error. The secret reaches curl through a -K config file,
never argv; curl -v shows the exact headers it signed, which are replayed with urllib."""
import datetime
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from mockenv import ADMIN, CREDS, STORE, MockTestCase, send

BODY = json.dumps({"IdentityStoreId": STORE, "MaxResults": 1}).encode()
CONTENT_TYPE = "application/x-amz-json-1.1"


class Curl(MockTestCase):

    def setUp(self):
        if shutil.which("curl") is None:
            self.skipTest("curl is not installed")
        super().setUp()
        fd, self.config = tempfile.mkstemp(prefix="mockaws-curl-", suffix=".cfg")
        with os.fdopen(fd, "w") as f:
            f.write('user = "%s:%s"\n' % (ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]))
        self.addCleanup(os.unlink, self.config)

    def curl(self, scope="aws:amz:us-east-1:identitystore", headers=None, body=BODY):
        """Runs curl -v; returns (status, response body, [(name, value)] of the request sent)."""
        headers = headers or {"Content-Type": CONTENT_TYPE,
                              "X-Amz-Target": "AWSIdentityStore.ListUsers"}
        cmd = ["curl", "-sS", "-v", "-K", self.config, "--aws-sigv4", scope,
               "-o", "-", "-w", "\n%{http_code}", "--data-binary", "@-"]
        for k, v in headers.items():
            cmd += ["-H", "%s: %s" % (k, v)]
        cmd.append(self.mock.endpoint + "/")
        p = subprocess.run(cmd, input=body, capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        out, _, code = p.stdout.rpartition(b"\n")
        sent = []
        for line in p.stderr.decode("utf-8", "replace").splitlines():
            if line.startswith("> ") and ": " in line:
                name, value = line[2:].split(": ", 1)
                sent.append((name, value))
        self.assertFalse(ADMIN["SecretAccessKey"] in p.stderr.decode("utf-8", "replace"),
                         "curl -v showed the secret")
        return int(code), out, sent

    def signed_by_curl(self):
        status, out, sent = self.curl()
        self.assertEqual(status, 200, out)
        names = [n.lower() for n, _ in sent]
        self.assertIn("authorization", names)
        self.assertIn("x-amz-date", names)
        auth = dict(sent)["Authorization"]
        self.assertIn("SignedHeaders=content-type;host;x-amz-date;x-amz-target,", auth)
        # replay as curl sent it, minus what urllib sets itself
        return {n: v for n, v in sent if n.lower() not in ("content-length", "user-agent", "accept")}

    def replay(self, headers, method="POST", path="/", body=BODY):
        status, h, data = send(self.mock.endpoint + path, method, headers, body)
        return status, data

    def assert_refused(self, reply, code, text=None):
        status, data = reply
        self.assertEqual(status, 400, data)
        err = json.loads(data)
        self.assertEqual(err["__type"], code, err)
        if text:
            self.assertIn(text, err["Message"])

    # ---- accepted ------------------------------------------------------------------------

    def test_curl_request_accepted(self):
        status, out, _ = self.curl()
        self.assertEqual(status, 200, out)
        self.assertEqual(len(json.loads(out)["Users"]), 1)
        log = self.mock.wait_log(1)
        self.assertEqual((log[-1]["operation"], log[-1]["status"], log[-1]["access_key_id"]),
                         ("ListUsers", 200, ADMIN["AccessKeyId"]))

    def test_curl_iam_request_accepted(self):
        status, out, _ = self.curl(scope="aws:amz:us-east-1:iam",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"},
                                   body=b"Action=GetUser&Version=2010-05-08&UserName=bob")
        self.assertEqual(status, 200, out)
        self.assertIn(b"<UserName>bob</UserName>", out)

    def test_replay_unchanged_accepted(self):
        # the control: the captured request replayed as it is still passes
        headers = self.signed_by_curl()
        status, data = self.replay(headers)
        self.assertEqual(status, 200, data)
        # and an extra header that was not signed changes nothing
        status, data = self.replay(dict(headers, **{"X-Unsigned-Extra": "1"}))
        self.assertEqual(status, 200, data)

    # ---- one signed part changed after signing -------------------------------------------

    def test_changed_method(self):
        headers = self.signed_by_curl()
        self.assert_refused(self.replay(headers, method="PUT"), "InvalidSignatureException",
                            "The request signature we calculated does not match")

    def test_changed_path(self):
        headers = self.signed_by_curl()
        for path in ("/x", "/identitystore"):
            with self.subTest(path=path):
                self.assert_refused(self.replay(headers, path=path), "InvalidSignatureException",
                                    "The request signature we calculated does not match")

    def test_changed_host(self):
        headers = self.signed_by_curl()
        self.assert_refused(self.replay(dict(headers, Host="localhost:%d" % self.mock.port)),
                            "InvalidSignatureException")

    def test_changed_target(self):
        headers = self.signed_by_curl()
        self.assert_refused(self.replay(dict(headers, **{"X-Amz-Target": "AWSIdentityStore.ListGroups"})),
                            "InvalidSignatureException")

    def test_changed_content_type(self):
        headers = self.signed_by_curl()
        self.assert_refused(self.replay(dict(headers, **{"Content-Type": "application/json"})),
                            "InvalidSignatureException")

    def test_changed_body(self):
        headers = self.signed_by_curl()
        other = json.dumps({"IdentityStoreId": STORE, "MaxResults": 2}).encode()
        self.assert_refused(self.replay(headers, body=other), "InvalidSignatureException")
        # same length, one byte different
        self.assert_refused(self.replay(headers, body=BODY.replace(b"1}", b"2}")),
                            "InvalidSignatureException")

    def test_changed_date(self):
        headers = self.signed_by_curl()
        when = datetime.datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        later = (when + datetime.timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")
        self.assert_refused(self.replay(dict(headers, **{"X-Amz-Date": later})),
                            "InvalidSignatureException")

    def test_changed_scope(self):
        headers = self.signed_by_curl()
        auth = headers["Authorization"]
        region = auth.replace("/us-east-1/identitystore/", "/us-west-2/identitystore/")
        self.assertNotEqual(region, auth)
        self.assert_refused(self.replay(dict(headers, Authorization=region)),
                            "InvalidSignatureException")
        service = auth.replace("/us-east-1/identitystore/", "/us-east-1/iam/")
        self.assert_refused(self.replay(dict(headers, Authorization=service)),
                            "InvalidSignatureException",
                            "Credential should be scoped to correct service: 'identitystore'.")

    def test_changed_signed_headers_list(self):
        headers = self.signed_by_curl()
        auth = headers["Authorization"].replace("content-type;host;x-amz-date;x-amz-target",
                                                "host;x-amz-date;x-amz-target")
        self.assert_refused(self.replay(dict(headers, Authorization=auth)),
                            "InvalidSignatureException")

    def test_changed_key_id(self):
        headers = self.signed_by_curl()
        auth = headers["Authorization"]
        # another key the mock knows: the signature no longer matches its secret
        other = auth.replace(ADMIN["AccessKeyId"], "AKIAREADONLYEXAMPLE1")
        self.assertIn("AKIAREADONLYEXAMPLE1", CREDS)
        self.assert_refused(self.replay(dict(headers, Authorization=other)),
                            "InvalidSignatureException")
        # a key it does not know
        unknown = auth.replace(ADMIN["AccessKeyId"], "AKIAI44QH8DHBEXAMPLE")
        self.assert_refused(self.replay(dict(headers, Authorization=unknown)),
                            "UnrecognizedClientException")

    def test_changed_signature(self):
        headers = self.signed_by_curl()
        auth = headers["Authorization"]
        last = auth[-1]
        flipped = auth[:-1] + ("0" if last != "0" else "1")
        self.assert_refused(self.replay(dict(headers, Authorization=flipped)),
                            "InvalidSignatureException")


if __name__ == "__main__":
    unittest.main()
