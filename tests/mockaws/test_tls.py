# SPDX-License-Identifier: Apache-2.0
"""test_tls.py - ci/mockaws-tls (spec/mockaws/tls-front.md) in front of the mockaws under
test: with the CA of its ready file curl reaches mockaws and a request signed by curl
succeeds; without the CA, or through https://127.0.0.1, verification fails; SIGTERM stops
the wrapper, both of its children, and removes its temp dir."""
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.request

from mockenv import ADMIN, DEFAULT_FIXTURE, MOCKAWS, REPO, STORE

WRAPPER = os.path.join(REPO, "ci", "mockaws-tls")
HAVE_STUNNEL = bool(shutil.which("stunnel4") or shutil.which("stunnel"))
HAVE_SOCAT = bool(shutil.which("socat"))


def children(pid):
    """The direct children of a process, from /proc."""
    out = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except OSError:
        return False


class Tls(unittest.TestCase):

    def setUp(self):
        if not HAVE_STUNNEL and not HAVE_SOCAT:
            self.skipTest("neither stunnel4 nor socat is installed")
        if shutil.which("curl") is None:
            self.skipTest("curl is not installed")
        self.dir = tempfile.mkdtemp(prefix="mockaws-tls-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        fd, self.config = tempfile.mkstemp(prefix="curl-", suffix=".cfg", dir=self.dir)
        with os.fdopen(fd, "w") as f:
            f.write('user = "%s:%s"\n' % (ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]))

    def start(self, terminator=None):
        """Starts the wrapper; returns (process, url, ca path, log path)."""
        ready = os.path.join(self.dir, "ready-%s" % (terminator or "default"))
        log = os.path.join(self.dir, "requests-%s.log" % (terminator or "default"))
        env = dict(os.environ, MOCKAWS=MOCKAWS)
        env.pop("MOCKAWS_TLS_TERMINATOR", None)
        if terminator:
            env["MOCKAWS_TLS_TERMINATOR"] = terminator
        stderr = open(os.path.join(self.dir, "wrapper-stderr"), "w+")
        self.addCleanup(stderr.close)
        proc = subprocess.Popen([WRAPPER, ready, "--fixtures", DEFAULT_FIXTURE, "--log", log],
                                env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        self.addCleanup(self.stop, proc)
        deadline = time.monotonic() + 30
        while not os.path.exists(ready):
            if proc.poll() is not None:
                stderr.seek(0)
                self.fail("mockaws-tls exited %d: %s" % (proc.returncode, stderr.read()))
            if time.monotonic() > deadline:
                self.fail("mockaws-tls did not write its ready file")
            time.sleep(0.05)
        with open(ready) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 2, lines)
        url, ca = lines
        self.assertRegex(url, r"^https://localhost:\d+$")
        self.assertTrue(os.path.isabs(ca) and os.path.exists(ca), ca)
        return proc, url, ca, log

    def stop(self, proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def curl(self, *args):
        p = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}"] + list(args),
                           capture_output=True, timeout=30)
        out, _, code = p.stdout.rpartition(b"\n")
        return p.returncode, int(code or 0), out, p.stderr.decode("utf-8", "replace")

    def signed_list_users(self, url, ca):
        return self.curl("--cacert", ca, "-K", self.config,
                         "--aws-sigv4", "aws:amz:us-east-1:identitystore",
                         "-H", "Content-Type: application/x-amz-json-1.1",
                         "-H", "X-Amz-Target: AWSIdentityStore.ListUsers",
                         "--data-binary", json.dumps({"IdentityStoreId": STORE, "MaxResults": 4}),
                         url + "/")

    def check_reaches_mockaws(self, terminator):
        _, url, ca, log = self.start(terminator)
        rc, status, out, err = self.curl("--cacert", ca, url + "/")
        self.assertEqual(rc, 0, err)
        self.assertEqual(status, 403, out)  # mockaws itself: IAM wants a signature
        self.assertIn(b"MissingAuthenticationToken", out)
        rc, status, out, err = self.signed_list_users(url, ca)
        self.assertEqual((rc, status), (0, 200), err + out.decode())
        self.assertEqual(len(json.loads(out)["Users"]), 4)
        # mockaws writes a request's log line after its answer: wait for it a little
        deadline = time.monotonic() + 5
        while True:
            with open(log, encoding="utf-8") as f:
                ops = [json.loads(line)["operation"] for line in f if line.strip()]
            if "ListUsers" in ops or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        self.assertIn("ListUsers", ops)

    def test_curl_with_ca(self):
        self.check_reaches_mockaws(None)

    def test_stunnel(self):
        if not HAVE_STUNNEL:
            self.skipTest("stunnel4 is not installed")
        self.check_reaches_mockaws("stunnel")

    def test_socat(self):
        if not HAVE_SOCAT:
            self.skipTest("socat is not installed")
        self.check_reaches_mockaws("socat")

    def test_python_client_with_ca(self):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        _, url, ca, _ = self.start()
        data = b"Action=GetUser&Version=2010-05-08"
        req = AWSRequest(method="POST", url=url + "/", data=data,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        SigV4Auth(Credentials(ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]), "iam",
                  "us-east-1").add_auth(req)
        ctx = ssl.create_default_context(cafile=ca)
        r = urllib.request.urlopen(urllib.request.Request(url + "/", data=data, method="POST",
                                                          headers=dict(req.headers.items())),
                                   context=ctx, timeout=30)
        self.assertEqual(r.status, 200)
        self.assertIn(b"<UserName>idc-integration</UserName>", r.read())

    def test_verification_fails_without_ca(self):
        _, url, _, _ = self.start()
        rc, _, _, err = self.curl(url + "/")
        self.assertEqual(rc, 60, err)  # unknown issuer
        rc, _, _, err = self.signed_list_users(url, "/dev/null")
        self.assertNotEqual(rc, 0, err)

    def test_ip_address_fails_host_check(self):
        _, url, ca, _ = self.start()
        by_ip = url.replace("https://localhost:", "https://127.0.0.1:")
        rc, _, _, err = self.curl("--cacert", ca, by_ip + "/")
        self.assertIn(rc, (51, 60), err)  # no name matches 127.0.0.1
        self.assertNotEqual(rc, 0)

    def test_sigterm_stops_everything(self):
        proc, url, ca, _ = self.start()
        kids = children(proc.pid)
        self.assertGreaterEqual(len(kids), 2, "mockaws and the terminator")
        self.assertTrue(all(alive(k) for k in kids))
        tmp = os.path.dirname(ca)
        self.assertTrue(os.path.isdir(tmp))
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=20), 0)
        deadline = time.monotonic() + 5
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse([k for k in kids if alive(k)], "a child outlived the wrapper")
        self.assertFalse(os.path.exists(tmp), "the temp dir was not removed")
        rc, _, _, _ = self.curl("--cacert", "/dev/null", "--max-time", "5", url + "/")
        self.assertEqual(rc, 7)  # nothing listens any more

    def test_mockaws_failure_is_reported(self):
        ready = os.path.join(self.dir, "ready-bad")
        env = dict(os.environ, MOCKAWS=MOCKAWS)
        p = subprocess.run([WRAPPER, ready, "--fixtures", os.path.join(self.dir, "missing.json")],
                           env=env, capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertFalse(os.path.exists(ready))
        self.assertIn("missing.json", p.stderr)
        p = subprocess.run([WRAPPER, ready, "--fixtures", DEFAULT_FIXTURE, "--port", "1"],
                           env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--port", p.stderr)


if __name__ == "__main__":
    unittest.main()
