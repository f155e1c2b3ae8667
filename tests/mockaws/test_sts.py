# SPDX-License-Identifier: Apache-2.0
"""test_sts.py - mockaws's STS: GetCallerIdentity for users and role sessions; AssumeRole
allowed or refused by the caller's identity policy and by the role's trust policy, with
ExternalId, MFA and duration limits (role chaining included); AssumeRoleWithWebIdentity with
tokens from `mockaws token` (served unsigned) and each way a token is refused; the issued
credentials then used, and refused where the role's policy does not reach; expired session
credentials. boto3 and the aws CLI are the peers; raw requests are signed by botocore."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import unittest.mock
import xml.etree.ElementTree as ET

from mockenv import (ADMIN, DEFAULT_FIXTURE, MOCKAWS, STORE, MockAws, aws, isolated_env,
                     raw_json, raw_query)

ACCOUNT = "123456789012"
CI_ROLE = "arn:aws:iam::123456789012:role/ci-idcctl"
CI_SUBJECT = "repo:example/app:ref:refs/heads/main"
CI_AUDIENCE = "sts.amazonaws.com"
ISSUER = "https://token.actions.githubusercontent.com"
NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def role(name):
    return "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)


def user(name):
    return "arn:aws:iam::%s:user/%s" % (ACCOUNT, name)


def cred(key, name, statements, **extra):
    c = {"AccessKeyId": key, "SecretAccessKey": "secret/" + key + "/0123456789abcdef",
         "Arn": user(name), "Policy": {"Version": "2012-10-17", "Statement": statements}}
    c.update(extra)
    return c


ALLOW_ASSUME = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role("*")}
CALLER = cred("AKIASTSCALLEREXAMPLE", "sts-caller", [ALLOW_ASSUME])
NO_ASSUME = cred("AKIASTSNOASSUMEEXAMP", "no-assume",
                 [{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}])
UNTRUSTED = cred("AKIASTSUNTRUSTEDEXAM", "untrusted", [ALLOW_ASSUME])
EXPIRED = cred("ASIASTSEXPIREDEXAMPL", "expired-session",
               [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
               SessionToken="an-old-session-token", Expiration="2020-01-01T00:00:00Z")


def trust(principal, action="sts:AssumeRole", condition=None):
    st = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        st["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [st]}


def policy(actions, resource="*"):
    return [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resource}]}}]


EXTRA = {
    "Credentials": [CALLER, NO_ASSUME, UNTRUSTED, EXPIRED],
    "Iam": {"Roles": [
        {"RoleName": "deployer", "RoleId": "AROASTSDEPLOYEREXAMP", "MaxSessionDuration": 7200,
         "AssumeRolePolicyDocument": trust({"AWS": [user("sts-caller"), user("no-assume")]}),
         "InlinePolicies": policy(["identitystore:ListUsers", "identitystore:DescribeUser"]),
         "AttachedPolicies": [{"PolicyName": "chain", "PolicyArn": "arn:aws:iam::123456789012:policy/chain",
                               "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                                   {"Effect": "Allow", "Action": "sts:AssumeRole",
                                    "Resource": role("chained")}]}}]},
        {"RoleName": "partner", "RoleId": "AROASTSPARTNEREXAMPL", "Path": "/ext/",
         "AssumeRolePolicyDocument": trust({"AWS": ACCOUNT},
                                           condition={"StringEquals": {"sts:ExternalId": "xyz-123"}}),
         "InlinePolicies": policy("identitystore:ListUsers")},
        {"RoleName": "mfa-admin", "RoleId": "AROASTSMFAADMINEXAMP",
         "AssumeRolePolicyDocument": trust({"AWS": "arn:aws:iam::123456789012:root"},
                                           condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
         "InlinePolicies": policy("*")},
        {"RoleName": "chained", "RoleId": "AROASTSCHAINEDEXAMPL", "MaxSessionDuration": 43200,
         "AssumeRolePolicyDocument": trust({"AWS": role("deployer")}),
         "InlinePolicies": policy("identitystore:ListUsers")},
    ]},
}


def mint(*args, expect=0):
    p = subprocess.run([MOCKAWS, "token", "--fixtures", DEFAULT_FIXTURE] + list(args),
                       capture_output=True, text=True, timeout=30)
    if p.returncode != expect:
        raise AssertionError("mockaws token %s: %d %s" % (args, p.returncode, p.stderr))
    return p.stdout.strip()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(claims, key):
    head = b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + b64url(json.dumps(claims).encode())
    return head + "." + b64url(hmac.new(key.encode(), head.encode(), hashlib.sha256).digest())


def sts_query(mock, params, cred=ADMIN):
    p = {"Version": "2011-06-15"}
    p.update(params)
    return raw_query(mock, p, cred=cred, service="sts")


def xml_error(body):
    root = ET.fromstring(body)
    err = root.find(NS + "Error")
    return err.findtext(NS + "Code"), err.findtext(NS + "Message"), err.findtext(NS + "Type")


class Sts(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        try:
            import boto3  # noqa: F401
        except ImportError:
            raise unittest.SkipTest("boto3 is not installed")
        cls.dir = tempfile.mkdtemp(prefix="mockaws-sts-")
        cls.extra = os.path.join(cls.dir, "sts.json")
        with open(cls.extra, "w", encoding="utf-8") as f:
            json.dump(EXTRA, f)
        cls.mock = MockAws(fixtures=[DEFAULT_FIXTURE, cls.extra]).start()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        patcher = unittest.mock.patch.dict(os.environ, isolated_env(ADMIN), clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    def client(self, service, c=ADMIN):
        import boto3
        session = boto3.session.Session(aws_access_key_id=c["AccessKeyId"],
                                        aws_secret_access_key=c["SecretAccessKey"],
                                        aws_session_token=c.get("SessionToken"),
                                        region_name="us-east-1")
        return session.client(service, endpoint_url=self.mock.endpoint)

    def error(self, code, call, *args, status=None, message=None, **kwargs):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            call(*args, **kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        if message is not None:
            self.assertIn(message, err["Error"]["Message"])
        return err

    def assume(self, c, arn, **kwargs):
        return self.client("sts", c).assume_role(RoleArn=arn, RoleSessionName="s1", **kwargs)

    @staticmethod
    def session_cred(out):
        c = out["Credentials"]
        return {"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"],
                "SessionToken": c["SessionToken"]}

    def web_identity(self, token, arn=CI_ROLE, **kwargs):
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config
        sts = boto3.session.Session(region_name="us-east-1").client(
            "sts", endpoint_url=self.mock.endpoint, config=Config(signature_version=UNSIGNED))
        return sts.assume_role_with_web_identity(RoleArn=arn, RoleSessionName="ci-run",
                                                 WebIdentityToken=token, **kwargs)

    # ---- GetCallerIdentity ----------------------------------------------------------------

    def test_get_caller_identity_user(self):
        out = self.client("sts").get_caller_identity()
        self.assertEqual(out["Arn"], ADMIN["Arn"])
        self.assertEqual(out["Account"], ACCOUNT)
        self.assertTrue(out["UserId"].startswith("AIDA"), out)
        # the same through the aws CLI, and raw: no permission is needed for it
        _, stdout, _ = aws(self.mock, "sts", "get-caller-identity", cred=NO_ASSUME)
        self.assertEqual(json.loads(stdout)["Arn"], user("no-assume"))
        status, headers, body = sts_query(self.mock, {"Action": "GetCallerIdentity"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "text/xml")
        self.assertIn(b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
                      body)

    def test_signed_for_iam_is_refused(self):
        p = {"Version": "2011-06-15", "Action": "GetCallerIdentity"}
        status, _, body = raw_query(self.mock, p, service="iam")
        self.assertEqual(status, 403)
        self.assertEqual(xml_error(body)[:2], ("SignatureDoesNotMatch",
                                               "Credential should be scoped to correct service: 'sts'. "))

    def test_unknown_action(self):
        status, _, body = sts_query(self.mock, {"Action": "GetSessionToken"})
        self.assertEqual(status, 400)
        self.assertEqual(xml_error(body)[0], "InvalidAction")

    # ---- AssumeRole -----------------------------------------------------------------------

    def test_assume_role_and_use_the_session(self):
        out = self.assume(CALLER, role("deployer"))
        c = out["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"), c)
        left = (c["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(3500 < left <= 3600, left)
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::123456789012:assumed-role/deployer/s1")
        self.assertEqual(out["AssumedRoleUser"]["AssumedRoleId"], "AROASTSDEPLOYEREXAMP:s1")
        session = self.session_cred(out)
        me = self.client("sts", session).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:sts::123456789012:assumed-role/deployer/s1")
        self.assertEqual(me["UserId"], "AROASTSDEPLOYEREXAMP:s1")
        # the role's policy, not the caller's, authorizes what the session does
        ids = self.client("identitystore", session)
        self.assertEqual(len(ids.list_users(IdentityStoreId=STORE)["Users"]), 30)
        err = self.error("AccessDeniedException", ids.delete_user, IdentityStoreId=STORE,
                         UserId="906772231f-893dace0-24eb-414c-9384-f3075bfc27ca")
        self.assertIn("assumed-role/deployer/s1", err["Error"]["Message"])
        # the session token is required and checked
        bad = dict(session, SessionToken=None)
        self.error("InvalidClientTokenId", self.client("sts", bad).get_caller_identity, status=403)
        bad = dict(session, SessionToken=session["SessionToken"][:-1] + "x")
        self.error("UnrecognizedClientException",
                   self.client("identitystore", bad).list_users, IdentityStoreId=STORE)

    def test_assume_role_denied_by_identity_policy(self):
        self.error("AccessDenied", self.assume, NO_ASSUME, role("deployer"), status=403,
                   message="User: arn:aws:iam::123456789012:user/no-assume is not authorized to "
                           "perform: sts:AssumeRole on resource: " + role("deployer"))

    def test_assume_role_denied_by_trust(self):
        self.error("AccessDenied", self.assume, UNTRUSTED, role("deployer"), status=403,
                   message="User: arn:aws:iam::123456789012:user/untrusted is not authorized to "
                           "perform: sts:AssumeRole on resource: " + role("deployer"))
        # a role that does not exist is answered the same way
        self.error("AccessDenied", self.assume, CALLER, role("nobody"), status=403)
        # the CI role trusts only its web identity provider
        self.error("AccessDenied", self.assume, CALLER, CI_ROLE, status=403)

    def test_external_id(self):
        arn = "arn:aws:iam::123456789012:role/ext/partner"
        self.error("AccessDenied", self.assume, CALLER, arn)
        self.error("AccessDenied", self.assume, CALLER, arn, ExternalId="xyz-999")
        out = self.assume(CALLER, arn, ExternalId="xyz-123")
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::123456789012:assumed-role/partner/s1")

    def test_mfa(self):
        arn = role("mfa-admin")
        serial = "arn:aws:iam::123456789012:mfa/sts-caller"
        self.error("AccessDenied", self.assume, CALLER, arn)
        self.error("AccessDenied", self.assume, CALLER, arn, SerialNumber=serial,
                   TokenCode="000000", message="invalid MFA one time pass code")
        out = self.assume(CALLER, arn, SerialNumber=serial, TokenCode="123456")
        self.assertTrue(out["Credentials"]["AccessKeyId"].startswith("ASIA"))
        status, _, body = sts_query(self.mock, {"Action": "AssumeRole", "RoleArn": arn,
                                                "RoleSessionName": "s1", "SerialNumber": serial,
                                                "TokenCode": "12345"}, cred=CALLER)
        self.assertEqual(status, 400)
        self.assertEqual(xml_error(body)[0], "ValidationError")
        self.assertIn("at 'tokenCode' failed to satisfy constraint", xml_error(body)[1])

    def test_durations_and_chaining(self):
        out = self.assume(CALLER, role("deployer"), DurationSeconds=7200)
        left = (out["Credentials"]["Expiration"]
                - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(7100 < left <= 7200, left)
        self.error("ValidationError", self.assume, CALLER, role("deployer"),
                   DurationSeconds=10800, status=400, message="MaxSessionDuration")
        status, _, body = sts_query(self.mock, {"Action": "AssumeRole", "RoleArn": role("deployer"),
                                                "RoleSessionName": "s1", "DurationSeconds": "899"},
                                    cred=CALLER)
        self.assertEqual((status, xml_error(body)[0]), (400, "ValidationError"))
        session = self.session_cred(out)
        self.error("ValidationError", self.assume, session, role("chained"),
                   DurationSeconds=7200, message="role chaining")
        chained = self.assume(session, role("chained"))
        self.assertEqual(chained["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::123456789012:assumed-role/chained/s1")
        # the deployer session may not assume what its role's policy does not name
        self.error("AccessDenied", self.assume, session, role("mfa-admin"),
                   message="assumed-role/deployer/s1")

    def test_validation(self):
        status, _, body = sts_query(self.mock, {"Action": "AssumeRole", "RoleArn": role("deployer"),
                                                "RoleSessionName": "a b"}, cred=CALLER)
        self.assertEqual(status, 400)
        code, message, kind = xml_error(body)
        self.assertEqual((code, kind), ("ValidationError", "Sender"))
        self.assertIn("at 'roleSessionName' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern", message)
        status, _, body = sts_query(self.mock, {"Action": "AssumeRole",
                                                "RoleArn": role("deployer")}, cred=CALLER)
        self.assertIn("Value null at 'roleSessionName'", xml_error(body)[1])

    # ---- web identity ---------------------------------------------------------------------

    def test_web_identity(self):
        token = mint("--subject", CI_SUBJECT, "--audience", CI_AUDIENCE)
        out = self.web_identity(token)
        self.assertEqual(out["SubjectFromWebIdentityToken"], CI_SUBJECT)
        self.assertEqual(out["Audience"], CI_AUDIENCE)
        self.assertEqual(out["Provider"], ISSUER)
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::123456789012:assumed-role/ci-idcctl/ci-run")
        session = self.session_cred(out)
        ids = self.client("identitystore", session)
        pages = ids.get_paginator("list_users").paginate(IdentityStoreId=STORE)
        self.assertEqual(sum(len(p["Users"]) for p in pages), 30)
        # outside the role's policy: creating users, and IAM
        self.error("AccessDeniedException", ids.create_user, IdentityStoreId=STORE,
                   UserName="x", DisplayName="x", Name={"GivenName": "x", "FamilyName": "x"})
        self.error("AccessDenied", self.client("iam", session).list_users, status=403,
                   message="User: arn:aws:sts::123456789012:assumed-role/ci-idcctl/ci-run is not "
                           "authorized to perform: iam:ListUsers")

    def test_web_identity_with_the_cli(self):
        token = mint("--subject", CI_SUBJECT, "--audience", CI_AUDIENCE, "--issuer",
                     "token.actions.githubusercontent.com")
        _, stdout, _ = aws(self.mock, "sts", "assume-role-with-web-identity", "--role-arn", CI_ROLE,
                           "--role-session-name", "cli", "--web-identity-token", token)
        self.assertTrue(json.loads(stdout)["Credentials"]["AccessKeyId"].startswith("ASIA"))

    def test_web_identity_served_when_signed(self):
        token = mint("--subject", CI_SUBJECT, "--audience", CI_AUDIENCE)
        status, _, body = sts_query(self.mock, {"Action": "AssumeRoleWithWebIdentity",
                                                "RoleArn": CI_ROLE, "RoleSessionName": "signed",
                                                "WebIdentityToken": token}, cred=UNTRUSTED)
        self.assertEqual(status, 200, body)

    def test_web_identity_refused(self):
        wrong_aud = mint("--subject", CI_SUBJECT, "--audience", "someone-else")
        self.error("InvalidIdentityToken", self.web_identity, wrong_aud, status=400,
                   message="Incorrect token audience")
        wrong_sub = mint("--subject", "repo:example/app:ref:refs/heads/dev", "--audience",
                         CI_AUDIENCE)
        self.error("AccessDenied", self.web_identity, wrong_sub, status=403,
                   message="Not authorized to perform sts:AssumeRoleWithWebIdentity")
        expired = mint("--subject", CI_SUBJECT, "--audience", CI_AUDIENCE, "--expires", "-60")
        self.error("ExpiredTokenException", self.web_identity, expired, status=400)
        good = mint("--subject", CI_SUBJECT, "--audience", CI_AUDIENCE)
        head, claims, sig = good.split(".")
        forged = head + "." + b64url(json.dumps({
            "iss": ISSUER, "sub": CI_SUBJECT, "aud": CI_AUDIENCE, "exp": 4102444800}).encode())
        self.error("InvalidIdentityToken", self.web_identity, forged + "." + sig, status=400,
                   message="signature")
        unknown = hs256_token({"iss": "https://idp.example.com", "sub": CI_SUBJECT,
                               "aud": CI_AUDIENCE, "exp": 4102444800}, "any-key-at-all-0123")
        self.error("InvalidIdentityToken", self.web_identity, unknown, status=400,
                   message="No OpenIDConnect provider found in your account for "
                           "https://idp.example.com")
        self.error("InvalidIdentityToken", self.web_identity, "not.a-token", status=400)
        none_alg = b64url(b'{"alg":"none"}') + "." + claims + "."
        self.error("InvalidIdentityToken", self.web_identity, none_alg, status=400)
        # a user's trust does not reach the web identity role, and the duration is bounded
        self.error("ValidationError", self.web_identity, good, DurationSeconds=7200,
                   message="MaxSessionDuration")

    def test_token_command(self):
        mint("--subject", "s", "--audience", "a", "--issuer", "https://idp.example.com", expect=1)
        mint("--subject", "s", expect=2)
        token = mint("--subject", "s", "--audience", "a", "--expires", "120")
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        self.assertEqual((claims["iss"], claims["sub"], claims["aud"]), (ISSUER, "s", "a"))
        self.assertEqual(claims["exp"] - claims["iat"], 120)

    # ---- expired session credentials ------------------------------------------------------

    def test_expired_session_credentials(self):
        status, _, body = sts_query(self.mock, {"Action": "GetCallerIdentity"}, cred=EXPIRED)
        self.assertEqual(status, 400)
        self.assertEqual(xml_error(body)[:2], ("ExpiredToken",
                                               "The security token included in the request is expired"))
        status, headers, body = raw_json(self.mock, "ListUsers", {"IdentityStoreId": STORE},
                                         cred=EXPIRED)
        self.assertEqual(status, 400)
        self.assertEqual(headers["X-Amzn-ErrorType"], "ExpiredTokenException")
        self.error("ExpiredToken", self.client("iam", EXPIRED).list_users)


if __name__ == "__main__":
    unittest.main()
