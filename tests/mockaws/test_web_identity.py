# SPDX-License-Identifier: Apache-2.0
"""test_web_identity.py - idcctl in a CI job that holds no key at all: only AWS_ROLE_ARN
and an OIDC token file, as GitHub Actions and GitLab give a job. The real idcctl resolves
the web identity, calls STS AssumeRoleWithWebIdentity on mockaws (unsigned), and signs with
the temporary credentials it got, which mockaws authorises by the role's policy: it lists
users live, adds an integration that keeps no key, syncs, deletes a user. The token file is
read again at each use (CI platforms rotate it), and each refusal (wrong audience, wrong
subject, expired token, no role) is one clear line naming the role, never the token."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from mockenv import DEFAULT_FIXTURE, IDCCTL, MOCKAWS, MockTestCase, isolated_env

ROLE = "arn:aws:iam::123456789012:role/ci-idcctl"
SUBJECT = "repo:example/app:ref:refs/heads/main"
AUDIENCE = "sts.amazonaws.com"
STORE = "d-1234567890"


def mint(*args):
    p = subprocess.run([MOCKAWS, "token", "--fixtures", DEFAULT_FIXTURE] + list(args),
                       capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError("mockaws token %s: %s" % (args, p.stderr))
    return p.stdout.strip()


class WebIdentity(MockTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="idcctl-ci-")
        self.token_file = os.path.join(self.tmp, "token")
        self.write_token(mint("--subject", SUBJECT, "--audience", AUDIENCE))
        env = isolated_env(home=self.tmp)
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        env.update({
            "IDC_HOME": os.path.join(self.tmp, "state"),
            "AWS_ROLE_ARN": ROLE,
            "AWS_WEB_IDENTITY_TOKEN_FILE": self.token_file,
            "AWS_ROLE_SESSION_NAME": "ci-job-1",
            "AWS_ENDPOINT_URL_STS": self.mock.endpoint,
        })
        self.env = env

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        super().tearDown()

    def write_token(self, token):
        with open(self.token_file, "w", encoding="ascii") as f:
            f.write(token)

    def idc(self, *args, expect=0):
        p = subprocess.run([IDCCTL] + list(args), env=self.env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=60)
        if expect is not None:
            self.assertEqual(p.returncode, expect, "idcctl %s: %s%s" % (args, p.stdout, p.stderr))
        return p

    def live(self, expect=0):
        return self.idc("users", "--live", "--region", "us-east-1", "--identity-store-id", STORE,
                        "--endpoint-url", self.mock.endpoint, "--output", "json", expect=expect)

    def sts_calls(self):
        return [e for e in self.mock.wait_log(1) if e["operation"] == "AssumeRoleWithWebIdentity"]

    def test_lists_syncs_and_deletes_with_only_a_token(self):
        users = json.loads(self.live().stdout)["Users"]
        self.assertEqual(len(users), 30)
        self.assertEqual(len(self.sts_calls()), 1)  # one role session for the whole listing
        # an integration that keeps no key: the chain is resolved again at each use
        self.idc("integration", "add", "--label", "ci", "--region", "us-east-1",
                 "--identity-store-id", STORE, "--endpoint-url", self.mock.endpoint)
        listed = json.loads(self.idc("integration", "list", "--output", "json").stdout)
        self.assertEqual([i["Label"] for i in listed["Integrations"]], ["ci"])
        with open(os.path.join(self.tmp, "state", "inventory.db"), "rb") as f:
            self.assertNotIn(b"ASIA", f.read())  # no temporary key was saved
        self.idc("sync", "--label", "ci", "--no-progress")
        synced = json.loads(self.idc("users", "--label", "ci", "--output", "json").stdout)
        victim = next(u for u in synced["Users"] if u["UserStatus"] == "DISABLED")
        self.idc("users", "delete", "--label", "ci", "--user-id", victim["UserId"], "--yes")
        self.idc("sync", "--label", "ci", "--no-progress")
        after = json.loads(self.idc("users", "--label", "ci", "--output", "json").stdout)
        self.assertEqual(len(after["Users"]), 29)

    def test_token_file_read_at_each_use(self):
        self.live()
        self.write_token(mint("--subject", SUBJECT, "--audience", "someone-else"))
        p = self.live(expect=None)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("assuming role " + ROLE + " with the web identity token", p.stderr)

    def test_refusals_are_one_clear_line(self):
        cases = [
            (("--subject", SUBJECT, "--audience", "other"), "InvalidIdentityToken"),
            (("--subject", "repo:evil/fork:ref:refs/heads/main", "--audience", AUDIENCE),
             "AccessDenied"),
            (("--subject", SUBJECT, "--audience", AUDIENCE, "--expires", "-60"),
             "ExpiredToken"),
        ]
        for args, code in cases:
            with self.subTest(code=code):
                token = mint(*args)
                self.write_token(token)
                p = self.live(expect=None)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(code, p.stderr)
                self.assertIn(ROLE, p.stderr)
                self.assertIn("hint: ", p.stderr)
                self.assertNotIn(token, p.stderr + p.stdout)
                self.assertEqual(len([line for line in p.stderr.splitlines()
                                      if line.startswith("idcctl:")]), 1, p.stderr)
                self.assertEqual(p.returncode, 4 if code == "AccessDenied" else 1)
        del self.env["AWS_ROLE_ARN"]
        p = self.live(expect=None)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("no role is: set AWS_ROLE_ARN", p.stderr)
        self.env["AWS_ROLE_ARN"] = ROLE
        os.remove(self.token_file)
        p = self.live(expect=None)
        self.assertIn("cannot read the web identity token file " + self.token_file, p.stderr)


if __name__ == "__main__":
    unittest.main()
