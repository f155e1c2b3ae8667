#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# moto_seed.py ENDPOINT FIXTURE - creates in a moto server the users of the fixture's store
# d-1234567890 (name, display name, name parts, e-mail) so a benchmark compares like with
# like; prints the store id to use.
import json
import sys

import boto3

endpoint, fixture = sys.argv[1], sys.argv[2]
with open(fixture, encoding="utf-8") as f:
    doc = json.load(f)
store = next(s for s in doc["IdentityStores"] if s["IdentityStoreId"] == "d-1234567890")
client = boto3.client("identitystore", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                      aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
for u in store["Users"]:
    name = u.get("Name", {})
    client.create_user(IdentityStoreId=store["IdentityStoreId"], UserName=u["UserName"],
                       DisplayName=u.get("DisplayName", u["UserName"]),
                       Name={"GivenName": name.get("GivenName", "x"),
                             "FamilyName": name.get("FamilyName", "x")},
                       Emails=u.get("Emails", []))
print(store["IdentityStoreId"])
