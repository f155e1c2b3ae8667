# SPDX-License-Identifier: Apache-2.0
"""test_identitystore.py - the Identity Store operations on the wire (awsJson1_1), through
requests signed by botocore: the User shape as the fixture defines it, lookups, deletes and
their cascade to memberships, CreateUser, groups and memberships with paging, the store's
region, and the error and success envelopes (spec/mockaws/operations.md)."""
import calendar
import json
import time

from mockenv import ADMIN, CREDS, DEFAULT_FIXTURE, STORE, STORE2, MockTestCase, raw_json

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    WORLD = json.load(_f)
STORES = {s["IdentityStoreId"]: s for s in WORLD["IdentityStores"]}


def fixture_user(name, store=STORE):
    return next(u for u in STORES[store]["Users"] if u["UserName"] == name)


def fixture_group(name, store=STORE):
    return next(g for g in STORES[store]["Groups"] if g["DisplayName"] == name)


def memberships_of_group(group_id, store=STORE):
    return [m for m in STORES[store]["GroupMemberships"] if m["GroupId"] == group_id]


def memberships_of_user(user_id, store=STORE):
    return [m for m in STORES[store]["GroupMemberships"] if m["MemberId"]["UserId"] == user_id]


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def served(item, store):
    """An item of the fixture as mockaws serves it: dates as epoch seconds, plus the store."""
    out = dict(item)
    for k in ("CreatedAt", "UpdatedAt"):
        if isinstance(out.get(k), str):
            out[k] = epoch(out[k])
    out["IdentityStoreId"] = store
    return out


def lower(headers):
    return {k.lower(): v for k, v in headers.items()}


JOSE = fixture_user("jose.alvarez")          # ExternalIds, ENABLED, in Engineering and Admins
TARO = fixture_user("taro.yamada")           # CJK names
JOHN = fixture_user("john.smith")            # no UserStatus
ENGINEERING = fixture_group("Engineering")   # 9 members


class IdentityStore(MockTestCase):

    def call(self, op, body, **kw):
        status, headers, data = raw_json(self.mock, op, body, **kw)
        return status, lower(headers), data

    def ok(self, op, body, **kw):
        status, headers, data = self.call(op, body, **kw)
        self.assertEqual(status, 200, data)
        return json.loads(data)

    def error(self, op, body, code, status=400, **kw):
        """The error envelope every error shares; returns the parsed body."""
        got, headers, data = self.call(op, body, **kw)
        self.assertEqual(got, status, data)
        err = json.loads(data)
        self.assertEqual(err["__type"], code, err)
        self.assertIn("Message", err)
        self.assertEqual(err["Message"], err["message"])
        self.assertEqual(headers.get("x-amzn-errortype"), code)
        self.assertTrue(headers.get("x-amzn-requestid"))
        self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
        self.assertEqual(int(headers["content-length"]), len(data))
        return err

    # ---- users ------------------------------------------------------------------------

    def test_describe_user_full_shape(self):
        status, headers, data = self.call("DescribeUser",
                                          {"IdentityStoreId": STORE, "UserId": JOSE["UserId"]})
        self.assertEqual(status, 200, data)
        self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
        user = json.loads(data)
        self.assertEqual(user, served(JOSE, STORE))
        self.assertEqual(user["UserStatus"], "ENABLED")
        self.assertIsInstance(user["CreatedAt"], int)  # a JSON number, not a string
        self.assertEqual(user["CreatedAt"], 1707725700)  # 2024-02-12T08:15:00Z
        self.assertIn(b'"CreatedAt":1707725700', data.replace(b" ", b""))
        # non-ASCII names go out as UTF-8 bytes, not \u escapes
        self.assertIn("José Álvarez".encode("utf-8"), data)

    def test_describe_user_cjk_round_trip(self):
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": TARO["UserId"]})
        self.assertEqual(user["DisplayName"], "山田 太郎")
        self.assertEqual(user["Name"], {"Formatted": "山田 太郎", "FamilyName": "山田",
                                        "GivenName": "太郎"})
        self.assertEqual(user, served(TARO, STORE))

    def test_user_without_status_has_no_member(self):
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]})
        self.assertNotIn("UserStatus", user)
        self.assertEqual(user, served(JOHN, STORE))
        listed = self.ok("ListUsers", {"IdentityStoreId": STORE})["Users"]
        john = next(u for u in listed if u["UserId"] == JOHN["UserId"])
        self.assertNotIn("UserStatus", john)

    def test_get_user_id_by_user_name(self):
        got = self.ok("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "taro.yamada"}}})
        self.assertEqual(got, {"IdentityStoreId": STORE, "UserId": TARO["UserId"]})

    def test_get_user_id_by_email(self):
        got = self.ok("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "UniqueAttribute": {"AttributePath": "emails.value",
                                "AttributeValue": "john.smith@example.com"}}})
        self.assertEqual(got, {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]})

    def test_get_user_id_by_external_id(self):
        ext = JOSE["ExternalIds"][0]
        got = self.ok("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "ExternalId": {"Issuer": ext["Issuer"], "Id": ext["Id"]}}})
        self.assertEqual(got, {"IdentityStoreId": STORE, "UserId": JOSE["UserId"]})
        # the same Id under another issuer is someone else (nobody)
        err = self.error("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "ExternalId": {"Issuer": "https://other-idp.example.com/", "Id": ext["Id"]}}},
            "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "USER")

    def test_get_user_id_unknown_name(self):
        err = self.error("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "nobody.here"}}},
            "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "USER")

    def test_get_user_id_unknown_name_is_quoted(self):
        # the caller's value goes back as ResourceId: quotes and backslashes escaped, not pasted
        for value in ('a"b\\c', 'x\\"}, "ResourceType": "GROUP', "tab\there\nnewline"):
            with self.subTest(value=value):
                unique = {"AttributePath": "userName", "AttributeValue": value}
                got, _, data = self.call("GetUserId", {
                    "IdentityStoreId": STORE, "AlternateIdentifier": {"UniqueAttribute": unique}})
                self.assertEqual(got, 400, data)
                err = json.loads(data)  # a malformed body raises here
                self.assertEqual(err["__type"], "ResourceNotFoundException")
                self.assertEqual(err["ResourceType"], "USER")
                self.assertEqual(err["ResourceId"], value)
                self.assertIn(value, err["Message"])

    def test_delete_user_removes_memberships(self):
        uid = JOSE["UserId"]
        before = self.ok("ListGroupMembershipsForMember",
                         {"IdentityStoreId": STORE, "MemberId": {"UserId": uid}})
        want = {m["MembershipId"] for m in memberships_of_user(uid)}
        self.assertEqual(len(want), 2)
        self.assertEqual({m["MembershipId"] for m in before["GroupMemberships"]}, want)
        for m in before["GroupMemberships"]:
            self.assertEqual(m["MemberId"], {"UserId": uid})
            self.assertEqual(m["IdentityStoreId"], STORE)

        self.assertEqual(self.ok("DeleteUser", {"IdentityStoreId": STORE, "UserId": uid}), {})

        err = self.error("DescribeUser", {"IdentityStoreId": STORE, "UserId": uid},
                         "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "USER")
        self.assertEqual(err["ResourceId"], uid)
        # the memberships went with the user: none is left in the groups' listings
        group = self.ok("ListGroupMemberships",
                        {"IdentityStoreId": STORE, "GroupId": ENGINEERING["GroupId"]})
        ids = {m["MembershipId"] for m in group["GroupMemberships"]}
        self.assertEqual(len(ids), len(memberships_of_group(ENGINEERING["GroupId"])) - 1)
        self.assertFalse(ids & want)
        for mid in want:
            err = self.error("DeleteGroupMembership", {"IdentityStoreId": STORE, "MembershipId": mid},
                             "ResourceNotFoundException")
            self.assertEqual(err["ResourceType"], "GROUP_MEMBERSHIP")
        users = self.ok("ListUsers", {"IdentityStoreId": STORE})["Users"]
        self.assertEqual(len(users), 29)
        self.assertNotIn(uid, {u["UserId"] for u in users})

    def test_delete_missing_user(self):
        missing = "9067720000-00000000-0000-4000-8000-000000000000"
        err = self.error("DeleteUser", {"IdentityStoreId": STORE, "UserId": missing},
                         "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "USER")
        self.assertEqual(err["ResourceId"], missing)
        # and a second delete of a real user
        self.ok("DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]})
        self.error("DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]},
                   "ResourceNotFoundException")

    def test_create_user(self):
        before = int(time.time())
        created = self.ok("CreateUser", {
            "IdentityStoreId": STORE, "UserName": "new.person", "DisplayName": "Nüwe Persön",
            "Name": {"GivenName": "Nüwe", "FamilyName": "Persön"},
            "Emails": [{"Value": "new.person@example.com", "Type": "work", "Primary": True}]})
        self.assertEqual(set(created), {"IdentityStoreId", "UserId"})
        self.assertEqual(created["IdentityStoreId"], STORE)
        self.assertRegex(created["UserId"], r"^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                            r"[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertRegex(created["UserId"], r"-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": created["UserId"]})
        self.assertEqual(user["UserStatus"], "ENABLED")
        self.assertEqual(user["UserName"], "new.person")
        self.assertEqual(user["DisplayName"], "Nüwe Persön")
        self.assertEqual(user["Name"], {"GivenName": "Nüwe", "FamilyName": "Persön"})
        self.assertEqual(user["IdentityStoreId"], STORE)
        self.assertIsInstance(user["CreatedAt"], (int, float))
        self.assertLessEqual(abs(user["CreatedAt"] - before), 5)
        self.assertEqual(user.get("CreatedBy"), ADMIN["Arn"])
        # findable by name and listed at the end
        got = self.ok("GetUserId", {"IdentityStoreId": STORE, "AlternateIdentifier": {
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "new.person"}}})
        self.assertEqual(got["UserId"], created["UserId"])
        users = self.ok("ListUsers", {"IdentityStoreId": STORE})["Users"]
        self.assertEqual(len(users), 31)
        self.assertEqual(users[-1]["UserId"], created["UserId"])

    def test_create_user_duplicate_name(self):
        err = self.error("CreateUser", {"IdentityStoreId": STORE, "UserName": "john.smith",
                                        "DisplayName": "Another John",
                                        "Name": {"GivenName": "John", "FamilyName": "Smith"}},
                         "ConflictException")
        self.assertEqual(err["Reason"], "UNIQUENESS_CONSTRAINT_VIOLATION")
        self.assertEqual(len(self.ok("ListUsers", {"IdentityStoreId": STORE})["Users"]), 30)

    def test_create_user_missing_required(self):
        base = {"IdentityStoreId": STORE, "UserName": "incomplete", "DisplayName": "In Complete",
                "Name": {"GivenName": "In", "FamilyName": "Complete"}}
        for member in ("DisplayName", "UserName", "Name"):
            body = {k: v for k, v in base.items() if k != member}
            err = self.error("CreateUser", body, "ValidationException")
            self.assertIn(member[0].lower() + member[1:], err["Message"], member)
        self.assertEqual(len(self.ok("ListUsers", {"IdentityStoreId": STORE})["Users"]), 30)

    def test_create_user_output_only_members(self):
        # CreateUserRequest has no UserStatus, CreatedAt or UserId: new users are ENABLED
        # (operations.md), so these must be refused or ignored, never stored
        status, _, data = self.call("CreateUser", {
            "IdentityStoreId": STORE, "UserName": "sneaky", "DisplayName": "Sneaky",
            "Name": {"GivenName": "S"}, "UserStatus": "DISABLED", "CreatedAt": 5})
        if status == 400:
            self.assertEqual(json.loads(data)["__type"], "ValidationException")
            return
        self.assertEqual(status, 200, data)
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE,
                                        "UserId": json.loads(data)["UserId"]})
        self.assertEqual(user["UserStatus"], "ENABLED")
        self.assertNotEqual(user["CreatedAt"], 5)

    def test_list_users_deprecated_filter(self):
        got = self.ok("ListUsers", {"IdentityStoreId": STORE, "Filters": [
            {"AttributePath": "UserName", "AttributeValue": "john.smith"}]})
        self.assertEqual([u["UserId"] for u in got["Users"]], [JOHN["UserId"]])
        self.assertNotIn("NextToken", got)
        none = self.ok("ListUsers", {"IdentityStoreId": STORE, "Filters": [
            {"AttributePath": "UserName", "AttributeValue": "no.such.user"}]})
        self.assertEqual(none["Users"], [])

    # ---- groups and memberships ----------------------------------------------------------

    def test_list_groups_and_describe_group(self):
        got = self.ok("ListGroups", {"IdentityStoreId": STORE})
        self.assertNotIn("NextToken", got)
        want = [served(g, STORE) for g in STORES[STORE]["Groups"]]
        self.assertEqual(sorted(got["Groups"], key=lambda g: g["GroupId"]),
                         sorted(want, key=lambda g: g["GroupId"]))
        group = self.ok("DescribeGroup", {"IdentityStoreId": STORE, "GroupId": ENGINEERING["GroupId"]})
        self.assertEqual(group, served(ENGINEERING, STORE))
        self.assertIsInstance(group["CreatedAt"], int)
        filtered = self.ok("ListGroups", {"IdentityStoreId": STORE, "Filters": [
            {"AttributePath": "DisplayName", "AttributeValue": "Finance"}]})
        self.assertEqual([g["DisplayName"] for g in filtered["Groups"]], ["Finance"])
        err = self.error("DescribeGroup", {"IdentityStoreId": STORE,
                                           "GroupId": "9067720000-00000000-0000-4000-8000-000000000000"},
                         "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "GROUP")

    def test_list_group_memberships_paginated(self):
        gid = ENGINEERING["GroupId"]
        want = {m["MembershipId"]: m for m in memberships_of_group(gid)}
        self.assertEqual(len(want), 9)
        seen, pages, token = [], [], None
        while True:
            body = {"IdentityStoreId": STORE, "GroupId": gid, "MaxResults": 2}
            if token:
                body["NextToken"] = token
            page = self.ok("ListGroupMemberships", body)
            pages.append(len(page["GroupMemberships"]))
            seen += page["GroupMemberships"]
            token = page.get("NextToken")
            if not token:
                break
            self.assertLess(len(pages), 10, "the pages do not end")
        self.assertEqual(pages, [2, 2, 2, 2, 1])
        self.assertEqual(len(seen), len({m["MembershipId"] for m in seen}))
        self.assertEqual({m["MembershipId"] for m in seen}, set(want))
        for m in seen:
            self.assertEqual(m, served(want[m["MembershipId"]], STORE))

    def test_delete_group_membership(self):
        gid = ENGINEERING["GroupId"]
        victim = memberships_of_group(gid)[0]
        self.assertEqual(self.ok("DeleteGroupMembership",
                                 {"IdentityStoreId": STORE, "MembershipId": victim["MembershipId"]}), {})
        left = self.ok("ListGroupMemberships", {"IdentityStoreId": STORE, "GroupId": gid})
        ids = {m["MembershipId"] for m in left["GroupMemberships"]}
        self.assertEqual(len(ids), 8)
        self.assertNotIn(victim["MembershipId"], ids)
        mine = self.ok("ListGroupMembershipsForMember",
                       {"IdentityStoreId": STORE, "MemberId": victim["MemberId"]})
        self.assertNotIn(victim["MembershipId"],
                         {m["MembershipId"] for m in mine["GroupMemberships"]})
        # the user itself stays
        self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": victim["MemberId"]["UserId"]})
        err = self.error("DeleteGroupMembership",
                         {"IdentityStoreId": STORE, "MembershipId": victim["MembershipId"]},
                         "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "GROUP_MEMBERSHIP")

    # ---- validation ----------------------------------------------------------------------

    def test_malformed_ids(self):
        cases = [
            ("DescribeUser", {"IdentityStoreId": STORE, "UserId": "not-a-user-id"}, "userId"),
            ("DescribeUser", {"IdentityStoreId": "d-123", "UserId": JOHN["UserId"]}, "identityStoreId"),
            ("DescribeUser", {"IdentityStoreId": "D-1234567890", "UserId": JOHN["UserId"]},
             "identityStoreId"),
            ("DeleteUser", {"IdentityStoreId": STORE, "UserId": "9067721b72-3ecbe8a0"}, "userId"),
            ("DescribeGroup", {"IdentityStoreId": STORE, "GroupId": "Engineering"}, "groupId"),
            ("ListGroupMemberships", {"IdentityStoreId": STORE, "GroupId": "x"}, "groupId"),
            ("DeleteGroupMembership", {"IdentityStoreId": STORE, "MembershipId": "../etc"},
             "membershipId"),
            ("ListGroupMembershipsForMember", {"IdentityStoreId": STORE, "MemberId": {"UserId": "u1"}},
             "userId"),
            ("ListUsers", {"IdentityStoreId": "d-12345678901"}, "identityStoreId"),
        ]
        for op, body, member in cases:
            with self.subTest(op=op, body=body):
                err = self.error(op, body, "ValidationException")
                self.assertIn(member, err["Message"])

    def test_uppercase_uuid_is_well_formed(self):
        # ResourceId's pattern, as AWS quotes it, takes [A-Fa-f0-9] in the UUID but only
        # [0-9a-f] in the 10-digit prefix; ids are issued lowercase, so the first is not found
        prefix, uuid = JOHN["UserId"][:10], JOHN["UserId"][11:]
        err = self.error("DescribeUser", {"IdentityStoreId": STORE,
                                          "UserId": prefix + "-" + uuid.upper()},
                         "ResourceNotFoundException")
        self.assertEqual(err["ResourceType"], "USER")
        err = self.error("DescribeUser", {"IdentityStoreId": STORE,
                                          "UserId": prefix.upper() + "-" + uuid},
                         "ValidationException")
        self.assertIn("([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-", err["Message"])

    def test_missing_and_mistyped_members(self):
        err = self.error("DescribeUser", {"IdentityStoreId": STORE}, "ValidationException")
        self.assertIn("userId", err["Message"])
        err = self.error("DescribeUser", {"IdentityStoreId": STORE, "UserId": 5}, "ValidationException")
        self.assertIn("userId", err["Message"])
        # an empty body is accepted as {} (awsJson), so the store is what is missing
        err = self.error("ListUsers", b"", "ValidationException")
        self.assertIn("identityStoreId", err["Message"])

    def test_unknown_members_ignored(self):
        # operations.md: request members mockaws does not know are ignored, as AWS does
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"],
                                        "UserIdd": "typo", "FutureMember": {"x": [1]}})
        self.assertEqual(user, served(JOHN, STORE))
        self.assertEqual(len(self.ok("ListUsers", {"IdentityStoreId": STORE, "MaxResults": 2,
                                                   "NewerOption": True})["Users"]), 2)
        created = self.ok("CreateUser", {"IdentityStoreId": STORE, "UserName": "future.sdk",
                                         "DisplayName": "Future SDK", "Name": {"GivenName": "F"},
                                         "FutureMember": "ignored"})
        user = self.ok("DescribeUser", {"IdentityStoreId": STORE, "UserId": created["UserId"]})
        self.assertNotIn("FutureMember", user)

    # ---- the store and its region --------------------------------------------------------

    def test_store_answers_only_in_its_region(self):
        users = self.ok("ListUsers", {"IdentityStoreId": STORE2}, region="eu-west-1")["Users"]
        self.assertEqual(len(users), 8)
        self.assertTrue(all(u["IdentityStoreId"] == STORE2 for u in users))

        wrong_region = self.error("ListUsers", {"IdentityStoreId": STORE2},
                                  "ResourceNotFoundException", region="us-east-1")
        self.assertEqual(wrong_region["ResourceType"], "IDENTITY_STORE")
        self.assertEqual(wrong_region["ResourceId"], STORE2)
        missing = self.error("ListUsers", {"IdentityStoreId": "d-00000000aa"},
                             "ResourceNotFoundException", region="us-east-1")
        # the same answer for a store that does not exist at all
        self.assertEqual(set(missing), set(wrong_region))
        self.assertEqual(missing["ResourceType"], "IDENTITY_STORE")
        self.assertEqual(missing["Message"].replace("d-00000000aa", STORE2), wrong_region["Message"])
        # and the same for store 1 asked in eu-west-1
        self.error("DescribeUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]},
                   "ResourceNotFoundException", region="eu-west-1")

    # ---- envelopes -----------------------------------------------------------------------

    def test_success_headers(self):
        for op, body in (("ListUsers", {"IdentityStoreId": STORE, "MaxResults": 1}),
                         ("DescribeGroup", {"IdentityStoreId": STORE, "GroupId": ENGINEERING["GroupId"]}),
                         ("DeleteUser", {"IdentityStoreId": STORE, "UserId": JOHN["UserId"]})):
            status, headers, data = self.call(op, body)
            self.assertEqual(status, 200, data)
            self.assertRegex(headers.get("x-amzn-requestid", ""), r"^[0-9a-f-]{36}$")
            self.assertRegex(headers.get("date", ""),
                             r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} "
                             r"\d\d:\d\d:\d\d GMT$")
            self.assertEqual(int(headers["content-length"]), len(data))
            self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
            self.assertNotIn("x-amzn-errortype", headers)

    def test_request_ids_are_unique(self):
        ids = set()
        for _ in range(5):
            _, headers, _ = self.call("ListUsers", {"IdentityStoreId": STORE, "MaxResults": 1})
            ids.add(headers["x-amzn-requestid"])
        self.assertEqual(len(ids), 5)
        for rid in ids:  # version 4 UUIDs, as AWS sends
            self.assertRegex(rid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                  r"[0-9a-f]{12}$")

    def test_error_envelopes(self):
        # self.error checks __type, Message == message, X-Amzn-ErrorType and x-amzn-RequestId
        self.error("DescribeUser", {"IdentityStoreId": STORE, "UserId": "bad"}, "ValidationException")
        self.error("DescribeUser", {"IdentityStoreId": STORE,
                                    "UserId": "9067720000-00000000-0000-4000-8000-000000000000"},
                   "ResourceNotFoundException")
        self.error("CreateUser", {"IdentityStoreId": STORE, "UserName": "john.smith",
                                  "DisplayName": "J", "Name": {"GivenName": "J"}}, "ConflictException")
        self.error("ListUsers", {"IdentityStoreId": STORE}, "AccessDeniedException",
                   cred=CREDS["AKIAVENDORGUIDEPOL01"])
        self.error("ListUsers", {"IdentityStoreId": STORE}, "UnknownOperationException",
                   headers={"X-Amz-Target": "AWSIdentityStore.ListUsersPlease"})
        self.error("ListUsers", b"{not json", "SerializationException")

    def test_unknown_operation(self):
        for target in ("AWSIdentityStore.CreateGroupX", "AWSIdentityStore.", "AWSIdentityStore.listusers"):
            with self.subTest(target=target):
                self.error("ListUsers", {"IdentityStoreId": STORE}, "UnknownOperationException",
                           headers={"X-Amz-Target": target})

    def test_body_not_json(self):
        for body in (b"{not json", b"[]", b'"a string"', b"IdentityStoreId=d-1234567890",
                     b'{"IdentityStoreId":"d-1234567890"'):
            with self.subTest(body=body):
                self.error("ListUsers", body, "SerializationException")
