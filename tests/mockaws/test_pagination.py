# SPDX-License-Identifier: Apache-2.0
"""test_pagination.py - ListUsers paging through real sockets: every user exactly once over
250 synthetic users plus the fixture's, tokens that survive deletions, tokens that are
refused when forged or reused for another store, and the MaxResults bounds."""
import json

from mockenv import STORE, MockTestCase, raw_json


def list_all(mock, page_size, on_page=None):
    """Every user, page by page; returns (users, pages)."""
    users, pages, token = [], 0, None
    while True:
        body = {"IdentityStoreId": STORE, "MaxResults": page_size}
        if token:
            body["NextToken"] = token
        status, _, data = raw_json(mock, "ListUsers", body)
        assert status == 200, data
        page = json.loads(data)
        users += page["Users"]
        pages += 1
        if on_page:
            on_page(page)
        token = page.get("NextToken")
        if not token:
            return users, pages


class Pagination(MockTestCase):
    mock_args = ("--synthetic-users", "250")

    def test_each_user_exactly_once(self):
        users, pages = list_all(self.mock, 100)
        ids = [u["UserId"] for u in users]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), 280)  # 30 from the fixture, 250 synthetic
        self.assertEqual(pages, 3)

    def test_page_sizes(self):
        sizes = []
        list_all(self.mock, 7, lambda page: sizes.append(len(page["Users"])))
        self.assertEqual(sum(sizes), 280)
        self.assertTrue(all(s == 7 for s in sizes[:-1]))
        self.assertEqual(sizes[-1], 280 - 7 * (len(sizes) - 1))

    def test_deleting_while_paginating(self):
        seen, deleted = [], set()

        def delete_ahead(page):
            # delete the first user of what should be the next page, and one already seen
            seen.extend(u["UserId"] for u in page["Users"])
            status, _, data = raw_json(self.mock, "ListUsers",
                                       {"IdentityStoreId": STORE, "MaxResults": 1,
                                        "NextToken": page["NextToken"]} if page.get("NextToken")
                                       else {"IdentityStoreId": STORE, "MaxResults": 1})
            ahead = json.loads(data)["Users"]
            for victim in ([ahead[0]["UserId"]] if page.get("NextToken") and ahead else []) + \
                    [page["Users"][0]["UserId"]]:
                status, _, data = raw_json(self.mock, "DeleteUser",
                                           {"IdentityStoreId": STORE, "UserId": victim})
                self.assertEqual(status, 200, data)
                deleted.add(victim)

        users, _ = list_all(self.mock, 50, delete_ahead)
        ids = [u["UserId"] for u in users]
        self.assertEqual(len(ids), len(set(ids)), "a user came twice")
        remaining, _ = list_all(self.mock, 100)
        remaining_ids = {u["UserId"] for u in remaining}
        # every user still present at the end was seen exactly once during the walk
        self.assertTrue(remaining_ids <= set(ids))
        self.assertEqual(len(remaining_ids), 280 - len(deleted))

    def test_forged_token_refused(self):
        status, headers, data = raw_json(self.mock, "ListUsers",
                                         {"IdentityStoreId": STORE, "NextToken": "v1:0000000000000005:0000000000000000"})
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(data)["__type"], "ValidationException")
        self.assertEqual(headers.get("X-Amzn-ErrorType"), "ValidationException")

    def test_max_results_bounds(self):
        for bad in (0, 101, "10", 2.5):
            status, _, data = raw_json(self.mock, "ListUsers",
                                       {"IdentityStoreId": STORE, "MaxResults": bad})
            self.assertEqual(status, 400, bad)
            err = json.loads(data)
            self.assertEqual(err["__type"], "ValidationException")
            self.assertIn("maxResults", err["Message"])
            self.assertEqual(err["Message"], err["message"])

    def test_user_json_is_as_served(self):
        users, _ = list_all(self.mock, 100)
        synthetic = [u for u in users if u["UserName"].startswith("synthetic.user.")]
        first = synthetic[0]
        self.assertEqual(first["UserName"], "synthetic.user.0000000")
        self.assertEqual(first["UserStatus"], "ENABLED")
        self.assertEqual(synthetic[6]["UserStatus"], "DISABLED")
        self.assertEqual(first["CreatedAt"], 1767225600)
        self.assertEqual(first["IdentityStoreId"], STORE)
        self.assertTrue(any("UserStatus" not in u for u in users), "fixture users without status")
