# SPDX-License-Identifier: Apache-2.0
"""test_libidc.py - libidc's operations end to end through idc_drive: every Identity Store
and IAM operation over every transport of this build, plain and through the TLS front,
under faults that must still complete and faults that exhaust the retries, through an
HTTPS proxy, with the debug trace checked for secrets; answers mockaws never gives (a
malformed page, a long Marker) from a small fake service, and the refusals of misused calls.
The crypto backend is the build's."""
import http.server
import json
import os
import re
import select
import signal
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
import unittest

from mockenv import ADMIN, CREDS, REPO, STORE, MockAws, MockTestCase

DRIVE = os.environ.get("IDC_DRIVE_BIN", os.path.join(REPO, "build", "openssl", "bin", "idc_drive"))
EMBED = os.environ.get("EMBED_FLOW_BIN", os.path.join(REPO, "build", "openssl", "bin", "embed_flow"))
BACKEND = os.environ.get("IDC_TLS", "openssl")
TRANSPORTS = ["native"] + (["curl"] if os.environ.get("IDC_WITH_CURL", "ON") in ("ON", "1", "TRUE") else [])
TEMP = next(c for c in CREDS.values() if c.get("SessionToken"))
SECRETS = [c["SecretAccessKey"] for c in CREDS.values()] + [TEMP["SessionToken"]]


def drive(endpoint, *args, cred=ADMIN, transport="native", ca=None, extra_env=None, check=True,
          options=()):
    """Runs idc_drive; returns (exit status, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": cred["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": cred["SecretAccessKey"],
                "HOME": tempfile.gettempdir()})
    if cred.get("SessionToken"):
        env["AWS_SESSION_TOKEN"] = cred["SessionToken"]
    env.update(extra_env or {})
    cmd = [DRIVE, "--transport", transport, "--base-ms", "5"] + list(options)
    if ca:
        cmd += ["--ca", ca]
    cmd += [endpoint] + list(args)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError("idc_drive %s failed: %s %s" % (" ".join(args), p.stdout, p.stderr))
    return p.returncode, p.stdout, p.stderr


def stats(out):
    m = re.search(r"^stats (.*)$", out, re.M)
    words = m.group(1).split()
    return {words[i]: float(words[i + 1]) for i in range(0, len(words), 2)}


class TlsFront:
    """ci/mockaws-tls around a mockaws of the build; .url and .ca once started."""

    def __init__(self, *mock_args):
        self.dir = tempfile.mkdtemp(prefix="libidc-tls-")
        self.ready = os.path.join(self.dir, "ready")
        env = dict(os.environ, MOCKAWS=os.environ.get("MOCKAWS_BIN", ""))
        self.proc = subprocess.Popen(
            [os.path.join(REPO, "ci", "mockaws-tls"), self.ready, "--fixtures",
             os.path.join(REPO, "fixtures", "default.json")] + list(mock_args),
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mockaws-tls did not start: " + self.proc.stderr.read())
            time.sleep(0.05)
        with open(self.ready) as f:
            self.url, self.ca = f.read().split()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)


class ConnectProxy(socketserver.ThreadingTCPServer):
    """A small HTTP CONNECT proxy; `refuse` answers 403 instead of tunnelling."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refuse=False):
        self.refuse = refuse
        self.tunnels = []
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    def do_CONNECT(self):
        self.server.tunnels.append(self.path)
        if self.server.refuse:
            self.send_error(403, "Forbidden by policy")
            return
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        self.send_response(200, "Connection established")
        self.end_headers()
        conns = [self.connection, upstream]
        while True:
            readable, _, _ = select.select(conns, [], [], 10)
            if not readable:
                break
            for s in readable:
                data = s.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if s is self.connection else self.connection).sendall(data)

    def log_message(self, *args):
        pass


class FakeService(http.server.ThreadingHTTPServer):
    """Answers each POST with the next (body, request id) of `replies` and keeps the request
    bodies: for answers mockaws never gives (a malformed page, a Marker of 2,000 bytes)."""

    daemon_threads = True

    def __init__(self, replies, content_type):
        self.replies = list(replies)
        self.content_type = content_type
        self.bodies = []
        super().__init__(("127.0.0.1", 0), FakeHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class FakeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.server.bodies.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        body, request_id = self.server.replies.pop(0)
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", self.server.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", request_id)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


IAM_USER = ("<member><Path>/</Path><UserName>%s</UserName><UserId>AIDA%s</UserId>"
            "<Arn>arn:aws:iam::123456789012:user/%s</Arn>"
            "<CreateDate>2024-01-02T03:04:05Z</CreateDate></member>")


def iam_answer(action, result):
    return ('<%sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%sResult>%s</%sResult>'
            "<ResponseMetadata><RequestId>body-id</RequestId></ResponseMetadata></%sResponse>"
            % (action, action, result, action, action))


class LibIdc(MockTestCase):
    mock_args = ("--synthetic-users", "970")

    def ep(self):
        return self.mock.endpoint

    def test_identitystore_operations(self):
        for t in TRANSPORTS:
            with self.subTest(transport=t):
                m = MockAws("--synthetic-users", "970").start()
                try:
                    self.identitystore_flow(m.endpoint, t)
                finally:
                    m.stop()

    def identitystore_flow(self, ep, t):
        _, out, _ = drive(ep, "list-users", STORE, transport=t, options=["--show"])
        s = stats(out)
        self.assertEqual(s["users"], 1000)
        self.assertEqual((s["requests"], s["connections"]), (10, 1))
        self.assertIn("DISABLED", out)
        self.assertRegex(out, r"user \S+ john\.smith - local")  # a user without UserStatus
        _, out, _ = drive(ep, "get-user-id", STORE, "userName", "jose.alvarez", transport=t)
        uid = re.search(r"user-id (\S+)", out).group(1)
        _, out2, _ = drive(ep, "get-user-id", STORE, "emails.value", "jose.alvarez@example.com",
                           transport=t)
        self.assertIn(uid, out2)
        _, out, _ = drive(ep, "describe-user", STORE, uid, transport=t)
        self.assertRegex(out, r"user %s jose\.alvarez ENABLED external" % uid)
        _, out, _ = drive(ep, "memberships", STORE, uid, transport=t)
        groups = re.findall(r"membership (\S+) group (\S+)", out)
        self.assertTrue(groups)
        _, out, _ = drive(ep, "describe-group", STORE, groups[0][1], transport=t)
        self.assertRegex(out, r"group-name \S+")
        drive(ep, "delete-membership", STORE, groups[0][0], transport=t)
        drive(ep, "delete-user", STORE, uid, transport=t)
        code, out, _ = drive(ep, "describe-user", STORE, uid, transport=t, check=False)
        self.assertEqual(code, 1)
        self.assertIn("code=ResourceNotFoundException status=400 retryable=0", out)

    def test_iam_operations(self):
        for t in TRANSPORTS:
            with self.subTest(transport=t):
                m = MockAws().start()
                try:
                    self.iam_flow(m.endpoint, t)
                finally:
                    m.stop()

    def iam_flow(self, ep, t):
        _, out, _ = drive(ep, "iam-list-users", transport=t)
        self.assertEqual(stats(out)["users"], 10)
        _, out, _ = drive(ep, "iam-get-user", transport=t)
        self.assertIn("iam-user idc-integration", out)
        self.assertIn("password yes", drive(ep, "iam-login-profile", "bob", transport=t)[1])
        self.assertIn("password no", drive(ep, "iam-login-profile", "dave", transport=t)[1])
        self.assertIn("keys 1 active 1", drive(ep, "iam-access-keys", "carol", transport=t)[1])
        self.assertIn("keys 1 active 0", drive(ep, "iam-access-keys", "erin", transport=t)[1])
        out = drive(ep, "iam-groups", "alice", transport=t)[1]
        self.assertIn("group Admins", out)
        out = drive(ep, "iam-delete-user", "alice", transport=t)[1]
        steps = re.findall(r"^step (.+) (\S+) (\S+)$", out, re.M)
        self.assertEqual(steps[-1], ("delete user", "-", "done"))
        self.assertEqual(len(steps), 13)
        code, out, _ = drive(ep, "iam-get-user", "alice", transport=t, check=False)
        self.assertIn("code=NoSuchEntity status=404", out)
        name = "j.doe+ops=1,dev@example-corp"
        self.assertIn("iam-user " + name, drive(ep, "iam-get-user", name, transport=t)[1])

    def test_embedded_program_flow(self):
        # tests/embed/embed_flow.c: public headers and the installed libidc only, as a user's
        # program; list with status, sync, describe, plan and delete, sync again
        with open(os.path.join(REPO, "fixtures", "default.json"), encoding="utf-8") as f:
            fixture = json.load(f)
        store = next(s for s in fixture["IdentityStores"] if s["IdentityStoreId"] == STORE)
        cases = (("iam", "-", "alice", len(fixture["Iam"]["Users"])),
                 ("identitycenter", STORE, "priya.sharma", len(store["Users"])))
        for kind, store_id, victim, total in cases:
            with self.subTest(kind=kind):
                m = MockAws().start()
                state = tempfile.mkdtemp(prefix="embed-")
                try:
                    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
                    env.update({"AWS_ACCESS_KEY_ID": ADMIN["AccessKeyId"],
                                "AWS_SECRET_ACCESS_KEY": ADMIN["SecretAccessKey"],
                                "HOME": state})
                    p = subprocess.run([EMBED, kind, m.endpoint, store_id,
                                        os.path.join(state, "inventory"), victim],
                                       env=env, capture_output=True, text=True, timeout=120)
                    self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                    out = p.stdout
                    self.assertRegex(out, r"listed %d users: \d+ enabled" % total)
                    self.assertIn("synced users %d added %d removed 0" % (total, total), out)
                    self.assertRegex(out, r"described %s ENABLED items [1-9]" % re.escape(victim))
                    planned = re.findall(r"^planned (.+) (\S+) (\S+)$", out, re.M)
                    ran = re.findall(r"^ran (.+) (\S+) (done|already done)$", out, re.M)
                    self.assertEqual(len(planned), len(ran))
                    self.assertEqual(planned[-1][0], "delete user")
                    self.assertIn("synced users %d added 0 removed 1" % (total - 1), out)
                    self.assertNotIn(ADMIN["SecretAccessKey"], out + p.stderr)
                    op = ("iam-get-user", victim) if kind == "iam" else \
                        ("get-user-id", STORE, "userName", victim)
                    code, got, _ = drive(m.endpoint, *op, check=False)
                    self.assertEqual(code, 1)
                    self.assertRegex(got, r"code=(NoSuchEntity|ResourceNotFoundException)")
                finally:
                    m.stop()

    def test_faults_still_complete(self):
        for t in TRANSPORTS:
            with self.subTest(transport=t):
                m = MockAws("--synthetic-users", "9970", "--faults",
                            "throttle=0.1,error=0.05,reset=0.02,truncate=0.01").start()
                try:
                    _, out, _ = drive(m.endpoint, "list-users", STORE, transport=t,
                                      options=["--attempts", "6"])
                    s = stats(out)
                    self.assertEqual((s["users"], s["pages"]), (10000, 100))
                    self.assertGreater(s["retries"], 0)
                finally:
                    m.stop()

    def test_retries_run_out(self):
        m = MockAws("--faults", "throttle=1", "--retry-after", "0").start()
        try:
            for t in TRANSPORTS:
                code, out, err = drive(m.endpoint, "list-users", STORE, transport=t, check=False)
                self.assertEqual(code, 1)
                self.assertIn("code=ThrottlingException status=400 retryable=1", out)
                self.assertIn("gave up after 3 attempts", err)
                self.assertEqual(stats(out)["requests"], 3)
        finally:
            m.stop()

    def test_non_idempotent_write_not_retried_after_sending(self):
        m = MockAws("--faults", "reset=1").start()
        try:
            code, out, _ = drive(m.endpoint, "iam-delete-user", "dave", check=False)
            self.assertEqual(code, 1)
            self.assertIn("IDC_ERR_RESET", out)
        finally:
            m.stop()

    def test_clock_corrected_from_date(self):
        # mockaws's clock two hours ahead: the first attempt expires, the client learns the
        # offset from Date and signs again
        ahead = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() + 7200))
        m = MockAws("--fixed-time", ahead).start()
        try:
            _, out, err = drive(m.endpoint, "list-users", STORE, options=["--trace"])
            self.assertEqual(stats(out)["users"], 30)
            self.assertIn("signature expired", err)
            self.assertEqual(stats(out)["retries"], 0)
        finally:
            m.stop()

    def test_trace_redacts_secrets(self):
        _, out, err = drive(self.ep(), "list-users", STORE, cred=TEMP, options=["--trace"])
        self.assertIn("Signature=<redacted>", err)
        self.assertIn("X-Amz-Security-Token: <redacted>", err)
        self.assertIn("> POST / HTTP/1.1", err)
        self.assertRegex(err, r"< HTTP 200, \d+ bytes")
        for secret in SECRETS:
            self.assertNotIn(secret, out + err)

    def test_tls_front(self):
        front = TlsFront()
        try:
            for t in TRANSPORTS:
                with self.subTest(transport=t):
                    _, out, _ = drive(front.url, "list-users", STORE, transport=t, ca=front.ca)
                    self.assertEqual(stats(out)["users"], 30)
                    self.assertEqual(stats(out)["connections"], 1)
                    _, out, _ = drive(front.url, "iam-get-user", "bob", transport=t, ca=front.ca)
                    self.assertIn("iam-user bob", out)
                    # the system store does not know the throw-away CA
                    code, out, err = drive(front.url, "list-users", STORE, transport=t, check=False)
                    self.assertIn("IDC_ERR_TLS_VERIFY", out)
                    self.assertIn("verification failed", err)
                    ip = front.url.replace("localhost", "127.0.0.1")
                    code, out, err = drive(ip, "list-users", STORE, transport=t, ca=front.ca,
                                           check=False)
                    self.assertIn("IDC_ERR_TLS_VERIFY", out)
                    if BACKEND == "mbedtls":
                        self.assertIn("cannot verify a certificate for an IP address", err)
                    else:
                        self.assertIn("127.0.0.1", err)
        finally:
            front.stop()

    def test_https_proxy(self):
        front = TlsFront()
        proxy = ConnectProxy()
        refusing = ConnectProxy(refuse=True)
        try:
            for t in TRANSPORTS:
                with self.subTest(transport=t):
                    proxy.tunnels.clear()
                    _, out, _ = drive(front.url, "list-users", STORE, transport=t, ca=front.ca,
                                      extra_env={"HTTPS_PROXY": proxy.url, "NO_PROXY": ""})
                    self.assertEqual(stats(out)["users"], 30)
                    self.assertEqual(len(proxy.tunnels), 1)
                    self.assertTrue(proxy.tunnels[0].startswith("localhost:"))
                    proxy.tunnels.clear()
                    drive(front.url, "list-users", STORE, transport=t, ca=front.ca,
                          extra_env={"HTTPS_PROXY": proxy.url, "NO_PROXY": "example.com,localhost"})
                    self.assertEqual(proxy.tunnels, [])
                    code, out, err = drive(front.url, "list-users", STORE, transport=t, ca=front.ca,
                                           extra_env={"HTTPS_PROXY": refusing.url, "NO_PROXY": ""},
                                           check=False)
                    self.assertIn("IDC_ERR_PROXY", out)
                    self.assertIn("403", err)
        finally:
            proxy.shutdown()
            refusing.shutdown()
            front.stop()

    def test_https_proxy_not_used_for_plain_http(self):
        # https_proxy is for https:// endpoints: a plain http:// one (a local mock) goes
        # direct with every transport, as curl itself does with HTTPS_PROXY
        for t in TRANSPORTS:
            with self.subTest(transport=t):
                _, out, _ = drive(self.ep(), "list-users", STORE, transport=t,
                                  extra_env={"HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""})
                self.assertEqual(stats(out)["users"], 1000)

    def test_iam_marker_of_any_length(self):
        # markerType allows 320 bytes, but nothing bounds what IAM sends back
        marker = "m" * 2000
        fake = FakeService([
            (iam_answer("ListUsers", "<IsTruncated>true</IsTruncated><Marker>%s</Marker><Users>%s"
                        "</Users>" % (marker, IAM_USER % ("ann", "1", "ann"))), "rid-1"),
            (iam_answer("ListUsers", "<IsTruncated>true</IsTruncated><Marker>%s</Marker><Users>%s"
                        "</Users>" % (marker + "2", IAM_USER % ("bo", "2", "bo"))), "rid-2"),
            (iam_answer("ListUsers", "<IsTruncated>false</IsTruncated><Users>%s</Users>"
                        % (IAM_USER % ("cy", "3", "cy"))), "rid-3"),
            (iam_answer("ListUsers", "<IsTruncated>true</IsTruncated><Marker>again</Marker>"
                        "<Users/>"), "rid-4"),
            (iam_answer("ListUsers", "<IsTruncated>true</IsTruncated><Marker>again</Marker>"
                        "<Users/>"), "rid-5"),
        ], "text/xml")
        try:
            _, out, _ = drive(fake.url, "iam-list-users", options=["--show"])
            self.assertEqual(re.findall(r"^iam-user (\S+)", out, re.M), ["ann", "bo", "cy"])
            self.assertNotIn("Marker=", fake.bodies[0])
            self.assertIn("&Marker=%s" % marker, fake.bodies[1])
            self.assertIn("&Marker=%s2" % marker, fake.bodies[2])
            code, out, err = drive(fake.url, "iam-list-users", check=False)
            self.assertEqual(code, 1)
            self.assertIn("IDC_ERR_PARSE", out)
            self.assertIn("IAM ListUsers: the server sent a Marker it had sent on an earlier page", err)
        finally:
            fake.shutdown()

    def test_iam_malformed_access_key(self):
        key = ("<member><UserName>ann</UserName><AccessKeyId>%s</AccessKeyId>"
               "<Status>Active</Status></member>")
        fake = FakeService([
            (iam_answer("ListAccessKeys", "<IsTruncated>false</IsTruncated><AccessKeyMetadata>%s"
                        "</AccessKeyMetadata>" % (key % ("AKIA" + "X" * 196))), "rid-1"),
        ], "text/xml")
        try:
            code, out, err = drive(fake.url, "iam-access-keys", "ann", check=False)
            self.assertEqual(code, 1)
            self.assertIn("IDC_ERR_PARSE", out)
            self.assertIn("listing the access keys of IAM user ann: IAM answer:", err)
            self.assertIn("AccessKeyId of 200 bytes is longer than the model's 128", err)
        finally:
            fake.shutdown()

    def test_identitystore_parse_errors_name_the_answer(self):
        fake = FakeService([
            ('{"Users":[{"UserId":"u-1"}],"NextToken":"tok \\"1\\""}', "rid-page-1"),
            ('{"Users":[{"UserName":"no-id"}]}', "rid-page-2"),
            ('{"UserName":"no-id"}', "rid-describe"),
            ('{"Nope":1}', "rid-get"),
            ('[1]', "rid-group"),
        ], "application/x-amz-json-1.1")
        cases = [
            (("list-users", STORE),
             "ListUsers page 2 (request id rid-page-2): a user in the response has no UserId"),
            (("describe-user", STORE, "u-1"),
             "DescribeUser answer (request id rid-describe): a user in the response has no UserId"),
            (("get-user-id", STORE, "userName", "ann"),
             "GetUserId answer (request id rid-get): no UserId in the response"),
            (("describe-group", STORE, "g-1"),
             "DescribeGroup answer (request id rid-group): the response is not a JSON object"),
        ]
        try:
            for args, message in cases:
                with self.subTest(operation=args[0]):
                    code, out, err = drive(fake.url, *args, check=False)
                    self.assertEqual(code, 1)
                    self.assertIn("error IDC_ERR_PARSE", out)
                    self.assertIn(message, err)
            # the second page asked for the first page's token, unescaped then escaped again
            self.assertIn('"NextToken":"tok \\"1\\""', fake.bodies[1])
        finally:
            fake.shutdown()

    def test_identitystore_paging_by_next_token(self):
        fake = FakeService([
            ('{"GroupMemberships":[{"MembershipId":"m-1","GroupId":"g-1"}],"NextToken":"t-1"}',
             "rid-1"),
            ('{"GroupMemberships":[{"MembershipId":"m-2","GroupId":"g-2"}],"NextToken":"t-2"}',
             "rid-2"),
            ('{"GroupMemberships":[{"MembershipId":"m-3","GroupId":"g-3"}],"NextToken":""}',
             "rid-3"),
            ('{"Users":[{"UserId":"u-9"}],"NextToken":""}', "rid-4"),
        ], "application/x-amz-json-1.1")
        try:
            _, out, _ = drive(fake.url, "memberships", STORE, "u-1")
            self.assertEqual(re.findall(r"^membership (\S+) group (\S+)$", out, re.M),
                             [("m-1", "g-1"), ("m-2", "g-2"), ("m-3", "g-3")])
            first = ('{"IdentityStoreId":"%s","MemberId":{"UserId":"u-1"},"MaxResults":100' % STORE)
            self.assertEqual(fake.bodies, [first + "}", first + ',"NextToken":"t-1"}',
                                           first + ',"NextToken":"t-2"}'])
            # an empty NextToken ends a listing as a missing one does
            _, out, _ = drive(fake.url, "list-users", STORE)
            self.assertEqual((stats(out)["users"], stats(out)["requests"]), (1, 1))
        finally:
            fake.shutdown()

    def test_identitystore_refuses_null_arguments(self):
        _, out, _ = drive(self.ep(), "null-args", STORE)
        refused = dict(re.findall(r"^refused (\S+) (.*)$", out, re.M))
        arg = "IDC_ERR_ARG Identity Store "
        null = " is NULL; pass a value"
        self.assertEqual(refused, {
            "list-users": arg + "ListUsers: IdentityStoreId" + null,
            "list-users-client": arg + "ListUsers needs a client",
            "describe-user": arg + "DescribeUser: UserId" + null,
            "get-user-id": arg + "GetUserId: AttributeValue" + null,
            "get-user-id-out": "IDC_ERR_ARG idc_ids_get_user_id needs an output buffer",
            "delete-user": arg + "DeleteUser: UserId" + null,
            "memberships": arg + "ListGroupMembershipsForMember: UserId" + null,
            "memberships-callback":
                "IDC_ERR_ARG idc_ids_list_memberships_for_member needs a callback",
            "describe-group": arg + "DescribeGroup: GroupId" + null,
            "delete-membership": arg + "DeleteGroupMembership: MembershipId" + null,
        })
        self.assertEqual(stats(out)["requests"], 0)
        code, out, err = drive(self.ep(), "iam-ids-list-users", STORE, check=False)
        self.assertEqual(code, 1)
        self.assertIn("error IDC_ERR_ARG", out)
        self.assertIn("Identity Store ListUsers needs a client made with idc_service_identitystore, not iam's",
                      err)

    def test_credentials_from_a_profile(self):
        home = tempfile.mkdtemp(prefix="libidc-home-")
        with open(os.path.join(home, "credentials"), "w") as f:
            f.write("[ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                    "[assume]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = ci\n"
                    % (ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]))
        base = {"AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
                "AWS_CONFIG_FILE": os.path.join(home, "config")}
        no_keys = {"AccessKeyId": "", "SecretAccessKey": ""}
        _, out, _ = drive(self.ep(), "list-users", STORE, cred=no_keys,
                          extra_env=dict(base, AWS_PROFILE="ci"))
        self.assertEqual(stats(out)["users"], 1000)
        code, out, err = drive(self.ep(), "list-users", STORE, cred=no_keys,
                               extra_env=dict(base, AWS_PROFILE="assume"), check=False)
        self.assertEqual(code, 1)
        self.assertIn("role_arn", err)
        self.assertNotIn(ADMIN["SecretAccessKey"], out + err)


if __name__ == "__main__":
    unittest.main()
