# SPDX-License-Identifier: Apache-2.0
"""test_iam.py - every IAM operation of operations.md on the wire (awsQuery): replies
checked element by element against botocore's IAM model, ListUsers paging, GetUser for the
caller, NoSuchEntity and EntityAlreadyExists, DeleteUser's DeleteConflict messages in the
documented order, user names with + = , @ . through form encoding, GET with a query, and
InvalidAction, MissingAction and ValidationError."""
import json
import os
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

from mockenv import ADMIN, CREDS, DEFAULT_FIXTURE, REPO, MockTestCase, raw_query, send

NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"
ACCOUNT = "123456789012"
SPECIAL = "j.doe+ops=1,dev@example-corp"

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    IAM = json.load(_f)["Iam"]
USERS = {u["UserName"]: u for u in IAM["Users"]}
ALICE = USERS["alice"]

# Result members added to the model after botocore 1.29 (Debian 12): tolerated when absent
# from an older model.
NEWER_MEMBERS = {("ListServiceSpecificCredentials", "Marker"),
                 ("ListServiceSpecificCredentials", "IsTruncated")}
# Required by the model but not in the fixture schema: checked on its own in
# test_signing_certificate_body, so that the other checks still run.
KNOWN_MISSING = {("ListSigningCertificates", "CertificateBody")}

_MODEL = None


def model():
    global _MODEL
    if _MODEL is None:
        import botocore.session
        _MODEL = botocore.session.get_session().get_service_model("iam")
    return _MODEL


def local(tag):
    return tag[len(NS):] if tag.startswith(NS) else tag


def arn(user):
    return "arn:aws:iam::%s:user%s%s" % (ACCOUNT, user.get("Path", "/"), user["UserName"])


def sign_get(mock, query, cred=ADMIN):
    """Headers of a GET /?query signed by botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method="GET", url=mock.endpoint + "/?" + query)
    SigV4Auth(Credentials(cred["AccessKeyId"], cred["SecretAccessKey"]), "iam",
              "us-east-1").add_auth(req)
    return dict(req.headers.items())


def sign_form(mock, body, cred=ADMIN):
    """Headers of a form POST with exactly these body bytes, signed by botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method="POST", url=mock.endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(cred["AccessKeyId"], cred["SecretAccessKey"]), "iam",
              "us-east-1").add_auth(req)
    return dict(req.headers.items())


class Iam(MockTestCase):

    strict = False

    # ---- helpers -------------------------------------------------------------------------

    def check_shape(self, elem, shape, where, op):
        t = shape.type_name
        if t == "structure":
            names = [local(c.tag) for c in elem]
            self.assertEqual(len(names), len(set(names)), "%s: repeated members %s" % (where, names))
            for child in elem:
                name = local(child.tag)
                if name not in shape.members:
                    self.assertIn((op, name), NEWER_MEMBERS, "%s: %s is not in the model" % (where, name))
                    continue
                self.check_shape(child, shape.members[name], where + "/" + name, op)
            for req in shape.required_members:
                if (op, req) in KNOWN_MISSING and not self.strict:
                    continue
                self.assertIn(req, names, "%s: required %s is missing" % (where, req))
        elif t == "list":
            for child in elem:
                self.assertEqual(local(child.tag), "member", where)
                self.check_shape(child, shape.member, where + "/member", op)
        elif t == "map":
            pass
        else:
            self.assertEqual(len(list(elem)), 0, "%s: a scalar with children" % where)
            text = elem.text or ""
            if t == "timestamp":
                self.assertRegex(text, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", where)
            elif t == "boolean":
                self.assertIn(text, ("true", "false"), where)
            elif t in ("integer", "long"):
                self.assertRegex(text, r"^-?\d+$", where)
            elif t == "string" and shape.enum:
                self.assertIn(text, shape.enum, where)

    def call(self, params, cred=ADMIN):
        status, headers, data = raw_query(self.mock, params, cred=cred)
        return status, headers, data

    def ok(self, params, cred=ADMIN):
        """Calls an operation, checks the reply against the model; returns the Result element
        (None for operations without one)."""
        op = params["Action"]
        status, headers, data = self.call(params, cred)
        self.assertEqual(status, 200, data)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/xml"), headers)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, NS + op + "Response")
        kids = [local(c.tag) for c in root]
        out = model().operation_model(op).output_shape
        meta_id = root.findtext(NS + "ResponseMetadata/" + NS + "RequestId")
        self.assertEqual(meta_id, headers.get("x-amzn-RequestId"))
        if out is None:
            self.assertEqual(kids, ["ResponseMetadata"])
            return None
        self.assertEqual(kids, [op + "Result", "ResponseMetadata"])
        result = root.find(NS + op + "Result")
        self.check_shape(result, out, op + "Result", op)
        return result

    def error(self, params, code, status, message=None, cred=ADMIN):
        got, headers, data = self.call(params, cred)
        self.assertEqual(got, status, data)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, NS + "ErrorResponse")
        self.assertEqual([local(c.tag) for c in root], ["Error", "RequestId"])
        err = root.find(NS + "Error")
        self.assertEqual([local(c.tag) for c in err], ["Type", "Code", "Message"])
        self.assertEqual(err.findtext(NS + "Code"), code, data)
        self.assertEqual(err.findtext(NS + "Type"), "Sender")
        self.assertEqual(root.findtext(NS + "RequestId"), headers.get("x-amzn-RequestId"))
        text = err.findtext(NS + "Message")
        if message is not None:
            self.assertEqual(text, message)
        return text

    @staticmethod
    def _path(path):
        return "/".join(NS + p for p in path.split("/"))

    def texts(self, result, path):
        return [e.text for e in result.findall(self._path(path))]

    def delete_conflict(self, user):
        return self.error({"Action": "DeleteUser", "UserName": user}, "DeleteConflict", 409)

    # ---- users ---------------------------------------------------------------------------

    def test_list_users_pages(self):
        seen, pages, marker = [], 0, None
        while True:
            params = {"Action": "ListUsers", "MaxItems": "2"}
            if marker:
                params["Marker"] = marker
            result = self.ok(params)
            pages += 1
            members = result.findall(self._path("Users/member"))
            self.assertLessEqual(len(members), 2)
            for m in members:
                seen.append({local(c.tag): c.text for c in m})
            truncated = result.findtext(NS + "IsTruncated")
            marker = result.findtext(NS + "Marker")
            if truncated == "false":
                self.assertIsNone(marker)
                break
            self.assertEqual(truncated, "true")
            self.assertTrue(marker)
            self.assertLess(pages, 20)
        self.assertEqual(pages, 5)
        self.assertEqual(sorted(u["UserName"] for u in seen), sorted(USERS))
        for u in seen:
            f = USERS[u["UserName"]]
            self.assertEqual(u["UserId"], f["UserId"])
            self.assertEqual(u["Path"], f.get("Path", "/"))
            self.assertEqual(u["Arn"], arn(f))
            self.assertEqual(u["CreateDate"], f["CreateDate"])
            self.assertEqual(u.get("PasswordLastUsed"), f.get("PasswordLastUsed"))
            self.assertNotIn("Tags", u)  # ListUsers does not return tags
        # all at once (default MaxItems 100)
        result = self.ok({"Action": "ListUsers"})
        self.assertEqual(len(result.findall(self._path("Users/member"))), len(USERS))
        self.assertEqual(result.findtext(NS + "IsTruncated"), "false")

    def test_list_users_path_prefix_and_bounds(self):
        result = self.ok({"Action": "ListUsers", "PathPrefix": "/engineering/"})
        self.assertEqual(self.texts(result, "Users/member/UserName"), ["frank"])
        result = self.ok({"Action": "ListUsers", "PathPrefix": "/service/"})
        self.assertEqual(self.texts(result, "Users/member/UserName"), ["idc-integration"])
        for bad in ("0", "1001", "x", "-1"):
            with self.subTest(max_items=bad):
                self.error({"Action": "ListUsers", "MaxItems": bad}, "ValidationError", 400)
        self.ok({"Action": "ListUsers", "MaxItems": "1000"})

    def test_get_user(self):
        result = self.ok({"Action": "GetUser"})  # the caller
        user = result.find(NS + "User")
        self.assertEqual(user.findtext(NS + "UserName"), "idc-integration")
        self.assertEqual(user.findtext(NS + "Path"), "/service/")
        self.assertEqual(user.findtext(NS + "Arn"), ADMIN["Arn"])
        result = self.ok({"Action": "GetUser", "UserName": "alice"})
        user = result.find(NS + "User")
        self.assertEqual(user.findtext(NS + "UserId"), ALICE["UserId"])
        self.assertEqual(user.findtext(NS + "Arn"), arn(ALICE))
        self.assertEqual(user.findtext(NS + "PasswordLastUsed"), ALICE["PasswordLastUsed"])
        self.assertEqual(self.texts(user, "Tags/member/Key"), ["team"])
        self.assertEqual(self.texts(user, "Tags/member/Value"), ["platform"])

    def test_get_user_unknown(self):
        self.error({"Action": "GetUser", "UserName": "nobody"}, "NoSuchEntity", 404,
                   "The user with name nobody cannot be found.")
        self.error({"Action": "DeleteUser", "UserName": "nobody"}, "NoSuchEntity", 404,
                   "The user with name nobody cannot be found.")
        self.error({"Action": "ListAccessKeys", "UserName": "nobody"}, "NoSuchEntity", 404)

    def test_create_user(self):
        result = self.ok({"Action": "CreateUser", "UserName": "newbie", "Path": "/team/a/"})
        user = result.find(NS + "User")
        self.assertEqual(user.findtext(NS + "UserName"), "newbie")
        self.assertEqual(user.findtext(NS + "Path"), "/team/a/")
        self.assertEqual(user.findtext(NS + "Arn"), "arn:aws:iam::%s:user/team/a/newbie" % ACCOUNT)
        self.assertRegex(user.findtext(NS + "UserId"), r"^AIDA[A-Z0-9]{17}$")
        got = self.ok({"Action": "GetUser", "UserName": "newbie"}).find(NS + "User")
        self.assertEqual(got.findtext(NS + "UserId"), user.findtext(NS + "UserId"))
        listed = self.texts(self.ok({"Action": "ListUsers"}), "Users/member/UserName")
        self.assertIn("newbie", listed)
        self.assertEqual(len(listed), len(USERS) + 1)
        # a new user has nothing, so it can be deleted at once
        self.ok({"Action": "DeleteUser", "UserName": "newbie"})
        self.error({"Action": "GetUser", "UserName": "newbie"}, "NoSuchEntity", 404)

    def test_create_user_exists_or_invalid(self):
        msg = self.error({"Action": "CreateUser", "UserName": "alice"}, "EntityAlreadyExists", 409)
        self.assertIn("alice", msg)
        for bad in ("bad name", "x" * 65, "a/b", "é"):
            with self.subTest(name=bad):
                got, _, data = self.call({"Action": "CreateUser", "UserName": bad})
                self.assertEqual(got, 400, data)
                self.assertIn(ET.fromstring(data).findtext(NS + "Error/" + NS + "Code"),
                              ("ValidationError", "InvalidInput"))
        self.ok({"Action": "CreateUser", "UserName": "x" * 64})

    # ---- groups --------------------------------------------------------------------------

    def test_groups(self):
        result = self.ok({"Action": "ListGroupsForUser", "UserName": "alice"})
        self.assertEqual(sorted(self.texts(result, "Groups/member/GroupName")), ["Admins", "Developers"])
        self.assertIn("arn:aws:iam::%s:group/Admins" % ACCOUNT, self.texts(result, "Groups/member/Arn"))
        self.ok({"Action": "AddUserToGroup", "UserName": "carol", "GroupName": "ReadOnly"})
        result = self.ok({"Action": "ListGroupsForUser", "UserName": "carol"})
        self.assertEqual(self.texts(result, "Groups/member/GroupName"), ["ReadOnly"])
        self.ok({"Action": "RemoveUserFromGroup", "UserName": "carol", "GroupName": "ReadOnly"})
        result = self.ok({"Action": "ListGroupsForUser", "UserName": "carol"})
        self.assertEqual(self.texts(result, "Groups/member/GroupName"), [])
        self.error({"Action": "AddUserToGroup", "UserName": "carol", "GroupName": "NoSuchGroup"},
                   "NoSuchEntity", 404)
        self.error({"Action": "AddUserToGroup", "UserName": "nobody", "GroupName": "Admins"},
                   "NoSuchEntity", 404)

    # ---- login profiles ------------------------------------------------------------------

    def test_login_profile(self):
        result = self.ok({"Action": "GetLoginProfile", "UserName": "grace"})
        lp = result.find(NS + "LoginProfile")
        self.assertEqual(lp.findtext(NS + "UserName"), "grace")
        self.assertEqual(lp.findtext(NS + "PasswordResetRequired"), "true")
        self.error({"Action": "GetLoginProfile", "UserName": "carol"}, "NoSuchEntity", 404,
                   "Login Profile for User carol cannot be found.")
        result = self.ok({"Action": "CreateLoginProfile", "UserName": "carol",
                          "Password": "correct horse battery staple 1!", "PasswordResetRequired": "true"})
        self.assertEqual(result.findtext(self._path("LoginProfile/UserName")), "carol")
        self.assertEqual(result.findtext(self._path("LoginProfile/PasswordResetRequired")), "true")
        self.ok({"Action": "GetLoginProfile", "UserName": "carol"})
        self.error({"Action": "CreateLoginProfile", "UserName": "carol", "Password": "another one 2!"},
                   "EntityAlreadyExists", 409)
        self.ok({"Action": "DeleteLoginProfile", "UserName": "carol"})
        self.error({"Action": "GetLoginProfile", "UserName": "carol"}, "NoSuchEntity", 404)
        self.error({"Action": "DeleteLoginProfile", "UserName": "carol"}, "NoSuchEntity", 404)
        self.error({"Action": "CreateLoginProfile", "UserName": "carol"}, "ValidationError", 400)

    # ---- a user's items ------------------------------------------------------------------

    def test_access_keys(self):
        result = self.ok({"Action": "ListAccessKeys", "UserName": "alice"})
        self.assertEqual(self.texts(result, "AccessKeyMetadata/member/AccessKeyId"),
                         [k["AccessKeyId"] for k in ALICE["AccessKeys"]])
        self.assertEqual(self.texts(result, "AccessKeyMetadata/member/Status"), ["Active", "Inactive"])
        self.assertEqual(set(self.texts(result, "AccessKeyMetadata/member/UserName")), {"alice"})
        # without UserName: the caller's keys
        result = self.ok({"Action": "ListAccessKeys"})
        self.assertEqual(self.texts(result, "AccessKeyMetadata/member/AccessKeyId"), [ADMIN["AccessKeyId"]])
        self.ok({"Action": "DeleteAccessKey", "UserName": "alice", "AccessKeyId": "AKIAMWI5IMXJFNYHA3AW"})
        result = self.ok({"Action": "ListAccessKeys", "UserName": "alice"})
        self.assertEqual(self.texts(result, "AccessKeyMetadata/member/AccessKeyId"), ["AKIALEE5A3YQUHM22YQJ"])
        self.error({"Action": "DeleteAccessKey", "UserName": "alice", "AccessKeyId": "AKIAMWI5IMXJFNYHA3AW"},
                   "NoSuchEntity", 404)

    def test_signing_certificates_ssh_keys_and_service_credentials(self):
        for list_op, delete_op, id_param, path, ident in (
                ("ListSigningCertificates", "DeleteSigningCertificate", "CertificateId",
                 "Certificates/member/CertificateId", ALICE["SigningCertificates"][0]["CertificateId"]),
                ("ListSSHPublicKeys", "DeleteSSHPublicKey", "SSHPublicKeyId",
                 "SSHPublicKeys/member/SSHPublicKeyId", ALICE["SSHPublicKeys"][0]["SSHPublicKeyId"]),
                ("ListServiceSpecificCredentials", "DeleteServiceSpecificCredential",
                 "ServiceSpecificCredentialId",
                 "ServiceSpecificCredentials/member/ServiceSpecificCredentialId",
                 ALICE["ServiceSpecificCredentials"][0]["ServiceSpecificCredentialId"])):
            with self.subTest(op=list_op):
                self.assertEqual(self.texts(self.ok({"Action": list_op, "UserName": "alice"}), path),
                                 [ident])
                self.ok({"Action": delete_op, "UserName": "alice", id_param: ident})
                self.assertEqual(self.texts(self.ok({"Action": list_op, "UserName": "alice"}), path), [])
                self.error({"Action": delete_op, "UserName": "alice", id_param: ident}, "NoSuchEntity", 404)
        result = self.ok({"Action": "ListServiceSpecificCredentials", "UserName": "bob"})
        self.assertEqual(len(list(result.find(NS + "ServiceSpecificCredentials"))), 0)

    def test_signing_certificate_body(self):
        # the model's SigningCertificate requires CertificateBody (the PEM); AWS always sends it
        self.strict = True
        self.ok({"Action": "ListSigningCertificates", "UserName": "alice"})

    def test_mfa_devices(self):
        serial = ALICE["MFADevices"][0]["SerialNumber"]
        result = self.ok({"Action": "ListMFADevices", "UserName": "alice"})
        self.assertEqual(self.texts(result, "MFADevices/member/SerialNumber"), [serial])
        # a virtual device cannot be deleted while it is active
        self.error({"Action": "DeleteVirtualMFADevice", "SerialNumber": serial}, "DeleteConflict", 409)
        self.ok({"Action": "DeactivateMFADevice", "UserName": "alice", "SerialNumber": serial})
        result = self.ok({"Action": "ListMFADevices", "UserName": "alice"})
        self.assertEqual(self.texts(result, "MFADevices/member/SerialNumber"), [])
        self.ok({"Action": "DeleteVirtualMFADevice", "SerialNumber": serial})
        self.error({"Action": "DeleteVirtualMFADevice", "SerialNumber": serial}, "NoSuchEntity", 404)
        # erin's hardware device: deactivated, nothing to delete
        self.ok({"Action": "DeactivateMFADevice", "UserName": "erin", "SerialNumber": "GAHT12345678"})

    def test_policies(self):
        result = self.ok({"Action": "ListUserPolicies", "UserName": "alice"})
        self.assertEqual(self.texts(result, "PolicyNames/member"), ["alice-s3-reports"])
        result = self.ok({"Action": "ListAttachedUserPolicies", "UserName": "alice"})
        self.assertEqual(self.texts(result, "AttachedPolicies/member/PolicyArn"),
                         ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        self.assertEqual(self.texts(result, "AttachedPolicies/member/PolicyName"), ["ReadOnlyAccess"])
        self.ok({"Action": "DeleteUserPolicy", "UserName": "alice", "PolicyName": "alice-s3-reports"})
        self.ok({"Action": "DetachUserPolicy", "UserName": "alice",
                 "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
        self.assertEqual(self.texts(self.ok({"Action": "ListUserPolicies", "UserName": "alice"}),
                                    "PolicyNames/member"), [])
        self.assertEqual(self.texts(self.ok({"Action": "ListAttachedUserPolicies", "UserName": "alice"}),
                                    "AttachedPolicies/member"), [])
        self.error({"Action": "DeleteUserPolicy", "UserName": "alice", "PolicyName": "alice-s3-reports"},
                   "NoSuchEntity", 404)
        self.error({"Action": "DetachUserPolicy", "UserName": "alice",
                    "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, "NoSuchEntity", 404)

    # ---- DeleteUser ----------------------------------------------------------------------

    def test_delete_conflicts_in_documented_order(self):
        c = "Cannot delete entity, must "
        steps = [
            (c + "delete login profile first.",
             [{"Action": "DeleteLoginProfile", "UserName": "alice"}]),
            (c + "delete access keys first.",
             [{"Action": "DeleteAccessKey", "UserName": "alice", "AccessKeyId": k["AccessKeyId"]}
              for k in ALICE["AccessKeys"]]),
            (c + "delete certificates first.",
             [{"Action": "DeleteSigningCertificate", "UserName": "alice",
               "CertificateId": ALICE["SigningCertificates"][0]["CertificateId"]}]),
            (c + "remove referenced objects first.",
             [{"Action": "DeleteSSHPublicKey", "UserName": "alice",
               "SSHPublicKeyId": ALICE["SSHPublicKeys"][0]["SSHPublicKeyId"]}]),
            (c + "remove referenced objects first.",
             [{"Action": "DeleteServiceSpecificCredential", "UserName": "alice",
               "ServiceSpecificCredentialId":
                   ALICE["ServiceSpecificCredentials"][0]["ServiceSpecificCredentialId"]}]),
            (c + "delete MFA device first.",
             [{"Action": "DeactivateMFADevice", "UserName": "alice",
               "SerialNumber": ALICE["MFADevices"][0]["SerialNumber"]}]),
            (c + "delete policies first.",
             [{"Action": "DeleteUserPolicy", "UserName": "alice", "PolicyName": "alice-s3-reports"}]),
            (c + "detach all policies first.",
             [{"Action": "DetachUserPolicy", "UserName": "alice",
               "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]),
            (c + "remove users from group first.",
             [{"Action": "RemoveUserFromGroup", "UserName": "alice", "GroupName": g}
              for g in ALICE["Groups"]]),
        ]
        for message, removals in steps:
            self.assertEqual(self.delete_conflict("alice"), message)
            for r in removals:
                self.ok(r)
        self.ok({"Action": "DeleteUser", "UserName": "alice"})
        self.error({"Action": "GetUser", "UserName": "alice"}, "NoSuchEntity", 404,
                   "The user with name alice cannot be found.")
        listed = self.texts(self.ok({"Action": "ListUsers"}), "Users/member/UserName")
        self.assertEqual(len(listed), len(USERS) - 1)
        self.assertNotIn("alice", listed)
        # the virtual MFA device outlives its user until deleted
        self.ok({"Action": "DeleteVirtualMFADevice", "SerialNumber": ALICE["MFADevices"][0]["SerialNumber"]})

    def test_delete_conflict_groups_only(self):
        self.assertEqual(self.delete_conflict("dave"),
                         "Cannot delete entity, must remove users from group first.")
        self.ok({"Action": "RemoveUserFromGroup", "UserName": "dave", "GroupName": "ReadOnly"})
        self.ok({"Action": "DeleteUser", "UserName": "dave"})
        self.assertEqual(self.delete_conflict("erin"),
                         "Cannot delete entity, must delete access keys first.")

    # ---- names and encodings -------------------------------------------------------------

    def test_special_user_name(self):
        # botocore's form encoding: %2B %3D %2C %40
        user = self.ok({"Action": "GetUser", "UserName": SPECIAL}).find(NS + "User")
        self.assertEqual(user.findtext(NS + "UserName"), SPECIAL)
        self.assertEqual(user.findtext(NS + "Arn"), "arn:aws:iam::%s:user/%s" % (ACCOUNT, SPECIAL))
        result = self.ok({"Action": "ListGroupsForUser", "UserName": SPECIAL})
        self.assertEqual(sorted(self.texts(result, "Groups/member/GroupName")), ["Developers", "ReadOnly"])

    def test_plus_in_form_body(self):
        # '%2B' is a plus; a bare '+' is a space (form encoding), so it names nobody
        encoded = ("Action=GetUser&Version=2010-05-08&UserName=" + quote(SPECIAL, safe="")).encode()
        self.assertIn(b"j.doe%2Bops%3D1%2Cdev%40example-corp", encoded)
        status, _, data = send(self.mock.endpoint + "/", "POST", sign_form(self.mock, encoded), encoded)
        self.assertEqual(status, 200, data)
        self.assertIn(("<UserName>%s</UserName>" % SPECIAL).encode(), data)
        bare = ("Action=GetUser&Version=2010-05-08&UserName=" + SPECIAL).encode()
        status, _, data = send(self.mock.endpoint + "/", "POST", sign_form(self.mock, bare), bare)
        # a raw '+' decodes to a space, which no IAM user name may hold: a validation error
        self.assertEqual(status, 400, data)
        code = ET.fromstring(data).findtext(NS + "Error/" + NS + "Code")
        self.assertEqual(code, "ValidationError")
        self.assertIn("j.doe ops=1", ET.fromstring(data).findtext(NS + "Error/" + NS + "Message"))
        # CreateUser with a '+' sent as %2B keeps it
        body = b"Action=CreateUser&Version=2010-05-08&UserName=a%2Bb%40c"
        status, _, data = send(self.mock.endpoint + "/", "POST", sign_form(self.mock, body), body)
        self.assertEqual(status, 200, data)
        self.assertIn(b"<UserName>a+b@c</UserName>", data)
        # lower-case escapes decode the same
        body = b"Action=GetUser&Version=2010-05-08&UserName=a%2bb%40c"
        status, _, data = send(self.mock.endpoint + "/", "POST", sign_form(self.mock, body), body)
        self.assertEqual(status, 200, data)

    def test_get_with_query(self):
        query = urlencode({"Action": "GetUser", "UserName": SPECIAL, "Version": "2010-05-08"})
        status, headers, data = send(self.mock.endpoint + "/?" + query, "GET",
                                     sign_get(self.mock, query), None)
        self.assertEqual(status, 200, data)
        self.assertIn(("<UserName>%s</UserName>" % SPECIAL).encode(), data)
        query = "Action=ListUsers&MaxItems=3&Version=2010-05-08"
        status, _, data = send(self.mock.endpoint + "/?" + query, "GET", sign_get(self.mock, query), None)
        self.assertEqual(status, 200, data)
        root = ET.fromstring(data)
        self.assertEqual(len(root.findall(".//" + NS + "Users/" + NS + "member")), 3)
        self.assertEqual(root.findtext(".//" + NS + "IsTruncated"), "true")

    # ---- protocol errors -----------------------------------------------------------------

    def test_invalid_action(self):
        msg = self.error({"Action": "Frobnicate"}, "InvalidAction", 400)
        self.assertIn("Frobnicate", msg)
        # an Identity Store operation name is not an IAM action either
        self.error({"Action": "DescribeUser"}, "InvalidAction", 400)

    def test_missing_action(self):
        self.error({}, "MissingAction", 400)
        self.error({"UserName": "alice"}, "MissingAction", 400)

    def test_missing_user_name(self):
        for params in ({"Action": "DeleteUser"}, {"Action": "CreateUser"},
                       {"Action": "ListGroupsForUser"}, {"Action": "ListUserPolicies"},
                       {"Action": "AddUserToGroup", "GroupName": "Admins"},
                       {"Action": "DeleteUserPolicy", "PolicyName": "x"}):
            with self.subTest(params=params):
                msg = self.error(params, "ValidationError", 400)
                self.assertIn("userName", msg)
        msg = self.error({"Action": "AddUserToGroup", "UserName": "carol"}, "ValidationError", 400)
        self.assertIn("groupName", msg)

    def test_caller_without_iam_user(self):
        # GetUser without UserName answers for the caller's ARN; an assumed role has no user
        temp = CREDS["ASIATEMPORARYEXAMPLE"]
        status, _, data = raw_query(self.mock, {"Action": "GetUser"}, cred=temp)
        self.assertEqual(status, 400, data)
        self.assertEqual(ET.fromstring(data).findtext(NS + "Error/" + NS + "Code"), "ValidationError")
        status, _, data = raw_query(self.mock, {"Action": "GetUser"}, cred=CREDS["AKIAVENDORGUIDEPOL01"])
        self.assertEqual(status, 404, data)  # vendor-guide is not an IAM user of the fixture

    def test_every_operation_is_known(self):
        with open(os.path.join(REPO, "spec", "mockaws", "operations.md"), encoding="utf-8") as f:
            section = f.read().split("## IAM")[1].split("## Authentication")[0]
        ops = re.findall(r"^\| (\w+)(?: / (\w+))? \|", section, re.M)
        names = {n for pair in ops for n in pair if n and n != "operation"}
        self.assertEqual(len(names), 25)
        for name in sorted(names):
            with self.subTest(op=name):
                # known operations never answer InvalidAction, whatever their parameters
                status, _, data = self.call({"Action": name, "UserName": "nobody-at-all"})
                self.assertNotIn(b"<Code>InvalidAction</Code>", data)
                self.assertTrue(model().operation_model(name))
