# SPDX-License-Identifier: Apache-2.0
"""mockenv.py - what every mockaws test shares: starting its own mockaws on a free port
(--port 0 --ready-file), an isolated environment for the aws CLI and boto3 (no user
configuration leaks in), the fixture's credentials, and raw requests signed by botocore
(an independent signer) or by idcctl, for checking wire bytes the SDKs would hide.

Environment: MOCKAWS_BIN and IDCCTL_BIN (set by ctest), REPO (the repository root).
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

REPO = os.environ.get("REPO", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
MOCKAWS = os.environ.get("MOCKAWS_BIN", os.path.join(REPO, "build", "openssl", "bin", "mockaws"))
IDCCTL = os.environ.get("IDCCTL_BIN", os.path.join(REPO, "build", "openssl", "bin", "idcctl"))
DEFAULT_FIXTURE = os.path.join(REPO, "fixtures", "default.json")


def fixture_credentials(path=DEFAULT_FIXTURE):
    """{AccessKeyId: credential} from a fixture file."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {c["AccessKeyId"]: c for c in doc.get("Credentials", [])}


CREDS = fixture_credentials()
ADMIN = CREDS["AKIAIOSFODNN7EXAMPLE"]
STORE = "d-1234567890"
STORE2 = "d-9876543210"


class MockAws:
    """A mockaws process for one test: `with MockAws(extra_args) as m: m.endpoint`."""

    def __init__(self, *args, fixtures=None, expect_exit=0):
        self.args = list(args)
        self.fixtures = fixtures or [DEFAULT_FIXTURE]
        self.expect_exit = expect_exit
        self.dir = tempfile.mkdtemp(prefix="mockaws-test-")
        self.ready = os.path.join(self.dir, "ready")
        self.log_path = os.path.join(self.dir, "requests.log")
        self.proc = None
        self.port = None

    def start(self):
        cmd = [MOCKAWS, "--port", "0", "--ready-file", self.ready, "--log", self.log_path]
        for f in self.fixtures:
            cmd += ["--fixtures", f]
        cmd += self.args
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None:
                raise RuntimeError("mockaws exited (%d): %s" % (self.proc.returncode, self.read_stderr()))
            if time.monotonic() > deadline:
                raise RuntimeError("mockaws did not write its ready file: " + self.read_stderr())
            time.sleep(0.02)
        with open(self.ready) as f:
            self.port = int(f.read().strip())
        self.endpoint = "http://127.0.0.1:%d" % self.port
        return self

    def read_stderr(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def log(self):
        """The request log as a list of dicts."""
        with open(self.log_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def wait_log(self, count, timeout=5.0, until=None):
        """The request log once it has at least `count` lines (and `until(entries)` holds,
        when given): mockaws writes a request's line after its response has gone out, so a
        client can be a little ahead of it."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.log() if os.path.exists(self.log_path) else []
            done = len(entries) >= count and (until is None or until(entries))
            if done or time.monotonic() > deadline:
                return entries
            time.sleep(0.01)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("mockaws did not stop on SIGTERM")
        code = self.proc.returncode if self.proc else 0
        if self.proc is not None and code != self.expect_exit:
            raise RuntimeError("mockaws exited %d: %s" % (code, self.read_stderr()))
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def isolated_env(cred=ADMIN, region="us-east-1", home=None):
    """An environment for the aws CLI: these keys, this region, no user configuration."""
    home = home or tempfile.mkdtemp(prefix="mockaws-home-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "HOME": home,
        "AWS_CONFIG_FILE": os.path.join(home, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
        "AWS_ACCESS_KEY_ID": cred["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": cred["SecretAccessKey"],
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    if cred.get("SessionToken"):
        env["AWS_SESSION_TOKEN"] = cred["SessionToken"]
    return env


def aws(mock, *args, cred=ADMIN, region="us-east-1", check=True):
    """Runs the aws CLI against mockaws; returns (exit status, stdout, stderr)."""
    cmd = ["aws", "--endpoint-url", mock.endpoint, "--output", "json"] + list(args)
    p = subprocess.run(cmd, env=isolated_env(cred, region), capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p.returncode, p.stdout, p.stderr


def raw_json(mock, operation, body, cred=ADMIN, region="us-east-1", service="identitystore",
             headers=None):
    """An Identity Store call signed by botocore's SigV4Auth; returns (status, headers, body)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else (
        body.encode() if isinstance(body, str) else body)
    h = {"Content-Type": "application/x-amz-json-1.1",
         "X-Amz-Target": "AWSIdentityStore." + operation}
    h.update(headers or {})
    req = AWSRequest(method="POST", url=mock.endpoint + "/", data=data, headers=h)
    creds = Credentials(cred["AccessKeyId"], cred["SecretAccessKey"], cred.get("SessionToken"))
    SigV4Auth(creds, service, region).add_auth(req)
    return send(req.url, "POST", dict(req.headers.items()), data)


def raw_query(mock, params, cred=ADMIN, region="us-east-1", service="iam"):
    """An IAM call (form POST) signed by botocore; returns (status, headers, body)."""
    from urllib.parse import urlencode

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    p = {"Version": "2010-05-08"}
    p.update(params)
    data = urlencode(p).encode()
    req = AWSRequest(method="POST", url=mock.endpoint + "/", data=data,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    creds = Credentials(cred["AccessKeyId"], cred["SecretAccessKey"], cred.get("SessionToken"))
    SigV4Auth(creds, service, region).add_auth(req)
    return send(req.url, "POST", dict(req.headers.items()), data)


def send(url, method, headers, data):
    """Sends bytes as they are; returns (status, headers, body bytes) for any status."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


class MockTestCase(unittest.TestCase):
    """One mockaws per test with `mock_args` (override in a subclass), started the first time
    the test uses `self.mock`: tests that start their own pay for no other."""

    mock_args = ()
    _mock = None

    @property
    def mock(self):
        if self._mock is None:
            self._mock = MockAws(*self.mock_args).start()
        return self._mock

    def setUp(self):
        self._mock = None

    def tearDown(self):
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
