# SPDX-License-Identifier: Apache-2.0
"""test_peers_cli.py - the real aws CLI (whatever `aws` is on PATH: aws-cli 1.x, or Debian's
awscli 2.9) against mockaws: Identity Store list (paginated), describe, get-user-id and
delete; IAM list (paginated), get-user for the caller, and delete-user of alice with the
whole cascade run through the CLI; and the error codes the CLI prints for a wrong secret,
a date far from the mock's clock and a denied action. UserStatus is checked with raw_json,
because awscli 2.9's model predates it. About 30 CLI invocations in all (~1 s each)."""
import json
import shutil
import unittest

from mockenv import ADMIN, CREDS, DEFAULT_FIXTURE, STORE, MockAws, MockTestCase, aws, raw_json

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    WORLD = json.load(_f)
ALICE = next(u for u in WORLD["Iam"]["Users"] if u["UserName"] == "alice")
TARO = "906772231f-893dace0-24eb-414c-9384-f3075bfc27ca"
VENDOR = CREDS["AKIAVENDORGUIDEPOL01"]


class PeersCli(MockTestCase):

    def setUp(self):
        if shutil.which("aws") is None:
            self.skipTest("the aws CLI is not installed")
        super().setUp()

    def cli(self, *args):
        """Runs the CLI; it must succeed; returns its JSON output."""
        _, out, _ = aws(self.mock, *args)
        return json.loads(out)

    def cli_error(self, *args, code, mock=None, cred=ADMIN):
        rc, out, err = aws(mock or self.mock, *args, cred=cred, check=False)
        self.assertNotEqual(rc, 0, out)
        self.assertIn("(%s)" % code, err)
        for c in CREDS.values():
            self.assertFalse(c["SecretAccessKey"] in err, "a secret in the CLI output")
        return err

    def operations(self, mock=None):
        return [(e["operation"], e["status"]) for e in (mock or self.mock).wait_log(1)]

    # ---- Identity Store ------------------------------------------------------------------

    def test_identitystore(self):
        # --page-size makes the CLI page with MaxResults 5 (an explicit --max-results would
        # switch the CLI's own pagination off)
        out = self.cli("identitystore", "list-users", "--identity-store-id", STORE, "--page-size", "5")
        users = out["Users"]
        self.assertEqual(len(users), 30)
        self.assertEqual(len({u["UserId"] for u in users}), 30)
        self.assertNotIn("NextToken", out)
        self.assertEqual(self.operations().count(("ListUsers", 200)), 6)

        user = self.cli("identitystore", "describe-user", "--identity-store-id", STORE, "--user-id", TARO)
        self.assertEqual(user["UserName"], "taro.yamada")
        self.assertEqual(user["DisplayName"], "山田 太郎")
        self.assertEqual(user["Emails"][0]["Value"], "taro.yamada@example.com")
        status, _, data = raw_json(self.mock, "DescribeUser", {"IdentityStoreId": STORE, "UserId": TARO})
        self.assertEqual(json.loads(data)["UserStatus"], "ENABLED")

        got = self.cli("identitystore", "get-user-id", "--identity-store-id", STORE,
                       "--alternate-identifier",
                       json.dumps({"UniqueAttribute": {"AttributePath": "userName",
                                                       "AttributeValue": "taro.yamada"}}))
        self.assertEqual(got["UserId"], TARO)

        rc, out, err = aws(self.mock, "identitystore", "delete-user", "--identity-store-id", STORE,
                           "--user-id", TARO)
        self.assertEqual(rc, 0, err)
        err = self.cli_error("identitystore", "describe-user", "--identity-store-id", STORE,
                             "--user-id", TARO, code="ResourceNotFoundException")
        self.assertIn("DescribeUser", err)

    # ---- IAM -----------------------------------------------------------------------------

    def test_iam_list_and_get(self):
        out = self.cli("iam", "list-users", "--page-size", "3")
        self.assertEqual(sorted(u["UserName"] for u in out["Users"]),
                         sorted(u["UserName"] for u in WORLD["Iam"]["Users"]))
        self.assertEqual(self.operations().count(("ListUsers", 200)), 4)
        me = self.cli("iam", "get-user")["User"]
        self.assertEqual(me["UserName"], "idc-integration")
        self.assertEqual(me["Arn"], ADMIN["Arn"])

    def test_iam_delete_user_cascade(self):
        err = self.cli_error("iam", "delete-user", "--user-name", "alice", code="DeleteConflict")
        self.assertIn("must delete login profile first", err)
        steps = [["delete-login-profile", "--user-name", "alice"]]
        steps += [["delete-access-key", "--user-name", "alice", "--access-key-id", k["AccessKeyId"]]
                  for k in ALICE["AccessKeys"]]
        steps += [["delete-signing-certificate", "--user-name", "alice", "--certificate-id",
                   ALICE["SigningCertificates"][0]["CertificateId"]],
                  ["delete-ssh-public-key", "--user-name", "alice", "--ssh-public-key-id",
                   ALICE["SSHPublicKeys"][0]["SSHPublicKeyId"]],
                  ["delete-service-specific-credential", "--user-name", "alice",
                   "--service-specific-credential-id",
                   ALICE["ServiceSpecificCredentials"][0]["ServiceSpecificCredentialId"]],
                  ["deactivate-mfa-device", "--user-name", "alice", "--serial-number",
                   ALICE["MFADevices"][0]["SerialNumber"]],
                  ["delete-virtual-mfa-device", "--serial-number", ALICE["MFADevices"][0]["SerialNumber"]],
                  ["delete-user-policy", "--user-name", "alice", "--policy-name",
                   ALICE["InlinePolicies"][0]["PolicyName"]],
                  ["detach-user-policy", "--user-name", "alice", "--policy-arn",
                   ALICE["AttachedPolicies"][0]["PolicyArn"]]]
        steps += [["remove-user-from-group", "--user-name", "alice", "--group-name", g]
                  for g in ALICE["Groups"]]
        for step in steps:
            rc, out, err = aws(self.mock, "iam", *step)
            self.assertEqual(rc, 0, err)
        rc, out, err = aws(self.mock, "iam", "delete-user", "--user-name", "alice")
        self.assertEqual(rc, 0, err)
        self.cli_error("iam", "get-user", "--user-name", "alice", code="NoSuchEntity")
        self.assertEqual(self.operations()[-2], ("DeleteUser", 200))

    # ---- errors --------------------------------------------------------------------------

    def test_wrong_secret(self):
        wrong = dict(ADMIN, SecretAccessKey=ADMIN["SecretAccessKey"][::-1])
        self.cli_error("identitystore", "list-users", "--identity-store-id", STORE,
                       code="InvalidSignatureException", cred=wrong)
        self.cli_error("iam", "list-users", code="SignatureDoesNotMatch", cred=wrong)

    def test_date_far_from_the_mock_clock(self):
        with MockAws("--fixed-time", "20200101T000000Z") as old:
            err = self.cli_error("identitystore", "list-users", "--identity-store-id", STORE,
                                 code="InvalidSignatureException", mock=old)
            self.assertIn("Signature", err)
            self.cli_error("iam", "get-user", code="SignatureDoesNotMatch", mock=old)

    def test_denied_action(self):
        err = self.cli_error("identitystore", "list-users", "--identity-store-id", STORE,
                             code="AccessDeniedException", cred=VENDOR)
        self.assertIn("arn:aws:iam::123456789012:user/vendor-guide", err)
        self.assertIn("identitystore:ListUsers", err)
        err = self.cli_error("iam", "delete-access-key", "--user-name", "carol", "--access-key-id",
                             "AKIAJYJKKIBAOJ5N7ETV", code="AccessDenied", cred=VENDOR)
        self.assertIn("iam:DeleteAccessKey", err)


if __name__ == "__main__":
    unittest.main()
