# SPDX-License-Identifier: Apache-2.0
"""test_fixtures.py - loading fixtures (spec/mockaws/fixtures.md): every bad fixture stops
mockaws with exit status 1, no ready file, and one line naming the file, the JSON path and
the problem; a folder loads in name order and merges into one world; --synthetic-users needs
store d-1234567890; and the command line: --help lists every option, unknown options exit 2."""
import copy
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from mockenv import DEFAULT_FIXTURE, MOCKAWS, REPO, STORE, MockAws, raw_json, raw_query

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    BASE = json.load(_f)

OPTIONS = ["--fixtures", "--port", "--bind", "--ready-file", "--log", "--fixed-time",
           "--max-skew", "--synthetic-users", "--latency-ms", "--faults", "--seed",
           "--retry-after", "--slow-ms", "--threads", "--strict-iam-region", "--help"]


class Fixtures(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mockaws-fixtures-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.ready = os.path.join(self.dir, "ready")

    def write(self, name, doc=None, text=None):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text if text is not None else json.dumps(doc, ensure_ascii=False, indent=1))
        return path

    def run_mock(self, *args):
        return subprocess.run([MOCKAWS, "--port", "0", "--ready-file", self.ready] + list(args),
                              capture_output=True, text=True, timeout=20)

    def refused(self, doc=None, text=None, name="bad.json", extra=()):
        """Runs mockaws on one bad fixture; returns its single error line."""
        path = self.write(name, doc, text)
        p = self.run_mock("--fixtures", path, *extra)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertFalse(os.path.exists(self.ready), "a ready file despite the failure")
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("mockaws: " + path + ": "), lines[0])
        return lines[0][len("mockaws: " + path + ": "):]

    def assert_path_problem(self, message, json_path, *words):
        self.assertTrue(message.startswith(json_path), message)
        for w in words:
            self.assertIn(w, message)

    # ---- bad fixtures --------------------------------------------------------------------

    def test_invalid_json(self):
        text = '{"AccountId": "123456789012",\n "Credentials": [,]}'
        msg = self.refused(text=text)
        self.assertIn("JSON", msg)
        self.assertIn("byte", msg)
        offset = int(re.search(r"byte (\d+)", msg).group(1))
        self.assertTrue(text.index("[,") <= offset <= text.index("[,") + 2, msg)

    def test_unknown_member(self):
        doc = copy.deepcopy(BASE)
        doc["IdentityStores"][0]["Users"][3]["UserNmae"] = "typo"
        self.assert_path_problem(self.refused(doc), "$.IdentityStores[0].Users[3]", "unknown member",
                                 "UserNmae")
        doc = copy.deepcopy(BASE)
        doc["Iam"]["Users"][1]["AccessKey"] = []
        self.assert_path_problem(self.refused(doc), "$.Iam.Users[1]", "AccessKey")
        doc = copy.deepcopy(BASE)
        doc["Colour"] = "blue"
        self.assert_path_problem(self.refused(doc), "$", "Colour")

    def test_user_status_active(self):
        doc = copy.deepcopy(BASE)
        doc["IdentityStores"][0]["Users"][3]["UserStatus"] = "ACTIVE"
        msg = self.refused(doc, name="default.json")
        # the example line of fixtures.md, word for word
        self.assertEqual(msg, '$.IdentityStores[0].Users[3].UserStatus: expected "ENABLED" or '
                              '"DISABLED", got "ACTIVE"')

    def test_duplicate_user_id(self):
        doc = copy.deepcopy(BASE)
        users = doc["IdentityStores"][0]["Users"]
        users[5]["UserId"] = users[2]["UserId"]
        self.assert_path_problem(self.refused(doc), "$.IdentityStores[0].Users[5]",
                                 users[2]["UserId"])

    def test_membership_of_missing_user(self):
        doc = copy.deepcopy(BASE)
        doc["IdentityStores"][0]["GroupMemberships"][4]["MemberId"]["UserId"] = \
            "9067720000-00000000-0000-4000-8000-000000000000"
        self.assert_path_problem(self.refused(doc), "$.IdentityStores[0].GroupMemberships[4]",
                                 "UserId")

    def test_policy_members_not_supported(self):
        for member, value in (("Condition", {"Bool": {"aws:SecureTransport": "true"}}),
                              ("NotResource", "arn:aws:iam::123456789012:user/alice"),
                              ("Principal", "*")):
            with self.subTest(member=member):
                doc = copy.deepcopy(BASE)
                doc["Credentials"][1]["Policy"]["Statement"][0][member] = value
                self.assert_path_problem(self.refused(doc), "$.Credentials[1].Policy.Statement[0]",
                                         member, "not supported")

    def test_policy_effect_maybe(self):
        doc = copy.deepcopy(BASE)
        doc["Credentials"][2]["Policy"]["Statement"][0]["Effect"] = "Maybe"
        self.assert_path_problem(self.refused(doc), "$.Credentials[2].Policy.Statement[0]",
                                 "Effect", "Maybe")

    def test_credential_without_policy(self):
        doc = copy.deepcopy(BASE)
        del doc["Credentials"][3]["Policy"]
        self.assert_path_problem(self.refused(doc), "$.Credentials[3]", "Policy")

    def test_policy_without_action(self):
        doc = copy.deepcopy(BASE)
        st = doc["Credentials"][0]["Policy"]["Statement"][0]
        st["NotAction"] = st["Action"]
        self.assert_path_problem(self.refused(doc), "$.Credentials[0].Policy.Statement[0]", "Action")

    def test_every_message_names_the_members_path(self):
        # "FILE: $...Member: problem" (fixtures.md), whichever loader refuses the member
        def cred(**kw):
            doc = copy.deepcopy(BASE)
            doc["Credentials"][0].update(kw)
            return doc

        def store_user(**kw):
            doc = copy.deepcopy(BASE)
            doc["IdentityStores"][0]["Users"][0].update(kw)
            return doc

        long_secret = "s" * 129
        action = copy.deepcopy(BASE)
        action["Credentials"][0]["Policy"]["Statement"][0]["Action"] = ["iam:GetUser", ""]
        no_resource = copy.deepcopy(BASE)
        del no_resource["Credentials"][0]["Policy"]["Statement"][0]["Resource"]
        iam_date = copy.deepcopy(BASE)
        iam_date["Iam"]["Users"][0]["CreateDate"] = "last tuesday"
        iam_keys = copy.deepcopy(BASE)
        iam_keys["Iam"]["Users"][0]["AccessKeys"] = {}
        member = copy.deepcopy(BASE)
        member["IdentityStores"][0]["GroupMemberships"][4]["MemberId"]["UserId"] = \
            "9067720000-00000000-0000-4000-8000-000000000000"
        group = copy.deepcopy(BASE)
        groups = group["IdentityStores"][0]["Groups"]
        groups[1]["DisplayName"] = groups[0]["DisplayName"]
        cases = (
            (cred(AccessKeyId=7), "$.Credentials[0].AccessKeyId: expected a string"),
            (cred(AccessKeyId=""), "$.Credentials[0].AccessKeyId: expected 1 to 128 bytes, got 0"),
            (cred(SecretAccessKey=long_secret),
             "$.Credentials[0].SecretAccessKey: expected 1 to 128 bytes, got 129"),
            (cred(Arn="user/alice"), '$.Credentials[0].Arn: expected an ARN'),
            (action, "$.Credentials[0].Policy.Statement[0].Action[1]: expected a non-empty string"),
            (no_resource, "$.Credentials[0].Policy.Statement[0].Resource: missing required member"),
            (store_user(Emails=[{"Value": "a@example.com", "Primary": "yes"}]),
             "$.IdentityStores[0].Users[0].Emails[0].Primary: expected true or false"),
            (store_user(UserStatus="ACTIVE"), "$.IdentityStores[0].Users[0].UserStatus: expected"),
            (member, "$.IdentityStores[0].GroupMemberships[4].MemberId.UserId: "
                     "9067720000-00000000-0000-4000-8000-000000000000 is not a user of store"),
            (group, "$.IdentityStores[0].Groups[1].DisplayName: %s is already in store"
                    % groups[0]["DisplayName"]),
            (iam_date, "$.Iam.Users[0].CreateDate: expected an ISO 8601 UTC time"),
            (iam_keys, "$.Iam.Users[0].AccessKeys: expected an array"),
        )
        for doc, start in cases:
            with self.subTest(start=start):
                msg = self.refused(doc)
                self.assertTrue(msg.startswith(start), msg)
                self.assertNotIn(long_secret, msg)
                for c in BASE["Credentials"]:
                    self.assertNotIn(c["SecretAccessKey"], msg)

    def test_two_files_with_different_account_ids(self):
        other = self.write("other.json", {"AccountId": "210987654321"})
        p = self.run_mock("--fixtures", other, "--fixtures", DEFAULT_FIXTURE)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertFalse(os.path.exists(self.ready))
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(DEFAULT_FIXTURE + ": $.AccountId", lines[0])
        self.assertIn("210987654321", lines[0])
        self.assertIn("123456789012", lines[0])

    def test_missing_file(self):
        missing = os.path.join(self.dir, "nope.json")
        p = self.run_mock("--fixtures", missing)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(missing, p.stderr)
        self.assertFalse(os.path.exists(self.ready))

    # ---- folders -------------------------------------------------------------------------

    def test_folder_loads_in_name_order(self):
        folder = os.path.join(self.dir, "world")
        # written in the opposite order; the error must name the later file by name
        self.write("world/20-second.json", {"AccountId": "222222222222"})
        self.write("world/10-first.json", {"AccountId": "111111111111"})
        self.write("world/README.txt", text="not a fixture: ignored")
        p = self.run_mock("--fixtures", folder)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("20-second.json: $.AccountId", p.stderr)
        self.assertIn("111111111111", p.stderr)

    def test_folder_merges_into_one_world(self):
        folder = os.path.join(self.dir, "world")
        shutil.copy(DEFAULT_FIXTURE, os.path.join(self.dir, "world-default.json"))
        os.makedirs(folder)
        shutil.copy(DEFAULT_FIXTURE, os.path.join(folder, "00-default.json"))
        key = {"AccessKeyId": "AKIAEXTRAFIXTURE0001",
               "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXTRAKEY01",
               "Arn": "arn:aws:iam::123456789012:user/extra",
               "Policy": {"Version": "2012-10-17",
                          "Statement": {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}}}
        extra = {"Credentials": [key],
                 "Iam": {"Users": [{"UserName": "extra", "UserId": "AIDAEXTRAEXTRAEXTRA01",
                                    "CreateDate": "2026-01-01T00:00:00Z"}]}}
        self.write("world/50-extra.json", extra)
        with MockAws(fixtures=[folder]) as m:
            status, _, data = raw_query(m, {"Action": "GetUser"}, cred=key)
            self.assertEqual(status, 200, data)
            self.assertIn(b"<UserName>extra</UserName>", data)
            status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE}, cred=key)
            self.assertEqual(json.loads(data)["__type"], "AccessDeniedException")
            status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": STORE})
            self.assertEqual(len(json.loads(data)["Users"]), 30)

    def test_duplicate_access_key_across_files(self):
        dup = {"Credentials": [dict(BASE["Credentials"][0], Arn="arn:aws:iam::123456789012:user/x")]}
        second = self.write("second.json", dup)
        p = self.run_mock("--fixtures", DEFAULT_FIXTURE, "--fixtures", second)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(second + ": $.Credentials[0]", p.stderr)
        self.assertIn("AKIAIOSFODNN7EXAMPLE", p.stderr)
        for c in BASE["Credentials"]:
            self.assertFalse(c["SecretAccessKey"] in p.stderr, "a secret in the message")

    # ---- synthetic users -----------------------------------------------------------------

    def test_synthetic_users_need_the_store(self):
        doc = copy.deepcopy(BASE)
        doc["IdentityStores"] = [s for s in doc["IdentityStores"] if s["IdentityStoreId"] != STORE]
        path = self.write("no-store-1.json", doc)
        p = self.run_mock("--fixtures", path, "--synthetic-users", "5")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertFalse(os.path.exists(self.ready))
        self.assertIn("--synthetic-users", p.stderr)
        self.assertIn(STORE, p.stderr)
        # and without --synthetic-users the same fixture is fine
        with MockAws(fixtures=[path]) as m:
            status, _, data = raw_json(m, "ListUsers", {"IdentityStoreId": "d-9876543210"},
                                       region="eu-west-1")
            self.assertEqual(status, 200, data)

    # ---- the command line ----------------------------------------------------------------

    def test_help_lists_every_option(self):
        for flag in ("--help", "-h"):
            p = subprocess.run([MOCKAWS, flag], capture_output=True, text=True, timeout=20)
            self.assertEqual(p.returncode, 0, p.stderr)
            for opt in OPTIONS:
                self.assertRegex(p.stdout, r"(^|\s)" + re.escape(opt) + r"\b", opt)
        # and every mockaws option its specs mention (tls-front.md is about the wrapper)
        spec_dir = os.path.join(REPO, "spec", "mockaws")
        for name in ("README.md", "operations.md", "fixtures.md"):
            if not os.path.exists(os.path.join(spec_dir, name)):
                continue
            with open(os.path.join(spec_dir, name), encoding="utf-8") as f:
                for opt in set(re.findall(r"`(--[a-z][a-z-]+)", f.read())):
                    self.assertIn(opt, p.stdout, "%s (from %s)" % (opt, name))

    def test_ready_file_cannot_be_written(self):
        # the server is already listening then: it must stop, and mockaws exit 1 promptly
        ready = os.path.join(self.dir, "no-such-folder", "ready")
        p = subprocess.run([MOCKAWS, "--port", "0", "--ready-file", ready,
                            "--fixtures", DEFAULT_FIXTURE], capture_output=True, text=True,
                           timeout=20)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("ready file " + ready, p.stderr)
        self.assertNotIn("listening on", p.stderr)
        self.assertFalse(os.path.exists(ready))

    def test_unknown_option(self):
        for args in (["--fixtures", DEFAULT_FIXTURE, "--no-such-option"],
                     ["--fixtures", DEFAULT_FIXTURE, "stray-argument"],
                     ["--fixtures", DEFAULT_FIXTURE, "--port", "70000"],
                     ["--fixtures", DEFAULT_FIXTURE, "--fixed-time", "yesterday"],
                     ["--fixtures", DEFAULT_FIXTURE, "--threads", "0"],
                     ["--port", "0"]):
            with self.subTest(args=args):
                p = self.run_mock(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("mockaws: ", p.stderr)
                self.assertFalse(os.path.exists(self.ready))


if __name__ == "__main__":
    unittest.main()
