# SPDX-License-Identifier: Apache-2.0
"""test_auth.py - authentication and authorization as operations.md's tables promise them,
through raw requests: missing, unknown, wrong and mis-scoped signatures, the skew windows
(300 s for Identity Store, 900 s for IAM, --max-skew, --fixed-time), session tokens, each
fixture credential's policy, presigned URLs signed by idcctl, tampered paths, and a request
log that records every call and never a secret."""
import contextlib
import datetime
import json
import os
import subprocess
import tempfile
import unittest.mock
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from mockenv import ADMIN, CREDS, IDCCTL, STORE, STORE2, MockAws, MockTestCase, send

NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"
VENDOR = CREDS["AKIAVENDORGUIDEPOL01"]
READONLY = CREDS["AKIAREADONLYEXAMPLE1"]
NODELETE = CREDS["AKIADENYDELETEEXAMPL"]
STORE2ONLY = CREDS["AKIASTORE2ONLYEXAMPL"]
TEMP = CREDS["ASIATEMPORARYEXAMPLE"]
JOHN = "9067721b72-3ecbe8a0-9c01-45a5-b49f-a65170f8e9d5"
EXPECTED_SIGNATURE = "The request signature we calculated does not match"
ACCOUNT_STORE_ARN = "arn:aws:identitystore::123456789012:identitystore/"


def secrets():
    """Every secret of the fixture: secret keys and session tokens."""
    out = []
    for c in CREDS.values():
        out.append(c["SecretAccessKey"])
        if c.get("SessionToken"):
            out.append(c["SessionToken"])
    return out


@contextlib.contextmanager
def signing_time(when):
    """Makes botocore sign as if the clock showed `when` (a naive UTC datetime)."""
    if when is None:
        yield
        return
    import botocore.auth
    if hasattr(botocore.auth, "get_current_datetime"):
        with unittest.mock.patch.object(botocore.auth, "get_current_datetime",
                                        lambda *a, **k: when):
            yield
    else:  # older botocore (Debian's 1.29) reads datetime.datetime.utcnow()
        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return when
        with unittest.mock.patch.object(botocore.auth.datetime, "datetime", Frozen):
            yield


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def sign(mock, method="POST", path="/", query="", headers=None, body=b"", cred=ADMIN,
         region="us-east-1", service="identitystore", when=None):
    """Headers of a request signed by botocore for exactly this method, path and query."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = mock.endpoint + path + ("?" + query if query else "")
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    creds = Credentials(cred["AccessKeyId"], cred["SecretAccessKey"], cred.get("SessionToken"))
    with signing_time(when):
        SigV4Auth(creds, service, region).add_auth(req)
    return dict(req.headers.items())


def ids_request(op="ListUsers", body=None):
    data = json.dumps(body if body is not None else {"IdentityStoreId": STORE}).encode()
    return {"Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSIdentityStore." + op}, data


def iam_request(params):
    p = {"Version": "2010-05-08"}
    p.update(params)
    return {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, urlencode(p).encode()


class Auth(MockTestCase):

    def setUp(self):
        super().setUp()
        self.seen = []  # every (headers, body) received, checked for secrets in tearDown
        self.mocks = [self.mock]

    def tearDown(self):
        try:
            texts = [json.dumps(h) + "\n" + b.decode("utf-8", "replace") for h, b in self.seen]
            for m in self.mocks:
                if os.path.exists(m.log_path):
                    with open(m.log_path, encoding="utf-8") as f:
                        texts.append(f.read())
                texts.append(m.read_stderr())
            for s in secrets():
                for t in texts:
                    self.assertFalse(s in t, "a secret leaked into a response, the log or stderr")
        finally:
            for m in self.mocks[1:]:
                m.stop()
            super().tearDown()

    def extra_mock(self, *args):
        m = MockAws(*args).start()
        self.mocks.append(m)
        return m

    # ---- sending -----------------------------------------------------------------------

    def send(self, mock, method, path, headers, body, query=""):
        url = mock.endpoint + path + ("?" + query if query else "")
        status, h, data = send(url, method, headers, body if method != "GET" else None)
        self.seen.append((h, data))
        return status, {k.lower(): v for k, v in h.items()}, data

    def ids(self, op="ListUsers", body=None, mock=None, cred=ADMIN, region="us-east-1",
            service="identitystore", when=None, extra=None):
        mock = mock or self.mock
        headers, data = ids_request(op, body)
        headers.update(extra or {})
        signed = sign(mock, headers=headers, body=data, cred=cred, region=region, service=service,
                      when=when)
        return self.send(mock, "POST", "/", signed, data)

    def iam(self, params, mock=None, cred=ADMIN, region="us-east-1", service="iam", when=None):
        mock = mock or self.mock
        headers, data = iam_request(params)
        signed = sign(mock, headers=headers, body=data, cred=cred, region=region, service=service,
                      when=when)
        return self.send(mock, "POST", "/", signed, data)

    # ---- checking ----------------------------------------------------------------------

    def ids_error(self, reply, code, message=None, status=400):
        got, headers, data = reply
        self.assertEqual(got, status, data)
        err = json.loads(data)
        self.assertEqual(err["__type"], code, err)
        self.assertEqual(headers.get("x-amzn-errortype"), code)
        self.assertEqual(err["Message"], err["message"])
        self.assertTrue(headers.get("x-amzn-requestid"))
        if message is not None:
            self.assertIn(message, err["Message"])
        return err

    def iam_error(self, reply, code, message=None, status=403):
        got, headers, data = reply
        self.assertEqual(got, status, data)
        self.assertTrue(headers.get("content-type", "").startswith("text/xml"), headers)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, NS + "ErrorResponse")
        err = root.find(NS + "Error")
        self.assertEqual(err.findtext(NS + "Code"), code, data)
        self.assertEqual(err.findtext(NS + "Type"), "Receiver" if status >= 500 else "Sender")
        self.assertTrue(root.findtext(NS + "RequestId"))
        text = err.findtext(NS + "Message")
        if message is not None:
            self.assertIn(message, text)
        return text

    def ok(self, reply):
        status, _, data = reply
        self.assertEqual(status, 200, data)
        return data

    # ---- missing, unknown and wrong credentials ----------------------------------------------

    def test_no_authorization(self):
        headers, data = ids_request()
        self.ids_error(self.send(self.mock, "POST", "/", headers, data),
                       "MissingAuthenticationTokenException", "Missing Authentication Token")
        headers, data = iam_request({"Action": "ListUsers"})
        self.iam_error(self.send(self.mock, "POST", "/", headers, data),
                       "MissingAuthenticationToken", status=403)

    def test_malformed_authorization(self):
        headers, data = ids_request()
        headers.update({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE",
                        "X-Amz-Date": utcnow().strftime("%Y%m%dT%H%M%SZ")})
        self.ids_error(self.send(self.mock, "POST", "/", headers, data),
                       "IncompleteSignatureException")
        headers, data = iam_request({"Action": "ListUsers"})
        headers.update({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE",
                        "X-Amz-Date": utcnow().strftime("%Y%m%dT%H%M%SZ")})
        self.iam_error(self.send(self.mock, "POST", "/", headers, data), "IncompleteSignature",
                       status=400)

    def test_unknown_access_key(self):
        stranger = {"AccessKeyId": "AKIAI44QH8DHBEXAMPLE",
                    "SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}
        self.ids_error(self.ids(cred=stranger), "UnrecognizedClientException",
                       "The security token included in the request is invalid.")
        self.iam_error(self.iam({"Action": "ListUsers"}, cred=stranger), "InvalidClientTokenId",
                       "The security token included in the request is invalid.", status=403)

    def test_wrong_secret(self):
        wrong = dict(ADMIN, SecretAccessKey=ADMIN["SecretAccessKey"][:-1] + "X")
        self.ids_error(self.ids(cred=wrong), "InvalidSignatureException", EXPECTED_SIGNATURE)
        self.iam_error(self.iam({"Action": "ListUsers"}, cred=wrong), "SignatureDoesNotMatch",
                       EXPECTED_SIGNATURE, status=403)

    # ---- dates ---------------------------------------------------------------------------

    def test_ten_minutes_old(self):
        then = utcnow() - datetime.timedelta(minutes=10)
        self.ids_error(self.ids(when=then), "InvalidSignatureException", "Signature expired")
        self.ok(self.iam({"Action": "ListUsers"}, when=then))  # IAM's window is 900 s
        later = utcnow() + datetime.timedelta(minutes=10)
        self.ids_error(self.ids(when=later), "InvalidSignatureException", "Signature not yet current")
        self.ok(self.iam({"Action": "ListUsers"}, when=later))

    def test_twenty_minutes_old(self):
        then = utcnow() - datetime.timedelta(minutes=20)
        self.ids_error(self.ids(when=then), "InvalidSignatureException", "Signature expired")
        self.iam_error(self.iam({"Action": "ListUsers"}, when=then), "SignatureDoesNotMatch",
                       "Signature expired", status=403)
        self.ok(self.ids(when=utcnow() - datetime.timedelta(minutes=4)))

    def test_max_skew_tightens_both(self):
        m = self.extra_mock("--max-skew", "60")
        two_min = utcnow() - datetime.timedelta(minutes=2)
        self.ids_error(self.ids(mock=m, when=two_min), "InvalidSignatureException",
                       "Signature expired")
        self.iam_error(self.iam({"Action": "ListUsers"}, mock=m, when=two_min),
                       "SignatureDoesNotMatch", "Signature expired", status=403)
        half_min = utcnow() - datetime.timedelta(seconds=30)
        self.ok(self.ids(mock=m, when=half_min))
        self.ok(self.iam({"Action": "ListUsers"}, mock=m, when=half_min))

    def test_fixed_time(self):
        m = self.extra_mock("--fixed-time", "20260101T120000Z")
        recorded = datetime.datetime(2026, 1, 1, 11, 58, 30)
        _, headers, _ = self.ids(mock=m, when=recorded)
        self.ok(self.ids(mock=m, when=recorded))
        self.assertEqual(headers["date"], "Thu, 01 Jan 2026 12:00:00 GMT")
        self.ok(self.iam({"Action": "ListUsers"}, mock=m, when=recorded))
        # a request made now is far from the mock's clock
        self.ids_error(self.ids(mock=m), "InvalidSignatureException", "Signature not yet current")

    # ---- scope -----------------------------------------------------------------------------

    def test_scope_service(self):
        self.ids_error(self.ids(service="iam"), "InvalidSignatureException",
                       "Credential should be scoped to correct service: 'identitystore'.")
        self.iam_error(self.iam({"Action": "ListUsers"}, service="identitystore"),
                       "SignatureDoesNotMatch",
                       "Credential should be scoped to correct service: 'iam'.", status=403)

    def test_scope_region(self):
        for region in ("nowhere", "us-east", "US-EAST-1"):
            with self.subTest(region=region):
                self.ids_error(self.ids(region=region), "InvalidSignatureException",
                               "Credential should be scoped to a valid region.")
                self.iam_error(self.iam({"Action": "ListUsers"}, region=region),
                               "SignatureDoesNotMatch",
                               "Credential should be scoped to a valid region.", status=403)
        # IAM accepts any well-formed region unless --strict-iam-region
        self.ok(self.iam({"Action": "ListUsers"}, region="eu-west-1"))
        strict = self.extra_mock("--strict-iam-region")
        self.iam_error(self.iam({"Action": "ListUsers"}, mock=strict, region="eu-west-1"),
                       "SignatureDoesNotMatch", "Credential should be scoped to a valid region.",
                       status=403)
        self.ok(self.iam({"Action": "ListUsers"}, mock=strict, region="us-east-1"))

    # ---- session tokens ------------------------------------------------------------------

    def test_session_token(self):
        self.assertTrue(TEMP.get("SessionToken"))
        without = dict(TEMP)
        del without["SessionToken"]
        self.ids_error(self.ids(cred=without), "UnrecognizedClientException",
                       "The security token included in the request is invalid.")
        self.iam_error(self.iam({"Action": "ListUsers"}, cred=without), "InvalidClientTokenId",
                       status=403)
        wrong = dict(TEMP, SessionToken=TEMP["SessionToken"][:-4] + "AAAA")
        self.ids_error(self.ids(cred=wrong), "UnrecognizedClientException")
        self.ok(self.ids(cred=TEMP))
        self.ok(self.iam({"Action": "ListUsers"}, cred=TEMP))
        # a long-term key sent with a token it does not have is refused too
        self.ids_error(self.ids(cred=dict(ADMIN, SessionToken=TEMP["SessionToken"])),
                       "UnrecognizedClientException")

    # ---- policies ------------------------------------------------------------------------

    def test_vendor_guide_policy(self):
        msg = self.ids_error(self.ids(cred=VENDOR), "AccessDeniedException")["Message"]
        self.assertEqual(msg, "User: arn:aws:iam::123456789012:user/vendor-guide is not authorized "
                              "to perform: identitystore:ListUsers on resource: "
                              + ACCOUNT_STORE_ARN + STORE + " because no identity-based policy "
                              "allows the identitystore:ListUsers action")
        data = self.ok(self.iam({"Action": "ListUsers"}, cred=VENDOR))
        self.assertIn(b"<ListUsersResponse", data)
        # and what its policy leaves out of IAM: DeleteAccessKey
        self.iam_error(self.iam({"Action": "DeleteAccessKey", "UserName": "carol",
                                 "AccessKeyId": "AKIAJYJKKIBAOJ5N7ETV"}, cred=VENDOR),
                       "AccessDenied", "iam:DeleteAccessKey", status=403)

    def test_read_only_policy(self):
        self.ok(self.ids(cred=READONLY))
        self.ok(self.ids("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN}, cred=READONLY))
        err = self.ids_error(self.ids("DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN},
                                      cred=READONLY), "AccessDeniedException")
        self.assertIn("user/readonly-auditor", err["Message"])
        self.assertIn("identitystore:DeleteUser", err["Message"])
        self.assertIn("because no identity-based policy allows", err["Message"])
        self.ok(self.iam({"Action": "ListUsers"}, cred=READONLY))
        self.iam_error(self.iam({"Action": "DeleteUser", "UserName": "dave"}, cred=READONLY),
                       "AccessDenied", "iam:DeleteUser", status=403)
        # nothing was deleted
        self.ok(self.ids("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN}))
        self.ok(self.iam({"Action": "GetUser", "UserName": "dave"}))

    def test_explicit_deny(self):
        err = self.ids_error(self.ids("DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN},
                                      cred=NODELETE), "AccessDeniedException")
        self.assertTrue(err["Message"].endswith("with an explicit deny in an identity-based policy"),
                        err["Message"])
        self.assertIn("arn:aws:iam::123456789012:user/no-delete-operator", err["Message"])
        msg = self.iam_error(self.iam({"Action": "DeleteUser", "UserName": "dave"}, cred=NODELETE),
                             "AccessDenied", status=403)
        self.assertIn("with an explicit deny in an identity-based policy", msg)
        self.ok(self.ids("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN}, cred=NODELETE))
        self.ok(self.iam({"Action": "ListUsers"}, cred=NODELETE))

    def test_store2_only_policy(self):
        data = self.ok(self.ids(body={"IdentityStoreId": STORE2}, cred=STORE2ONLY, region="eu-west-1"))
        self.assertEqual(len(json.loads(data)["Users"]), 8)
        err = self.ids_error(self.ids(cred=STORE2ONLY), "AccessDeniedException")
        self.assertIn("on resource: " + ACCOUNT_STORE_ARN + STORE + " ", err["Message"])
        self.iam_error(self.iam({"Action": "ListUsers"}, cred=STORE2ONLY), "AccessDenied",
                       "iam:ListUsers", status=403)

    # ---- presigned URLs (idcctl) -----------------------------------------------------------

    def presign(self, mock, raw, cred=ADMIN, service="identitystore", expires=60, when=None):
        """Signs `raw` (an HTTP request text) in the query with idcctl; returns
        (method, target, headers, body) as idcctl printed them."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": cred["AccessKeyId"],
                    "AWS_SECRET_ACCESS_KEY": cred["SecretAccessKey"]})
        with tempfile.NamedTemporaryFile("wb", suffix=".http", delete=False) as f:
            f.write(raw)
        self.addCleanup(os.unlink, f.name)
        cmd = [IDCCTL, "sigv4", "sign", "--region", "us-east-1", "--service", service,
               "--presign", str(expires)]
        if when is not None:
            cmd += ["--time", when.strftime("%Y%m%dT%H%M%SZ")]
        p = subprocess.run(cmd + [f.name], env=env, capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        head, _, body = p.stdout.partition(b"\n\n")
        lines = head.decode().split("\n")
        method, target, _ = lines[0].split(" ")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        self.assertIn("X-Amz-Signature=", target)
        self.assertNotIn("Authorization", headers)
        return method, target, headers, body

    def send_presigned(self, mock, presigned):
        method, target, headers, body = presigned
        path, _, query = target.partition("?")
        return self.send(mock, method, path, headers, body if method != "GET" else None, query)

    def ids_raw(self, mock):
        return ("POST / HTTP/1.1\nHost: 127.0.0.1:%d\nContent-Type: application/x-amz-json-1.1\n"
                "X-Amz-Target: AWSIdentityStore.ListUsers\n\n" % mock.port).encode() + \
            json.dumps({"IdentityStoreId": STORE, "MaxResults": 3}).encode()

    def iam_raw(self, mock):
        return ("GET /?Action=ListUsers&Version=2010-05-08&MaxItems=2 HTTP/1.1\nHost: 127.0.0.1:%d\n\n"
                % mock.port).encode()

    def test_presigned_accepted(self):
        data = self.ok(self.send_presigned(self.mock, self.presign(self.mock, self.ids_raw(self.mock))))
        self.assertEqual(len(json.loads(data)["Users"]), 3)
        data = self.ok(self.send_presigned(self.mock, self.presign(self.mock, self.iam_raw(self.mock),
                                                                   service="iam")))
        self.assertEqual(len(ET.fromstring(data).findall(".//" + NS + "Users/" + NS + "member")), 2)
        # the signature covers the query: change a parameter and it fails
        method, target, headers, body = self.presign(self.mock, self.iam_raw(self.mock), service="iam")
        self.iam_error(self.send_presigned(self.mock, (method, target.replace("MaxItems=2", "MaxItems=3"),
                                                       headers, body)),
                       "SignatureDoesNotMatch", status=403)

    def test_presigned_expired(self):
        m = self.extra_mock("--fixed-time", "20260101T120000Z")
        fresh = datetime.datetime(2026, 1, 1, 11, 59, 30)  # valid until 12:00:30
        stale = datetime.datetime(2026, 1, 1, 11, 58, 0)  # expired at 11:59:00
        self.ok(self.send_presigned(m, self.presign(m, self.ids_raw(m), when=fresh)))
        self.ids_error(self.send_presigned(m, self.presign(m, self.ids_raw(m), when=stale)),
                       "InvalidSignatureException", "Request has expired")
        self.ok(self.send_presigned(m, self.presign(m, self.iam_raw(m), service="iam", when=fresh)))
        self.iam_error(self.send_presigned(m, self.presign(m, self.iam_raw(m), service="iam",
                                                           when=stale)),
                       "RequestExpired", status=400)

    # ---- paths ---------------------------------------------------------------------------

    def test_tampered_path(self):
        headers, data = ids_request()
        for signed_path, sent_path in (("/", "/x"), ("/x", "/")):
            with self.subTest(signed=signed_path, sent=sent_path):
                signed = sign(self.mock, path=signed_path, headers=headers, body=data)
                self.ids_error(self.send(self.mock, "POST", sent_path, signed, data),
                               "InvalidSignatureException", EXPECTED_SIGNATURE)
        iam_headers, iam_data = iam_request({"Action": "ListUsers"})
        signed = sign(self.mock, path="/", headers=iam_headers, body=iam_data, service="iam")
        self.iam_error(self.send(self.mock, "POST", "/x", signed, iam_data), "SignatureDoesNotMatch",
                       EXPECTED_SIGNATURE, status=403)

    def test_other_path_refused_after_authentication(self):
        headers, data = ids_request()
        signed = sign(self.mock, path="/other", headers=headers, body=data)
        status, _, body = self.send(self.mock, "POST", "/other", signed, data)
        self.assertNotEqual(status, 200, body)
        err = json.loads(body)
        self.assertNotIn(err["__type"], ("InvalidSignatureException", "UnrecognizedClientException",
                                         "MissingAuthenticationTokenException"))
        # unauthenticated, the same path is an authentication error first
        self.ids_error(self.send(self.mock, "POST", "/other", headers, data),
                       "MissingAuthenticationTokenException")
        iam_headers, iam_data = iam_request({"Action": "ListUsers"})
        signed = sign(self.mock, path="/other", headers=iam_headers, body=iam_data, service="iam")
        status, _, body = self.send(self.mock, "POST", "/other", signed, iam_data)
        self.assertNotEqual(status, 200, body)
        self.assertNotIn(b"SignatureDoesNotMatch", body)
        log = self.mock.wait_log(3)
        self.assertEqual(sorted(e["access_key_id"] for e in log),
                         sorted([ADMIN["AccessKeyId"], "", ADMIN["AccessKeyId"]]))
        self.assertIn(status, [e["status"] for e in log if e["service"] == "iam"])

    # ---- the log -------------------------------------------------------------------------

    def test_request_log(self):
        wrong = dict(ADMIN, SecretAccessKey="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz")
        self.ok(self.ids())
        self.ids(cred=wrong)
        self.ids(cred=VENDOR)
        self.iam({"Action": "DeleteUser", "UserName": "alice"})
        self.ok(self.ids(cred=TEMP))
        headers, data = ids_request()
        self.send(self.mock, "POST", "/", headers, data)
        log = self.mock.wait_log(6)
        self.assertEqual(len(log), 6)
        want = [
            ("identitystore", "ListUsers", ADMIN["AccessKeyId"], 200, None),
            ("identitystore", "ListUsers", ADMIN["AccessKeyId"], 400, "InvalidSignatureException"),
            ("identitystore", "ListUsers", VENDOR["AccessKeyId"], 400, "AccessDeniedException"),
            ("iam", "DeleteUser", ADMIN["AccessKeyId"], 409, "DeleteConflict"),
            ("identitystore", "ListUsers", TEMP["AccessKeyId"], 200, None),
            ("identitystore", "ListUsers", "", 400, "MissingAuthenticationTokenException"),
        ]
        got = [(e["service"], e["operation"], e["access_key_id"], e["status"], e["error_code"])
               for e in log]
        key = lambda t: tuple(str(x) for x in t)  # noqa: E731 (lines may swap: compare sorted)
        self.assertEqual(sorted(got, key=key), sorted(want, key=key))
        for e in log:
            self.assertRegex(e["request_id"], r"^[0-9a-f-]{36}$")
            self.assertEqual(e["fault"], "none")
            self.assertIsInstance(e["latency_ms"], (int, float))
        with open(self.mock.log_path, encoding="utf-8") as f:
            text = f.read()
        self.assertFalse(wrong["SecretAccessKey"] in text, "the secret is in the log")
        self.assertFalse(TEMP["SessionToken"] in text, "the session token is in the log")
