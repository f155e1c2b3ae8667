# SPDX-License-Identifier: Apache-2.0
"""test_idcctl.py - idcctl end to end against real mockaws processes, each test with its
own state folder (IDC_HOME) and an environment with no AWS configuration in it:
integrations on two stores with keys from standard input and from the environment, sync,
`users` filtered by status and search in table, JSON and CSV; delete with --dry-run, the
refusal without --yes, --yes, the audit trail and "already gone"; a sync killed with
SIGKILL; refused keys, regions and store ids; two syncs at once; key rotation; IAM users
with their derived status and the whole delete cascade; `idcctl policy` is exactly what
the flow needs, action by action; secrets never printed or logged; usage errors.
Expectations are derived from fixtures/default.json."""
import base64
import collections
import concurrent.futures
import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import tempfile
import time
import unicodedata

from mockenv import (ADMIN, CREDS, DEFAULT_FIXTURE, IDCCTL, STORE, STORE2, MockAws,
                     MockTestCase, isolated_env, raw_json, raw_query)

with open(DEFAULT_FIXTURE, encoding="utf-8") as _f:
    WORLD = json.load(_f)
STORES = {s["IdentityStoreId"]: s for s in WORLD["IdentityStores"]}
REGIONS = {s["IdentityStoreId"]: s["Region"] for s in WORLD["IdentityStores"]}
IAM_USERS = WORLD["Iam"]["Users"]
TEMP = CREDS["ASIATEMPORARYEXAMPLE"]
VENDOR = CREDS["AKIAVENDORGUIDEPOL01"]
ACCOUNT = WORLD["AccountId"]

ISO = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
CSV_HEADER = ["Integration", "UserId", "UserName", "DisplayName", "Email", "UserStatus",
              "Source", "LastSeenAt"]
# The IAM items a user can hold that DeleteUser refuses to leave behind (fixtures.md).
IAM_ITEMS = ("AccessKeys", "SigningCertificates", "SSHPublicKeys", "ServiceSpecificCredentials",
             "MFADevices", "InlinePolicies", "AttachedPolicies", "Groups")

Result = collections.namedtuple("Result", "code out err")


def email(u):
    return (u.get("Emails") or [{}])[0].get("Value", "")


def matches(u, term):
    """--search as documented: user name, display name, e-mail or id, ignoring case."""
    t = term.lower()
    return any(t in (v or "").lower() for v in (u["UserName"], u.get("DisplayName"), email(u),
                                                 u["UserId"]))


def iam_status(u):
    """The derived status: ENABLED with a console password or an active access key."""
    active = any(k["Status"] == "Active" for k in u.get("AccessKeys", []))
    return "ENABLED" if "LoginProfile" in u or active else "DISABLED"


def iam_richness(u):
    return ("LoginProfile" in u) + sum(len(u.get(k, [])) for k in IAM_ITEMS)


def memberships(store):
    """{user id: [group display names]} of a fixture store, in fixture order."""
    names = {g["GroupId"]: g["DisplayName"] for g in STORES[store].get("Groups", [])}
    out = {}
    for m in STORES[store].get("GroupMemberships", []):
        out.setdefault(m["MemberId"]["UserId"], []).append(names[m["GroupId"]])
    return out


def columns(ch):
    """Terminal columns of a character: 0 combining, 2 East Asian wide, else 1."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cut(line, starts):
    """`line` cut at these terminal columns."""
    cells, col, cur = [""] * len(starts), 0, 0
    for ch in line:
        while cur + 1 < len(starts) and col >= starts[cur + 1]:
            cur += 1
        cells[cur] += ch
        col += columns(ch)
    return [c.strip() for c in cells]


def parse_table(text):
    """Rows of an idcctl table as dicts; the columns are where the header's names start,
    in terminal columns (a wide character takes two)."""
    lines = text.splitlines()
    header = lines[0]
    names = re.split(r" {2,}", header.strip())
    starts, pos = [], 0
    for n in names:
        pos = header.index(n, pos)
        starts.append(pos)
        pos += len(n)
    return [dict(zip(names, cut(line, starts))) for line in lines[1:]]


def parse_csv(text):
    """(header, rows as dicts) of RFC 4180 CSV; checks every record ends with CRLF."""
    if text:
        body = text[:-2] if text.endswith("\r\n") else text
        # Outside quoted fields every line break is CRLF.
        outside = re.sub(r'"(?:[^"]|"")*"', "", body)
        assert "\n" not in outside.replace("\r\n", ""), "a bare LF ends a CSV record"
        assert text.endswith("\r\n"), "the last CSV record does not end with CRLF"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def fake_secret(seed):
    return base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode()[:40]


class Idcctl(MockTestCase):

    # ---- helpers -------------------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="idcctl-test-")
        self.state = os.path.join(self.tmp, "state")
        self.env = self.make_env(self.state)
        self.outputs = []

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        super().tearDown()

    def make_env(self, state):
        """isolated_env without any keys or region: idcctl gets only what a test gives it."""
        env = isolated_env(home=self.tmp)
        for k in list(env):
            if (k.startswith("AWS_") and k not in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                                                   "AWS_EC2_METADATA_DISABLED")) or \
                    k.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy") or \
                    k == "XDG_STATE_HOME":
                del env[k]
        env["IDC_HOME"] = state
        return env

    def idc(self, *args, input=None, env=None, expect=0):
        """Runs idcctl (standard input: `input`, else /dev/null, never a terminal)."""
        p = subprocess.run([IDCCTL] + list(args), input=None if input is None else input.encode(),
                           stdin=subprocess.DEVNULL if input is None else None,
                           capture_output=True, env=env or self.env, timeout=120)
        r = Result(p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))
        self.outputs.append((args, r))
        if expect is not None:
            self.assertEqual(r.code, expect, "idcctl %s exited %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(args), r.code, r.out, r.err))
        return r

    def add(self, label, store=STORE, region=None, cred=ADMIN, endpoint=None, kind=None,
            extra=(), env=None, expect=0):
        """integration add with --access-key-id and the secret on standard input."""
        args = ["integration", "add", "--label", label, "--endpoint-url",
                endpoint or self.mock.endpoint, "--access-key-id", cred["AccessKeyId"],
                "--secret-stdin"]
        if kind == "iam":
            args += ["--kind", "iam"]
        else:
            args += ["--region", region or REGIONS.get(store, "us-east-1"),
                     "--identity-store-id", store]
        return self.idc(*args, *extra, input=cred["SecretAccessKey"] + "\n", env=env,
                        expect=expect)

    def env_with_keys(self, cred, env=None):
        env = dict(env or self.env)
        env["AWS_ACCESS_KEY_ID"] = cred["AccessKeyId"]
        env["AWS_SECRET_ACCESS_KEY"] = cred["SecretAccessKey"]
        if cred.get("SessionToken"):
            env["AWS_SESSION_TOKEN"] = cred["SessionToken"]
        return env

    def users_json(self, *args, env=None):
        out = self.idc("users", *args, "--output", "json", env=env).out
        return json.loads(out)["Users"]

    def integrations(self, env=None):
        return json.loads(self.idc("integration", "list", "--output", "json",
                                   env=env).out)["Integrations"]

    def sync_line(self, out, label):
        """(users, added, removed, changed) from a sync's line for `label`."""
        m = re.search(r"^%s: (\d+) users, (\d+) added, (\d+) removed, (\d+) changed$"
                      % re.escape(label), out, re.M)
        self.assertIsNotNone(m, "no sync line for %s in:\n%s" % (label, out))
        return tuple(int(g) for g in m.groups())

    def describe_user(self, mock, user_id, store=STORE):
        status, _, body = raw_json(mock, "DescribeUser", {"IdentityStoreId": store,
                                                          "UserId": user_id},
                                   region=REGIONS[store])
        return status, json.loads(body)

    def store_user_ids(self, mock, store=STORE):
        ids, token = [], None
        while True:
            req = {"IdentityStoreId": store, "MaxResults": 100}
            if token:
                req["NextToken"] = token
            status, _, body = raw_json(mock, "ListUsers", req, region=REGIONS[store])
            self.assertEqual(status, 200, body)
            doc = json.loads(body)
            ids += [u["UserId"] for u in doc["Users"]]
            token = doc.get("NextToken")
            if not token:
                return ids

    def group_members(self, mock, group_id, store=STORE):
        status, _, body = raw_json(mock, "ListGroupMemberships",
                                   {"IdentityStoreId": store, "GroupId": group_id},
                                   region=REGIONS[store])
        self.assertEqual(status, 200, body)
        return [m["MemberId"]["UserId"] for m in json.loads(body)["GroupMemberships"]]

    def iam_call(self, mock, action, **params):
        status, _, body = raw_query(mock, dict(Action=action, **params))
        return status, body.decode()

    # ---- 1. two stores, sync, filters in three formats -------------------------------------

    def test_two_stores_sync_and_filters(self):
        self.add("L1", STORE, "us-east-1")
        # L2's keys come from the environment; later commands run without them.
        self.idc("integration", "add", "--label", "L2", "--region", "eu-west-1",
                 "--identity-store-id", STORE2, "--endpoint-url", self.mock.endpoint,
                 env=self.env_with_keys(ADMIN))
        listed = self.integrations()
        self.assertEqual([(i["Label"], i["Kind"], i["Region"], i["IdentityStoreId"])
                          for i in listed],
                         [("L1", "identitycenter", "us-east-1", STORE),
                          ("L2", "identitycenter", "eu-west-1", STORE2)])

        expected = {"L1": STORES[STORE]["Users"], "L2": STORES[STORE2]["Users"]}
        out = self.idc("sync", "--all").out
        for label, users in expected.items():
            self.assertEqual(self.sync_line(out, label), (len(users), len(users), 0, 0))
        self.assertEqual({i["Label"]: (i["Users"], i["LastResult"]) for i in self.integrations()},
                         {label: (len(u), "ok") for label, u in expected.items()})
        # the same listings as CSV: the JSON's fields, one record per row
        header, rows = parse_csv(self.idc("integration", "list", "--output", "csv").out)
        self.assertEqual(header[:4], ["Label", "Kind", "Region", "IdentityStoreId"])
        self.assertEqual({r["Label"]: (int(r["Users"]), r["LastResult"]) for r in rows},
                         {label: (len(u), "ok") for label, u in expected.items()})
        header, rows = parse_csv(self.idc("sync-runs", "--output", "csv").out)
        self.assertIn("Result", header)
        self.assertEqual(sorted((r["Label"], r["Result"], int(r["Users"])) for r in rows),
                         sorted((label, "ok", len(u)) for label, u in expected.items()))

        every = self.users_json()
        self.assertEqual(len(every), sum(len(u) for u in expected.values()))
        got = {(u["Integration"], u["UserId"]): u for u in every}
        for label, users in expected.items():
            for fu in users:
                u = got[(label, fu["UserId"])]
                self.assertEqual(u["UserName"], fu["UserName"])
                self.assertEqual(u["DisplayName"], fu["DisplayName"])
                self.assertEqual(u.get("UserStatus"), fu.get("UserStatus"), fu["UserName"])
                self.assertEqual(u["Source"], "external" if fu.get("ExternalIds") else "local")
                self.assertRegex(u["FirstSeenAt"], ISO)
                self.assertRegex(u["LastSeenAt"], ISO)

        def want(status=None, term=None):
            return sorted((label, u["UserId"]) for label, users in expected.items()
                          for u in users
                          if (status is None or u.get("UserStatus") == status)
                          and (term is None or matches(u, term)))

        # Each search term reaches a different field; '_' and '%' must match themselves.
        only_display = "o'BRIEN"
        self.assertFalse(any(only_display.lower() in (u["UserName"] + email(u)).lower()
                             for users in expected.values() for u in users))
        cases = [
            (("--status", "DISABLED"), want("DISABLED")),
            (("--status", "ENABLED"), want("ENABLED")),
            (("--search", "LUKASZ"), want(term="LUKASZ")),           # user name, e-mail
            (("--search", only_display), want(term=only_display)),   # display name only
            (("--search", "@EXAMPLE.COM"), want(term="@EXAMPLE.COM")),  # e-mail
            (("--search", "C3D41F"), want(term="C3D41F")),           # ids of store 2
            (("--status", "DISABLED", "--search", "Example"), want("DISABLED", "Example")),
            (("--label", "L2", "--status", "DISABLED"),
             [k for k in want("DISABLED") if k[0] == "L2"]),
            (("--search", "_"), []),
            (("--search", "%"), []),
        ]
        no_status = [u for users in expected.values() for u in users if "UserStatus" not in u]
        self.assertTrue(no_status)  # they must show in neither --status listing
        self.assertEqual(len(want("DISABLED")) + len(want("ENABLED")) + len(no_status),
                         len(every))
        for args, expect in cases:
            with self.subTest(args=args):
                if "_" not in args and "%" not in args:
                    self.assertTrue(expect, "a case that cannot fail: %s" % (args,))
                js = self.users_json(*args)
                self.assertEqual(sorted((u["Integration"], u["UserId"]) for u in js), expect)
                for u in js:
                    for key in ("Integration", "Source", "FirstSeenAt", "LastSeenAt",
                                "UserStatus"):
                        self.assertIn(key, u)

                text = self.idc("users", *args, "--output", "csv").out
                header, rows = parse_csv(text)
                self.assertEqual(header, CSV_HEADER)
                self.assertEqual(sorted((r["Integration"], r["UserId"]) for r in rows), expect)
                for r in rows:
                    u = got[(r["Integration"], r["UserId"])]
                    self.assertEqual([r["UserName"], r["DisplayName"], r["Email"],
                                      r["UserStatus"], r["Source"], r["LastSeenAt"]],
                                     [u["UserName"], u["DisplayName"], email(u),
                                      u["UserStatus"] or "", u["Source"], u["LastSeenAt"]])

                table = parse_table(self.idc("users", *args).out)
                self.assertEqual(sorted((r["LABEL"], r["USER ID"]) for r in table), expect)
                for r in table:
                    u = got[(r["LABEL"], r["USER ID"])]
                    self.assertEqual([r["USER NAME"], r["DISPLAY NAME"], r["STATUS"]],
                                     [u["UserName"], u["DisplayName"], u["UserStatus"] or "-"])

    # ---- 2. delete: dry run, refusal, --yes, sync, audit, already gone -----------------------

    def test_delete_dry_run_refusal_yes_and_audit(self):
        self.add("L1")
        self.idc("sync", "--label", "L1")
        groups = memberships(STORE)
        victim = max(STORES[STORE]["Users"], key=lambda u: len(groups.get(u["UserId"], [])))
        uid, name = victim["UserId"], victim["UserName"]
        names = groups[uid]
        self.assertGreater(len(names), 1)
        group_ids = {g["DisplayName"]: g["GroupId"] for g in STORES[STORE]["Groups"]}
        total = len(STORES[STORE]["Users"])

        r = self.idc("users", "delete", "--label", "L1", "--user-name", name, "--dry-run")
        self.assertIn("dry run: nothing deleted", r.out)
        self.assertIn("groups: " + ", ".join(names), r.out)
        self.assertEqual(self.describe_user(self.mock, uid)[0], 200)
        for g in names:
            self.assertIn(uid, self.group_members(self.mock, group_ids[g]))
        live = self.users_json("--live", "--label", "L1", "--search", name)
        self.assertEqual([u["UserId"] for u in live], [uid])

        # Standard input is /dev/null: nobody to ask, so no delete without --yes.
        r = self.idc("users", "delete", "--label", "L1", "--user-name", name, expect=2)
        self.assertIn("--yes", r.err)
        self.assertEqual(self.describe_user(self.mock, uid)[0], 200)
        self.assertEqual(len(self.store_user_ids(self.mock)), total)

        r = self.idc("users", "delete", "--label", "L1", "--user-name", name, "--yes")
        for g in names:
            self.assertIn("removed from group %s\n" % g, r.out)
        self.assertIn("%s deleted\n" % name, r.out)
        status, body = self.describe_user(self.mock, uid)
        self.assertEqual((status, body.get("__type")), (400, "ResourceNotFoundException"))
        for g in names:
            self.assertNotIn(uid, self.group_members(self.mock, group_ids[g]))
        remaining = self.store_user_ids(self.mock)
        self.assertEqual(sorted(remaining),
                         sorted(u["UserId"] for u in STORES[STORE]["Users"] if u is not victim))

        out = self.idc("sync", "--label", "L1").out
        self.assertEqual(self.sync_line(out, "L1")[0], total - 1)
        self.assertEqual(self.users_json("--search", name), [])
        self.assertNotIn(uid, [u["UserId"] for u in self.users_json("--label", "L1")])
        self.assertEqual(len(self.users_json("--label", "L1")), total - 1)

        rows = parse_table(self.idc("audit").out)
        self.assertEqual([(r["INTEGRATION"], r["USER ID"], r["USER NAME"], r["ACTION"], r["RESULT"])
                          for r in rows], [("L1", uid, name, "delete-user", "ok")])
        audit = json.loads(self.idc("audit", "--output", "json").out)["Audit"]
        self.assertEqual(len(audit), 1)
        self.assertEqual({k: audit[0][k] for k in ("Integration", "UserId", "UserName", "Action",
                                                   "Result")},
                         {"Integration": "L1", "UserId": uid, "UserName": name,
                          "Action": "delete-user", "Result": "ok"})
        self.assertRegex(audit[0]["At"], ISO)

        for key in (["--user-name", name], ["--user-id", uid]):
            r = self.idc("users", "delete", "--label", "L1", *key, "--yes")
            self.assertRegex(r.out + r.err, r"already gone")
        self.assertEqual(len(self.store_user_ids(self.mock)), total - 1)
        audit = json.loads(self.idc("audit", "--output", "json").out)["Audit"]
        self.assertEqual(sorted(e["Result"] for e in audit), ["already-gone", "already-gone", "ok"])

    def test_delete_in_a_missing_store_is_not_already_gone(self):
        # Identity Store answers ResourceNotFoundException for a missing user and for a
        # missing store (or one in another region): only the first means "already gone"
        victim = STORES[STORE]["Users"][0]
        for store, region in (("d-0000000000", REGIONS[STORE]), (STORE, "eu-north-1")):
            with self.subTest(store=store, region=region):
                r = self.idc("users", "delete", "--region", region, "--identity-store-id", store,
                             "--endpoint-url", self.mock.endpoint, "--user-id", victim["UserId"],
                             "--yes", env=self.env_with_keys(ADMIN), expect=3)
                self.assertIn("store %s not found in region %s: check both" % (store, region),
                              r.err)
                self.assertNotIn("already gone", r.out + r.err)
        self.assertEqual(self.describe_user(self.mock, victim["UserId"])[0], 200)
        self.assertEqual(json.loads(self.idc("audit", "--output", "json").out)["Audit"], [])

    def test_delete_by_id_of_a_recreated_iam_user(self):
        # IAM gives a user created again its old name with a new id: a delete by the old id
        # must not reach the new user, although the inventory maps that id to the name
        self.add("iam", kind="iam")
        self.idc("sync", "--label", "iam")
        victim = next(u for u in IAM_USERS if u["UserName"] == "dave")
        name, old_id = victim["UserName"], victim["UserId"]
        self.idc("users", "delete", "--label", "iam", "--user-name", name, "--yes")
        status, body = self.iam_call(self.mock, "CreateUser", UserName=name)
        self.assertEqual(status, 200, body)
        new_id = re.search(r"<UserId>([^<]+)</UserId>", body).group(1)
        self.assertNotEqual(new_id, old_id)
        self.idc("sync", "--label", "iam")  # the inventory now knows the new user ...
        # ... and an old audit or script still names the old id
        r = self.idc("users", "delete", "--label", "iam", "--user-id", old_id, "--yes")
        self.assertIn("already gone", r.out)
        status, body = self.iam_call(self.mock, "GetUser", UserName=name)
        self.assertEqual(status, 200, body)
        self.assertIn("<UserId>%s</UserId>" % new_id, body)

    # ---- 3. SIGKILL during a sync ------------------------------------------------------------

    def test_sigkill_during_sync_keeps_inventory(self):
        self.add("L")
        self.idc("sync", "--label", "L")
        before_json = self.idc("users", "--label", "L", "--output", "json").out
        before_table = self.idc("users", "--label", "L").out
        base = len(STORES[STORE]["Users"])
        synthetic = 2000
        pages = math.ceil((base + synthetic) / 100)
        with MockAws("--synthetic-users", str(synthetic), "--latency-ms", "40") as slow:
            self.idc("integration", "update", "L", "--endpoint-url", slow.endpoint)
            self.assertEqual([e["operation"] for e in slow.wait_log(1)], ["ListUsers"])

            p = subprocess.Popen([IDCCTL, "sync", "--label", "L"], env=self.env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            deadline = time.monotonic() + 20
            while len(slow.log()) < 4:  # the update's call, then three pages
                self.assertIsNone(p.poll(), "the sync ended before it could be killed")
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.005)
            os.kill(p.pid, signal.SIGKILL)
            p.communicate(timeout=20)
            self.assertEqual(p.returncode, -signal.SIGKILL)
            self.assertLess(len(slow.wait_log(pages + 1, timeout=0.3)) - 1, pages,
                            "every page was served: the sync was not killed mid-way")

            self.assertEqual(self.idc("users", "--label", "L", "--output", "json").out,
                             before_json)
            self.assertEqual(self.idc("users", "--label", "L").out, before_table)
            runs = json.loads(self.idc("sync-runs", "--label", "L", "--output",
                                       "json").out)["SyncRuns"]
            self.assertEqual([r["Result"] for r in runs], ["failed", "ok"])
            self.assertIn("interrupted", runs[0]["Error"])
            self.assertIn(str(p.pid), runs[0]["Error"])
            table = parse_table(self.idc("sync-runs", "--label", "L").out)
            self.assertEqual(table[0]["RESULT"], "failed")
            self.assertIn("interrupted", table[0]["ERROR"])
            self.assertEqual([(i["Users"], i["LastResult"]) for i in self.integrations()],
                             [(base, "ok")])

            out = self.idc("sync", "--label", "L").out
            self.assertEqual(self.sync_line(out, "L"), (base + synthetic, synthetic, 0, 0))
            users = self.users_json("--label", "L")
            self.assertEqual(len(users), base + synthetic)
            disabled = sum(1 for u in STORES[STORE]["Users"] if u.get("UserStatus") == "DISABLED")
            disabled += sum(1 for i in range(synthetic) if i % 7 == 6)  # fixtures.md
            self.assertEqual(len(self.users_json("--label", "L", "--status", "DISABLED")),
                             disabled)
            runs = json.loads(self.idc("sync-runs", "--label", "L", "--output",
                                       "json").out)["SyncRuns"]
            self.assertEqual([r["Result"] for r in runs], ["ok", "failed", "ok"])
            self.assertIn("interrupted", runs[1]["Error"])

    # ---- 4. refused keys, region and store id ------------------------------------------------

    def test_add_refuses_wrong_secret_key_region_store(self):
        secret = ADMIN["SecretAccessKey"]
        wrong = dict(ADMIN, SecretAccessKey=secret[:-4] + ("AAAA" if secret[-4:] != "AAAA"
                                                           else "BBBB"))
        r = self.add("L", cred=wrong, expect=None)
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("secret access key does not match", r.err)
        self.assertNotIn(wrong["SecretAccessKey"], r.out + r.err)

        unknown = {"AccessKeyId": "AKIAUNKNOWNKEYID0001", "SecretAccessKey": secret}
        self.assertNotIn(unknown["AccessKeyId"], CREDS)
        r = self.add("L", cred=unknown, expect=None)
        self.assertEqual(r.code, 1, r.err)
        self.assertIn(unknown["AccessKeyId"], r.err)

        other = next(s for s in REGIONS.values() if s != REGIONS[STORE])
        r = self.add("L", STORE, region=other, expect=3)
        self.assertIn("%s not found in region %s" % (STORE, other), r.err)

        calls = len(self.mock.wait_log(3))
        for bad in ("d-12345", "d-123456789g", "1234567890"):
            r = self.add("L", bad, region="us-east-1", expect=2)
            self.assertIn(bad, r.err)
        self.assertEqual(self.integrations(), [])
        time.sleep(0.05)
        self.assertEqual(len(self.mock.log()), calls, "a bad store id was sent to AWS")

    # ---- 5. two syncs at once -----------------------------------------------------------------

    def test_concurrent_syncs(self):
        with MockAws("--latency-ms", "20") as slow:
            self.add("L1", STORE, endpoint=slow.endpoint)
            self.add("L2", STORE2, endpoint=slow.endpoint)
            procs = [subprocess.Popen([IDCCTL, "sync", "--all"], env=self.env,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE) for _ in range(2)]
            done = [p.communicate(timeout=60) for p in procs]
            for p, (out, err) in zip(procs, done):
                self.assertEqual(p.returncode, 0, err.decode())
            outs = [out.decode() for out, _ in done]
            for label, store in (("L1", STORE), ("L2", STORE2)):
                n = len(STORES[store]["Users"])
                lines = [self.sync_line(o, label) for o in outs]
                self.assertEqual([l[0] for l in lines], [n, n])
                self.assertEqual(sorted(l[1] for l in lines), [0, n])  # one run added them
            self.assertEqual(len(self.users_json()),
                             len(STORES[STORE]["Users"]) + len(STORES[STORE2]["Users"]))
            runs = json.loads(self.idc("sync-runs", "--output", "json").out)["SyncRuns"]
            self.assertEqual([r["Result"] for r in runs], ["ok"] * 4)

        db = os.path.join(self.state, "inventory.db")
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            self.assertEqual(con.execute("SELECT integration, count(*) FROM users GROUP BY 1"
                                         " ORDER BY 1").fetchall(),
                             [("L1", len(STORES[STORE]["Users"])),
                              ("L2", len(STORES[STORE2]["Users"]))])
        finally:
            con.close()

    # ---- 6. key rotation ----------------------------------------------------------------------

    def test_key_rotation(self):
        new = {"AccessKeyId": "AKIAROTATEDKEY000002", "SecretAccessKey": fake_secret("rotated"),
               "Arn": ADMIN["Arn"],
               "Policy": {"Version": "2012-10-17",
                          "Statement": [{"Effect": "Allow", "Action": "identitystore:*",
                                         "Resource": "*"}]}}
        self.assertNotIn(new["AccessKeyId"], CREDS)
        extra = os.path.join(self.tmp, "rotated.json")
        with open(extra, "w", encoding="utf-8") as f:
            json.dump({"Credentials": [new]}, f)
        n = len(STORES[STORE]["Users"])
        with MockAws(fixtures=[DEFAULT_FIXTURE, extra]) as m:
            self.add("L", endpoint=m.endpoint)
            self.idc("sync", "--label", "L")
            seen = len(m.wait_log(2))

            wrong = dict(new, SecretAccessKey=ADMIN["SecretAccessKey"])
            r = self.idc("integration", "update", "L", "--access-key-id", new["AccessKeyId"],
                         "--secret-stdin", input=wrong["SecretAccessKey"] + "\n", expect=None)
            self.assertEqual(r.code, 1, r.err)
            self.assertIn("secret access key does not match", r.err)
            log = m.wait_log(seen + 1)[seen:]
            self.assertEqual([(e["access_key_id"], e["error_code"]) for e in log],
                             [(new["AccessKeyId"], "InvalidSignatureException")])
            seen += 1

            out = self.idc("sync", "--label", "L").out
            self.assertEqual(self.sync_line(out, "L")[0], n)
            log = m.wait_log(seen + 1)[seen:]
            self.assertEqual({e["access_key_id"] for e in log}, {ADMIN["AccessKeyId"]})
            seen += len(log)

            r = self.idc("integration", "update", "L", "--access-key-id", new["AccessKeyId"],
                         "--secret-stdin", input=new["SecretAccessKey"] + "\n")
            self.assertIn("updated and checked", r.out)
            out = self.idc("sync", "--label", "L").out
            self.assertEqual(self.sync_line(out, "L")[0], n)
            log = m.wait_log(seen + 2)[seen:]
            self.assertGreaterEqual(len(log), 2)  # the update's check, then the sync
            self.assertEqual({(e["access_key_id"], e["status"]) for e in log},
                             {(new["AccessKeyId"], 200)})

    def test_profile_integration_failure_is_recorded(self):
        # an integration that reads its keys from a profile at each use: when the profile
        # loses them, the sync fails before any call, and that is recorded like any failure
        creds = self.env["AWS_SHARED_CREDENTIALS_FILE"]
        with open(creds, "w", encoding="utf-8") as f:
            f.write("[ops]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                    % (ADMIN["AccessKeyId"], ADMIN["SecretAccessKey"]))
        self.idc("integration", "add", "--label", "P", "--region", "us-east-1",
                 "--identity-store-id", STORE, "--endpoint-url", self.mock.endpoint,
                 "--profile", "ops")
        self.assertEqual(self.sync_line(self.idc("sync", "--label", "P").out, "P")[0],
                         len(STORES[STORE]["Users"]))
        with open(creds, "w", encoding="utf-8") as f:
            f.write("[ops]\nregion = us-east-1\n")
        r = self.idc("sync", "--label", "P", expect=1)
        self.assertIn("profile 'ops'", r.err)
        runs = json.loads(self.idc("sync-runs", "--output", "json").out)["SyncRuns"]
        self.assertEqual(runs[0]["Result"], "failed")
        self.assertIn("has no aws_access_key_id", runs[0]["Error"])
        listed = {i["Label"]: i for i in self.integrations()}
        self.assertEqual(listed["P"]["LastResult"], "failed")
        self.assertEqual(listed["P"]["Users"], len(STORES[STORE]["Users"]))  # kept

    # ---- 7. IAM users --------------------------------------------------------------------------

    def test_iam_status_and_cascade_delete(self):
        self.add("iam", kind="iam")
        out = self.idc("sync", "--label", "iam").out
        self.assertEqual(self.sync_line(out, "iam"), (len(IAM_USERS), len(IAM_USERS), 0, 0))
        self.assertEqual({iam_status(u) for u in IAM_USERS}, {"ENABLED", "DISABLED"})

        got = {u["UserName"]: u for u in self.users_json("--label", "iam")}
        self.assertEqual(sorted(got), sorted(u["UserName"] for u in IAM_USERS))
        for fu in IAM_USERS:
            u = got[fu["UserName"]]
            active = sum(1 for k in fu.get("AccessKeys", []) if k["Status"] == "Active")
            self.assertEqual((u["UserId"], u["UserStatus"], u["ConsoleAccess"],
                              u["ActiveAccessKeys"], u["Integration"]),
                             (fu["UserId"], iam_status(fu), "LoginProfile" in fu, active, "iam"),
                             fu["UserName"])
            self.assertEqual(u["Arn"], "arn:aws:iam::%s:user%s%s"
                             % (ACCOUNT, fu.get("Path", "/"), fu["UserName"]))
        table = parse_table(self.idc("users", "--label", "iam", "--status", "DISABLED").out)
        self.assertEqual(sorted(r["USER NAME"] for r in table),
                         sorted(u["UserName"] for u in IAM_USERS if iam_status(u) == "DISABLED"))

        comma = next(u["UserName"] for u in IAM_USERS if "," in u["UserName"])
        text = self.idc("users", "--label", "iam", "--search", comma, "--output", "csv").out
        self.assertIn('"%s"' % comma, text)
        self.assertEqual([r["UserName"] for r in parse_csv(text)[1]], [comma])

        victim = max(IAM_USERS, key=iam_richness)
        name = victim["UserName"]
        self.assertIn("LoginProfile", victim)
        for item in IAM_ITEMS:
            self.assertTrue(victim.get(item), "%s has no %s" % (name, item))
        r = self.idc("users", "delete", "--label", "iam", "--user-name", name, "--yes")
        self.assertIn("groups: " + ", ".join(victim["Groups"]), r.out)
        done = [
            ("delete login profile", None),
            *[("delete access key", k["AccessKeyId"]) for k in victim["AccessKeys"]],
            *[("delete signing certificate", c["CertificateId"])
              for c in victim["SigningCertificates"]],
            *[("delete SSH public key", k["SSHPublicKeyId"]) for k in victim["SSHPublicKeys"]],
            *[("delete service-specific credential", c["ServiceSpecificCredentialId"])
              for c in victim["ServiceSpecificCredentials"]],
            *[("deactivate MFA device", d["SerialNumber"]) for d in victim["MFADevices"]],
            *[("delete virtual MFA device", d["SerialNumber"]) for d in victim["MFADevices"]
              if d["SerialNumber"].startswith("arn:")],
            *[("delete inline policy", p["PolicyName"]) for p in victim["InlinePolicies"]],
            *[("detach policy", p["PolicyArn"]) for p in victim["AttachedPolicies"]],
            *[("remove from group", g) for g in victim["Groups"]],
            ("delete user", None),
        ]
        for step, item in done:
            self.assertIn("  %s%s: done\n" % (step, " " + item if item else ""), r.out)
        self.assertIn("%s deleted\n" % name, r.out)

        for action in ("GetUser", "ListAccessKeys", "ListGroupsForUser", "ListMFADevices"):
            status, body = self.iam_call(self.mock, action, UserName=name)
            self.assertEqual(status, 404, "%s: %s" % (action, body))
            self.assertIn("<Code>NoSuchEntity</Code>", body)
        status, body = self.iam_call(self.mock, "ListUsers")
        self.assertEqual(status, 200, body)
        self.assertEqual(sorted(re.findall(r"<UserName>([^<]*)</UserName>", body)),
                         sorted(u["UserName"] for u in IAM_USERS if u is not victim))

        out = self.idc("sync", "--label", "iam").out
        self.assertEqual(self.sync_line(out, "iam")[0], len(IAM_USERS) - 1)
        self.assertNotIn(name, [u["UserName"] for u in self.users_json("--label", "iam")])
        audit = json.loads(self.idc("audit", "--label", "iam", "--output", "json").out)["Audit"]
        self.assertEqual([(a["UserName"], a["Result"]) for a in audit], [(name, "ok")])

        # Temporary keys (a role session) make an IAM integration too.
        r = self.idc("integration", "add", "--label", "iam-session", "--kind", "iam",
                     "--endpoint-url", self.mock.endpoint, env=self.env_with_keys(TEMP))
        self.assertIn("session token", r.err)
        out = self.idc("sync", "--label", "iam-session").out
        self.assertEqual(self.sync_line(out, "iam-session")[0], len(IAM_USERS) - 1)

    # ---- 8. the printed policy is exactly what the flow needs ----------------------------------

    def policy_actions(self, kind):
        doc = json.loads(self.idc("policy", *(["--kind", "iam"] if kind == "iam" else [])).out)
        actions = []
        for st in doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]:
            self.assertEqual((st["Effect"], st["Resource"]), ("Allow", "*"))
            actions += st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        self.assertEqual(len(actions), len(set(actions)))
        return doc, actions

    def flow(self, fixtures, cred, kind, victim, steps_ops=None):
        """add, sync, users delete --yes with `cred` in a fresh state folder and a fresh
        mockaws; returns [(step, Result)] up to the first failure. With `steps_ops` (a dict),
        records the actions each step called."""
        env = self.make_env(tempfile.mkdtemp(prefix="state-", dir=self.tmp))
        # --debug when recording: each "< HTTP" trace line is an answer mockaws logs
        debug = ["--debug"] if steps_ops is not None else []
        steps = [("add", lambda m: self.add("P", cred=cred, endpoint=m.endpoint, kind=kind,
                                            env=env, expect=None, extra=debug)),
                 ("sync", lambda m: self.idc("sync", "--label", "P", *debug, env=env,
                                             expect=None)),
                 ("delete", lambda m: self.idc("users", "delete", "--label", "P", "--user-name",
                                               victim, "--yes", *debug, env=env, expect=None))]
        done = []
        with MockAws(fixtures=fixtures) as m:
            for step, run in steps:
                before = len(m.log())
                r = run(m)
                done.append((step, r))
                if steps_ops is not None:
                    answered = r.err.count("debug: < HTTP ")
                    log = m.wait_log(before + answered)
                    self.assertEqual(len(log), before + answered, "mockaws logged every answer")
                    steps_ops[step] = {"%s:%s" % (e["service"], e["operation"])
                                       for e in log[before:]}
                if r.code != 0:
                    break
        return done

    def check_policy(self, kind, victim):
        doc, actions = self.policy_actions(kind)
        creds = [{"AccessKeyId": "AKIAPOLICY%sFULL" % kind.upper()[:3], "Policy": doc}]
        for i, action in enumerate(actions):
            less = json.loads(json.dumps(doc))
            less["Statement"][0]["Action"] = [a for a in actions if a != action]
            creds.append({"AccessKeyId": "AKIAPOLICY%sLESS%02d" % (kind.upper()[:3], i),
                          "Policy": less})
        for c in creds:
            c["SecretAccessKey"] = fake_secret(c["AccessKeyId"])
            c["Arn"] = "arn:aws:iam::%s:user/policy-test" % ACCOUNT
        path = os.path.join(self.tmp, "policy-%s.json" % kind)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"Credentials": creds}, f)
        fixtures = [DEFAULT_FIXTURE, path]

        ops = {}
        done = self.flow(fixtures, creds[0], kind, victim, ops)
        for step, r in done:
            self.assertEqual(r.code, 0, "%s with the printed policy: %s%s" % (step, r.out, r.err))
        self.assertEqual(len(done), 3)
        self.assertIn("%s deleted" % victim, done[2][1].out)
        used = set().union(*ops.values())
        self.assertEqual(used, set(actions), "the policy differs from what the flow calls")

        # One mockaws and state folder per action (a delete changes the world), four at once.
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            runs = list(pool.map(lambda c: self.flow(fixtures, c, kind, victim), creds[1:]))
        for action, got in zip(actions, runs):
            with self.subTest(action=action):
                needs = next(step for step, _ in done if action in ops[step])
                self.assertEqual([s for s, _ in got][-1], needs)
                for step, r in got[:-1]:
                    self.assertEqual(r.code, 0, "%s: %s%s" % (step, r.out, r.err))
                r = got[-1][1]
                self.assertEqual(r.code, 4, "%s without %s: %s%s" % (needs, action, r.out, r.err))
                self.assertIn(action, r.out + r.err)

    def test_policy_identity_center_is_exact(self):
        groups = memberships(STORE)
        victim = max(STORES[STORE]["Users"], key=lambda u: len(groups.get(u["UserId"], [])))
        self.check_policy("identitycenter", victim["UserName"])

        # The vendor guide's policy (iam: actions only) cannot list Identity Center users.
        r = self.add("V", cred=VENDOR, expect=4)
        self.assertIn("identitystore:ListUsers", r.err)
        self.assertEqual(self.integrations(), [])

    def test_policy_iam_is_exact(self):
        self.check_policy("iam", max(IAM_USERS, key=iam_richness)["UserName"])

    # ---- 9. secrets never leak ---------------------------------------------------------------

    def test_secrets_never_leak(self):
        wrong = fake_secret("typo")
        secrets = [ADMIN["SecretAccessKey"], TEMP["SecretAccessKey"], TEMP["SessionToken"], wrong]
        victim = STORES[STORE]["Users"][-1]["UserName"]
        self.add("L1", extra=["--debug"])
        self.idc("integration", "add", "--label", "L2", "--region", REGIONS[STORE2],
                 "--identity-store-id", STORE2, "--endpoint-url", self.mock.endpoint, "--debug",
                 env=self.env_with_keys(TEMP))
        r = self.add("L3", cred=dict(ADMIN, SecretAccessKey=wrong), extra=["--debug"],
                     expect=None)
        self.assertEqual(r.code, 1, r.err)
        self.idc("integration", "update", "L1", "--access-key-id", ADMIN["AccessKeyId"],
                 "--secret-stdin", "--debug", input=ADMIN["SecretAccessKey"] + "\n")
        self.idc("integration", "test", "L2", "--debug")
        self.idc("sync", "--all", "--debug")
        self.idc("sync", "--all", "--debug", "--output", "json")
        self.idc("users", "--debug")
        self.idc("users", "--debug", "--output", "json")
        self.idc("users", "--live", "--label", "L2", "--debug", "--output", "csv")
        self.idc("users", "show", "--label", "L1", "--user-name", victim, "--debug")
        self.idc("users", "delete", "--label", "L1", "--user-name", victim, "--yes", "--debug")
        self.idc("integration", "list", "--debug")
        listed = self.idc("integration", "list", "--output", "json", "--debug").out
        self.idc("sync-runs", "--debug")
        self.idc("audit", "--debug", "--output", "json")

        traced = "".join(r.err for _, r in self.outputs)
        self.assertIn("Authorization: AWS4-HMAC-SHA256 Credential=%s/" % ADMIN["AccessKeyId"],
                      traced)  # --debug did print the requests
        self.assertIn("Credential=%s/" % TEMP["AccessKeyId"], traced)
        for args, r in self.outputs:
            for s in secrets:
                self.assertNotIn(s, r.out, "idcctl %s printed a secret" % " ".join(args))
                self.assertNotIn(s, r.err, "idcctl %s printed a secret" % " ".join(args))
        for i in json.loads(listed)["Integrations"]:
            self.assertFalse([k for k in i if "secret" in k.lower() or "token" in k.lower()], i)
        with open(self.mock.log_path, encoding="utf-8") as f:
            log = f.read()
        self.assertIn(ADMIN["AccessKeyId"], log)
        for s in secrets:
            self.assertNotIn(s, log)
            self.assertNotIn(s, self.mock.read_stderr())

        self.assertEqual(stat.S_IMODE(os.stat(self.state).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.state, "inventory.db")).st_mode),
                         0o600)
        for name in os.listdir(self.state):
            mode = stat.S_IMODE(os.stat(os.path.join(self.state, name)).st_mode)
            self.assertEqual(mode & 0o077, 0, "%s is mode %o" % (name, mode))

    # ---- 10. usage -----------------------------------------------------------------------------

    def test_usage_errors(self):
        commands = [[], ["integration"], ["integration", "add"], ["integration", "list"],
                    ["integration", "test"], ["integration", "update"], ["integration", "remove"],
                    ["sync"], ["sync-runs"], ["users"], ["users", "show"], ["users", "delete"],
                    ["audit"], ["policy"], ["sigv4"], ["sigv4", "sign"], ["sigv4", "verify"],
                    ["sigv4", "speed"]]
        for cmd in commands:
            with self.subTest(cmd=cmd):
                r = self.idc(*cmd, "--help")
                self.assertIn("usage: idcctl", r.out)
                r = self.idc(*cmd, "--no-such-option", expect=2)
                self.assertIn("hint: run 'idcctl", r.err)
                self.assertEqual(r.out, "")

        r = self.idc("sync", expect=2)
        self.assertIn("--label", r.err)
        self.assertIn("--all", r.err)
        self.assertIn("hint:", r.err)

        strays = [["sync", "--all", "stray"], ["sync", "stray"], ["sync-runs", "stray"],
                  ["users", "stray"], ["users", "--label", "L", "stray"],
                  ["users", "show", "--label", "L", "stray"],
                  ["users", "delete", "--label", "L", "stray", "--yes"],
                  ["audit", "stray"], ["policy", "stray"], ["integration", "list", "stray"],
                  ["integration", "test", "L", "stray"], ["integration", "update", "L", "stray"],
                  ["integration", "remove", "L", "stray"],
                  ["integration", "add", "--label", "L", "--region", "us-east-1",
                   "--identity-store-id", STORE, "stray"],
                  ["sigv4", "speed", "stray"]]
        for cmd in strays:
            with self.subTest(cmd=cmd):
                r = self.idc(*cmd, expect=2)
                self.assertIn("stray", r.err)
        r = self.idc("users", "delete", "--label", "L", "alice", "--yes", expect=2)
        self.assertIn("--user-name", r.err)
        self.assertEqual(self.mock.log() if os.path.exists(self.mock.log_path) else [], [])

    def test_add_refuses_a_label_that_reads_as_an_option(self):
        # `--label --all` takes "--all" as the label: refused, and nothing is stored that
        # `integration remove` could only reach after `--`
        for label in ("--all", "-x", "-"):
            with self.subTest(label=label):
                r = self.add(label, expect=2)
                self.assertIn("not starting with '-'", r.err)
                self.assertIn("it would read as an option", r.err)
        for label in ("bad label", "a/b", "x" * 65, ""):
            with self.subTest(label=label):
                r = self.add(label, expect=2)
                self.assertIn("1 to 64 letters", r.err)
                self.assertNotIn("read as an option", r.err)
        self.add("ok-label.1_x")
        self.assertEqual([i["Label"] for i in self.integrations()], ["ok-label.1_x"])
