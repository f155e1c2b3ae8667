#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# botocore_sigv4.py [SECONDS] - signatures per second of botocore's SigV4Auth on the same
# Identity Store ListUsers request `idcctl sigv4 speed` signs (a fresh AWSRequest each
# time, as botocore signs one per call). Prints the figure only.
import sys
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BODY = b'{"IdentityStoreId":"d-1234567890","MaxResults":100}'
CREDS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def sign_once(auth):
    req = AWSRequest(
        method="POST",
        url="https://identitystore.us-east-1.amazonaws.com/",
        data=BODY,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSIdentityStore.ListUsers",
        },
    )
    auth.add_auth(req)
    return req.headers["Authorization"]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    auth = SigV4Auth(CREDS, "identitystore", "us-east-1")
    import botocore

    n, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            sign_once(auth)
        n += 100
        now = time.perf_counter()
        if now >= deadline:
            break
    rate = n / (now - start)
    print(f"botocore {botocore.__version__}: signatures/s: {rate:.0f} ({1e6 / rate:.1f} us each)")


if __name__ == "__main__":
    main()
