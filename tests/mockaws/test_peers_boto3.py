# SPDX-License-Identifier: Apache-2.0
"""test_peers_boto3.py - boto3 clients with endpoint_url against mockaws, in an environment
without any user configuration: Identity Store paginators, describe, get_user_id and
delete; IAM paginators, get_user and the DeleteUser cascade driven by the List* calls;
ClientError codes for the error cases; and boto3's own retries (default configuration)
getting through --faults throttle=0.5."""
import json
import os
import unittest
import unittest.mock

from mockenv import (ADMIN, CREDS, DEFAULT_FIXTURE, STORE, STORE2, MockAws, MockTestCase,
                     isolated_env, raw_json)

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    WORLD = json.load(_f)
TARO = "906772231f-893dace0-24eb-414c-9384-f3075bfc27ca"
JOSE = "9067725027-f28f7042-7cd4-46f8-a7e9-dd0a3cc73a9c"


class PeersBoto3(MockTestCase):

    def setUp(self):
        try:
            import boto3  # noqa: F401
        except ImportError:
            self.skipTest("boto3 is not installed")
        super().setUp()
        # no ~/.aws, no AWS_* from the caller: boto3 as on a clean machine
        patcher = unittest.mock.patch.dict(os.environ, isolated_env(ADMIN), clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    def client(self, service, cred=ADMIN, region="us-east-1", mock=None):
        import boto3
        session = boto3.session.Session(aws_access_key_id=cred["AccessKeyId"],
                                        aws_secret_access_key=cred["SecretAccessKey"],
                                        aws_session_token=cred.get("SessionToken"),
                                        region_name=region)
        return session.client(service, endpoint_url=(mock or self.mock).endpoint)

    def assert_client_error(self, code, call, *args, status=None, **kwargs):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            call(*args, **kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertTrue(err["ResponseMetadata"].get("RequestId"))
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        for c in CREDS.values():
            self.assertFalse(c["SecretAccessKey"] in str(cm.exception), "a secret in the error")
        return cm.exception

    # ---- Identity Store ------------------------------------------------------------------

    def test_identitystore(self):
        ids = self.client("identitystore")
        pages = list(ids.get_paginator("list_users").paginate(
            IdentityStoreId=STORE, PaginationConfig={"PageSize": 7}))
        self.assertEqual(len(pages), 5)
        users = [u for p in pages for u in p["Users"]]
        self.assertEqual(len(users), 30)
        self.assertEqual(len({u["UserId"] for u in users}), 30)

        user = ids.describe_user(IdentityStoreId=STORE, UserId=TARO)
        self.assertEqual(user["UserName"], "taro.yamada")
        self.assertEqual(user["Name"]["FamilyName"], "山田")
        if "UserStatus" in ids.meta.service_model.shape_for("DescribeUserResponse").members:
            self.assertEqual(user["UserStatus"], "ENABLED")
            self.assertEqual(user["CreatedAt"].year, 2024)  # parsed from epoch seconds
        else:  # an older botocore (Debian's) drops the member: check the wire
            self.assertEqual(json.loads(raw_json(self.mock, "DescribeUser", {
                "IdentityStoreId": STORE, "UserId": TARO})[2])["UserStatus"], "ENABLED")

        got = ids.get_user_id(IdentityStoreId=STORE, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "emails.value", "AttributeValue": "taro.yamada@example.com"}})
        self.assertEqual(got["UserId"], TARO)
        got = ids.get_user_id(IdentityStoreId=STORE, AlternateIdentifier={
            "ExternalId": {"Issuer": "https://scim.example-idp.com/", "Id": "00ugbcdry4d4ph2zg5lr"}})
        self.assertEqual(got["UserId"], JOSE)

        memberships = [m for p in ids.get_paginator("list_group_memberships_for_member").paginate(
            IdentityStoreId=STORE, MemberId={"UserId": JOSE}, PaginationConfig={"PageSize": 1})
            for m in p["GroupMemberships"]]
        self.assertEqual(len(memberships), 2)
        ids.delete_user(IdentityStoreId=STORE, UserId=JOSE)
        err = self.assert_client_error("ResourceNotFoundException", ids.describe_user,
                                       IdentityStoreId=STORE, UserId=JOSE)
        self.assertEqual(err.response.get("ResourceType"), "USER")
        self.assert_client_error("ResourceNotFoundException", ids.delete_user,
                                 IdentityStoreId=STORE, UserId=JOSE)
        groups = [g for p in ids.get_paginator("list_groups").paginate(
            IdentityStoreId=STORE, PaginationConfig={"PageSize": 2}) for g in p["Groups"]]
        self.assertEqual(len(groups), 5)

    def test_identitystore_regions(self):
        eu = self.client("identitystore", region="eu-west-1")
        self.assertEqual(len(eu.list_users(IdentityStoreId=STORE2)["Users"]), 8)
        err = self.assert_client_error("ResourceNotFoundException", eu.list_users,
                                       IdentityStoreId=STORE)
        self.assertEqual(err.response.get("ResourceType"), "IDENTITY_STORE")

    def test_identitystore_create_user(self):
        ids = self.client("identitystore")
        created = ids.create_user(IdentityStoreId=STORE, UserName="boto.user", DisplayName="Boto User",
                                  Name={"GivenName": "Boto", "FamilyName": "User"})
        user = ids.describe_user(IdentityStoreId=STORE, UserId=created["UserId"])
        self.assertEqual(user["DisplayName"], "Boto User")
        err = self.assert_client_error("ConflictException", ids.create_user, IdentityStoreId=STORE,
                                       UserName="boto.user", DisplayName="Again",
                                       Name={"GivenName": "A", "FamilyName": "B"})
        self.assertEqual(err.response.get("Reason"), "UNIQUENESS_CONSTRAINT_VIOLATION")

    # ---- IAM -----------------------------------------------------------------------------

    def test_iam_list_and_get(self):
        iam = self.client("iam")
        pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3}))
        self.assertEqual(len(pages), 4)
        names = [u["UserName"] for p in pages for u in p["Users"]]
        self.assertEqual(sorted(names), sorted(u["UserName"] for u in WORLD["Iam"]["Users"]))
        me = iam.get_user()["User"]
        self.assertEqual(me["UserName"], "idc-integration")
        self.assertEqual(me["Path"], "/service/")
        self.assertEqual(me["Arn"], ADMIN["Arn"])
        self.assertEqual(me["CreateDate"].year, 2024)
        self.assertEqual(iam.get_user(UserName="j.doe+ops=1,dev@example-corp")["User"]["UserId"],
                         "AIDAUJJZ6XTYWMMZVNEAS")
        self.assert_client_error("NoSuchEntity", iam.get_user, UserName="nobody", status=404)

    def test_iam_delete_cascade(self):
        iam = self.client("iam")
        name = "alice"
        err = self.assert_client_error("DeleteConflict", iam.delete_user, UserName=name, status=409)
        self.assertIn("login profile", str(err))
        iam.get_login_profile(UserName=name)
        iam.delete_login_profile(UserName=name)
        for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
            iam.delete_access_key(UserName=name, AccessKeyId=k["AccessKeyId"])
        for c in iam.list_signing_certificates(UserName=name)["Certificates"]:
            iam.delete_signing_certificate(UserName=name, CertificateId=c["CertificateId"])
        for k in iam.list_ssh_public_keys(UserName=name)["SSHPublicKeys"]:
            iam.delete_ssh_public_key(UserName=name, SSHPublicKeyId=k["SSHPublicKeyId"])
        for c in iam.list_service_specific_credentials(UserName=name)["ServiceSpecificCredentials"]:
            iam.delete_service_specific_credential(
                UserName=name, ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"])
        for d in iam.list_mfa_devices(UserName=name)["MFADevices"]:
            iam.deactivate_mfa_device(UserName=name, SerialNumber=d["SerialNumber"])
            if d["SerialNumber"].startswith("arn:"):
                iam.delete_virtual_mfa_device(SerialNumber=d["SerialNumber"])
        for p in iam.list_user_policies(UserName=name)["PolicyNames"]:
            iam.delete_user_policy(UserName=name, PolicyName=p)
        for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]:
            iam.detach_user_policy(UserName=name, PolicyArn=p["PolicyArn"])
        groups = iam.list_groups_for_user(UserName=name)["Groups"]
        self.assertEqual(sorted(g["GroupName"] for g in groups), ["Admins", "Developers"])
        for g in groups:
            iam.remove_user_from_group(UserName=name, GroupName=g["GroupName"])
        iam.delete_user(UserName=name)
        self.assert_client_error("NoSuchEntity", iam.get_user, UserName=name)
        self.assert_client_error("NoSuchEntity", iam.get_login_profile, UserName=name)

    # ---- errors --------------------------------------------------------------------------

    def test_errors(self):
        wrong = dict(ADMIN, SecretAccessKey=ADMIN["SecretAccessKey"][::-1])
        self.assert_client_error("InvalidSignatureException", self.client("identitystore", wrong).list_users,
                                 IdentityStoreId=STORE)
        self.assert_client_error("SignatureDoesNotMatch", self.client("iam", wrong).list_users,
                                 status=403)
        stranger = {"AccessKeyId": "AKIAI44QH8DHBEXAMPLE",
                    "SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}
        self.assert_client_error("UnrecognizedClientException",
                                 self.client("identitystore", stranger).list_users, IdentityStoreId=STORE)
        self.assert_client_error("InvalidClientTokenId", self.client("iam", stranger).list_users)
        vendor = CREDS["AKIAVENDORGUIDEPOL01"]
        err = self.assert_client_error("AccessDeniedException",
                                       self.client("identitystore", vendor).list_users,
                                       IdentityStoreId=STORE)
        self.assertIn("identitystore:ListUsers", str(err))
        self.client("iam", vendor).list_users()
        readonly = CREDS["AKIAREADONLYEXAMPLE1"]
        self.assert_client_error("AccessDenied", self.client("iam", readonly).delete_user,
                                 UserName="dave", status=403)
        denied = CREDS["AKIADENYDELETEEXAMPL"]
        err = self.assert_client_error("AccessDeniedException",
                                       self.client("identitystore", denied).delete_user,
                                       IdentityStoreId=STORE, UserId=TARO)
        self.assertIn("explicit deny", str(err))
        temp = CREDS["ASIATEMPORARYEXAMPLE"]
        self.assertEqual(len(self.client("identitystore", temp).list_users(IdentityStoreId=STORE)["Users"]), 30)
        self.assert_client_error("UnrecognizedClientException",
                                 self.client("identitystore", dict(temp, SessionToken=None)).list_users,
                                 IdentityStoreId=STORE)
        self.assert_client_error("ValidationException", self.client("identitystore").describe_user,
                                 IdentityStoreId=STORE, UserId="0" * 47)

    def test_date_far_from_the_mock_clock(self):
        with MockAws("--fixed-time", "20200101T000000Z") as old:
            self.assert_client_error("InvalidSignatureException",
                                     self.client("identitystore", mock=old).list_users,
                                     IdentityStoreId=STORE)
            self.assert_client_error("SignatureDoesNotMatch", self.client("iam", mock=old).get_user)

    def test_retries_through_throttling(self):
        with MockAws("--faults", "throttle=0.5", "--seed", "4") as m:
            ids = self.client("identitystore", mock=m)
            for uid in (TARO, JOSE):
                self.assertTrue(ids.describe_user(IdentityStoreId=STORE, UserId=uid)["UserName"])
            users = [u for p in ids.get_paginator("list_users").paginate(
                IdentityStoreId=STORE, PaginationConfig={"PageSize": 10}) for u in p["Users"]]
            self.assertEqual(len(users), 30)
            iam = self.client("iam", mock=m)
            self.assertEqual(iam.get_user(UserName="bob")["User"]["UserName"], "bob")
            # every answered call is logged, throttled or not: wait for the six successes
            log = m.wait_log(7, until=lambda es: sum(e["fault"] != "throttle" for e in es) >= 6)
            faults = [e["fault"] for e in log]
            self.assertIn("throttle", faults, "the seed gave no throttle: nothing was retried")
            throttled = [e for e in log if e["fault"] == "throttle"]
            self.assertTrue(all(e["status"] == 400 for e in throttled))
            self.assertEqual(len(log) - len(throttled), 6, "each call succeeded exactly once")


if __name__ == "__main__":
    unittest.main()
