#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the independent SigV4 test vectors in spec/sigv4/vectors/.
# They use the folder format of the aws-c-auth signing test suite.
#
#   python3 spec/sigv4/gen_vectors.py           # (re)write every case
#   python3 spec/sigv4/gen_vectors.py --check   # compare with the files on disk
#   python3 spec/sigv4/gen_vectors.py --list    # print the case table (Markdown)
#
# Two independent signers produce the expected values:
#   * botocore (SigV4Auth / SigV4QueryAuth), imported by the running interpreter;
#   * awscrt, the Python bindings of aws-c-auth (Debian's python3-awscrt).
#     If the running interpreter cannot import awscrt, the awscrt part runs in
#     a child process started with /usr/bin/python3 (this same file, with the
#     --awscrt-worker option).
# awscrt does not expose its canonical request or string to sign, so a small
# stdlib-only canonicaliser in this file rebuilds them. They are written only
# if an HMAC over them gives exactly awscrt's signature. For botocore cases the
# canonicaliser must reproduce botocore's canonical request byte for byte. For
# every case and variant, sha256(canonical request) must equal the last line of
# the string to sign, and HMAC-SHA256(signing key, string to sign) must equal
# the signature. If any check fails, nothing is written. The output is
# deterministic: every input (timestamp, credentials) is fixed in the table.

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys

AWSCRT_PYTHON = "/usr/bin/python3"
AWSCRT_LABEL = "awscrt 0.16.8 (aws-c-auth)"  # the Debian package version

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "vectors")

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# --------------------------------------------------------------------------
# Case table
# --------------------------------------------------------------------------

SUITE_CREDS = {
    "access_key_id": "AKIDEXAMPLE",
    "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}
PROJECT_CREDS = {
    "access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
SUITE_TS = "2015-08-30T12:36:00Z"
PROJECT_TS = "2026-01-01T12:00:00Z"
HOST = "example.amazonaws.com"
IDS_HOST = "identitystore.us-east-1.amazonaws.com"
IAM_HOST = "iam.amazonaws.com"

TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtoken+with/slash+and+plus=="
PROJECT_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/session+token//value=="

IDS_ID = "d-1234567890"
USER_ID = "9067729b3d-94f1e0a4-5c1d-4b2f-8b2e-1a2b3c4d5e6f"
IDS_NEXT_TOKEN = "AAMAEXAMPLEa2V5/c2lnbmVk+bmV4dA/dG9rZW4+cGFnZQ=="
IAM_MARKER = "AAEAAW5leHQ/cGFnZS9tYXJrZXI+Zm9v=="
IAM_USER = "j.doe+ops=1,dev@example-corp"

CASES = []


def case(name, gen, desc, target, headers=None, method="GET", body=None,
         variants=("header", "query"), **ctx):
    """Add one case. headers: list of (name, value); body: bytes or None."""
    if headers is None:
        headers = [("Host", HOST)]
    full = {
        "credentials": dict(SUITE_CREDS),
        "expiration_in_seconds": 3600,
        "normalize": True,
        "region": "us-east-1",
        "service": "service",
        "sign_body": False,
        "timestamp": SUITE_TS,
    }
    token = ctx.pop("token", None)
    if "credentials" in ctx:
        full["credentials"] = dict(ctx.pop("credentials"))
    if token is not None:
        full["credentials"]["token"] = token
    full.update(ctx)
    CASES.append({
        "name": name, "gen": gen, "desc": desc, "method": method,
        "target": target, "headers": list(headers), "body": body,
        "variants": tuple(variants), "ctx": full,
    })


def project_case(name, service, host, desc, body, headers, token=None):
    case(name, "botocore", desc, "/", method="POST",
         headers=[("Host", host)] + headers, body=body, variants=("header",),
         credentials=PROJECT_CREDS, token=token, service=service,
         sign_body=True, add_content_sha256=False, timestamp=PROJECT_TS)


# ---- query-string normalisation (awscrt) ---------------------------------
case("query-valueless-key", "awscrt",
     "A query key without '=' is canonicalised as 'acl='.", "/?acl")
case("query-valueless-mixed", "awscrt",
     "Valueless keys, an empty value and a valued key mixed in one query.",
     "/?hello=a&b&c=&d")
case("query-empty-value", "awscrt",
     "A key followed by '=' and nothing else keeps an empty value.", "/?a=")
case("query-raw-plus", "awscrt",
     "A raw '+' in a query key or value is a literal plus and becomes %2B.",
     "/?c+d=e+f")
case("query-pct2b-upper", "awscrt",
     "%2B in a query key and value stays %2B (same result as query-pct2b-lower).",
     "/?k%2B=v%2B")
case("query-pct2b-lower", "awscrt",
     "Lower-case %2b is decoded and re-encoded as upper-case %2B.",
     "/?k%2b=v%2b")
case("query-pct20", "awscrt",
     "%20 in a query key and value stays %20 (never '+').", "/?a%20b=c%20d")
case("query-pct41", "awscrt",
     "%41 decodes to the unreserved 'A' and is written unencoded; sorts before 'a'.",
     "/?a=1&%41=%41b")
case("query-repeated-key-reverse", "awscrt",
     "A repeated key with values given in reverse order is sorted by value.",
     "/?k=b&k=a")
case("query-sort-after-encoding", "awscrt",
     "Keys sort on their encoded form: %F0%9F%8D%BA sorts before 'a'.",
     "/?a=1&%F0%9F%8D%BA=2")
case("query-sort-raw-utf8", "awscrt",
     "A raw UTF-8 key is percent-encoded, then sorted before 'a'.",
     "/?a=1&\U0001F37A=2")
case("query-reserved-values", "awscrt",
     "Reserved characters * / : = in values are encoded; unreserved - . _ ~ are not.",
     "/?a=*&b=/&c=:&d==x&e=~&f=-._")
case("query-pct25", "awscrt",
     "%25 is decoded exactly once: %2541 stays %2541 and 100%25 stays 100%25.",
     "/?a=%2541&b=100%25")

# ---- paths -----------------------------------------------------------------
case("path-reserved-chars", "botocore",
     "Reserved characters : @ = * + $ & , ; in a raw path are percent-encoded.",
     "/a:b@c=d*e+f$g&h,i;j")
case("path-utf8", "botocore",
     "A raw non-ASCII path is encoded as its UTF-8 bytes.",
     "/caf\u00e9/\u1234")
case("path-pre-encoded", "botocore",
     "An already percent-encoded path is encoded again (%3A becomes %253A).",
     "/arn%3Aaws%3Afoo/%20x")
case("path-s3-single-encode", "awscrt",
     "S3 rules: no double encoding and no normalisation of an encoded path.",
     "/example-bucket//photos/./2015%2008/a%2Bb%3Dc.jpg",
     normalize=False, double_uri_encode=False, sign_body=True)
case("path-dot-segments", "botocore",
     "Empty, '.' and '..' segments are removed; the trailing slash is kept.",
     "//a/./b/../c/")
case("path-dotdot-above-root", "botocore",
     "A '..' segment at the root is dropped.", "/../a")
case("path-root", "botocore", "The root path '/' alone.", "/")

# ---- headers ---------------------------------------------------------------
case("header-host-port", "botocore",
     "A Host header with a non-default port is signed as sent, port included.",
     "/", headers=[("Host", HOST + ":8443")])
case("header-value-whitespace", "botocore",
     "Leading, trailing and inner runs of spaces and tabs are trimmed/collapsed.",
     "/", headers=[("Host", HOST),
                   ("My-Header1", "   a   b   "),
                   ("My-Header2", "\tc\t\td \t e\t ")])
case("header-repeated-name", "botocore",
     "One header name three times, in mixed case: values joined with ',' in order.",
     "/", headers=[("Host", HOST), ("X-Repeat", "zeta"),
                   ("x-repeat", "alpha   beta"), ("X-REPEAT", "gamma")])
case("header-empty-value", "botocore",
     "A header with an empty value is signed as 'name:'.",
     "/", headers=[("Host", HOST), ("X-Empty", "")])

# ---- bodies (sign_body true) -------------------------------------------------
JSON_BODY = b'{"hello":"world","n":1}'
case("body-get-none", "botocore",
     "GET without a body: x-amz-content-sha256 is the hash of the empty string.",
     "/", variants=("header",), sign_body=True)
case("body-post-empty-content-length-zero", "botocore",
     "POST with Content-Length:0 and no body hashes like a request with no body.",
     "/", method="POST", headers=[("Host", HOST), ("Content-Length", "0")],
     variants=("header",), sign_body=True)
case("body-post-json", "botocore",
     "POST with a JSON body: x-amz-content-sha256 is added and signed.",
     "/", method="POST", body=JSON_BODY,
     headers=[("Host", HOST), ("Content-Type", "application/json"),
              ("Content-Length", str(len(JSON_BODY)))],
     variants=("header",), sign_body=True)
case("body-post-json-no-header", "botocore",
     "POST with a JSON body hashed into the signature without x-amz-content-sha256.",
     "/", method="POST", body=JSON_BODY,
     headers=[("Host", HOST), ("Content-Type", "application/json"),
              ("Content-Length", str(len(JSON_BODY)))],
     variants=("header",), sign_body=True, add_content_sha256=False)

# ---- session tokens (awscrt) ---------------------------------------------
case("session-token-signed", "awscrt",
     "A session token with '/', '+' and '=' is signed (header) or encoded (query).",
     "/", token=TOKEN)
case("session-token-omitted", "awscrt",
     "omit_session_token: the token is added after signing and is not signed.",
     "/", token=TOKEN, omit_session_token=True)

# ---- the project's own requests (botocore, header signing) -----------------


def ids_headers(op):
    return [("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AWSIdentityStore." + op)]


IAM_HEADERS = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]

# Body of each project case: (service, operation, params) as botocore would
# serialise them; the generator checks the literal body against botocore.
PROJECT_BODIES = {}


def ids_case(name, op, params, desc, token=None):
    body = json.dumps(params, separators=(",", ":")).encode()
    PROJECT_BODIES[name] = ("identitystore", op, params)
    project_case(name, "identitystore", IDS_HOST, desc, body, ids_headers(op),
                 token=token)


def iam_case(name, op, params, desc, token=None):
    pairs = [("Action", op), ("Version", "2010-05-08")] + list(params.items())
    body = "&".join(k + "=" + form_encode(str(v)) for k, v in pairs).encode()
    PROJECT_BODIES[name] = ("iam", op, params)
    project_case(name, "iam", IAM_HOST, desc, body, list(IAM_HEADERS),
                 token=token)


def form_encode(s):
    """application/x-www-form-urlencoded as Python's urlencode does it."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in "-._~"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


ids_case("identitystore-list-users", "ListUsers",
         {"IdentityStoreId": IDS_ID, "MaxResults": 100},
         "Identity Store ListUsers, first page.")
ids_case("identitystore-list-users-next-token", "ListUsers",
         {"IdentityStoreId": IDS_ID, "MaxResults": 100,
          "NextToken": IDS_NEXT_TOKEN},
         "Identity Store ListUsers with a NextToken containing '+', '/' and '='.")
ids_case("identitystore-describe-user", "DescribeUser",
         {"IdentityStoreId": IDS_ID, "UserId": USER_ID},
         "Identity Store DescribeUser.")
ids_case("identitystore-get-user-id", "GetUserId",
         {"IdentityStoreId": IDS_ID,
          "AlternateIdentifier": {"UniqueAttribute": {
              "AttributePath": "userName", "AttributeValue": "jdoe@example.com"}}},
         "Identity Store GetUserId by the userName unique attribute.")
ids_case("identitystore-delete-user", "DeleteUser",
         {"IdentityStoreId": IDS_ID, "UserId": USER_ID},
         "Identity Store DeleteUser.")
ids_case("identitystore-list-group-memberships-for-member",
         "ListGroupMembershipsForMember",
         {"IdentityStoreId": IDS_ID, "MemberId": {"UserId": USER_ID},
          "MaxResults": 100},
         "Identity Store ListGroupMembershipsForMember for a user.")
ids_case("identitystore-list-users-session-token", "ListUsers",
         {"IdentityStoreId": IDS_ID, "MaxResults": 100},
         "Identity Store ListUsers with temporary credentials (signed token).",
         token=PROJECT_TOKEN)
iam_case("iam-list-users", "ListUsers", {"MaxItems": 100},
         "IAM ListUsers, first page (form-encoded body).")
iam_case("iam-list-users-marker", "ListUsers",
         {"Marker": IAM_MARKER, "MaxItems": 100},
         "IAM ListUsers with a Marker whose '/', '+' and '=' are form-encoded.")
iam_case("iam-get-user", "GetUser", {"UserName": IAM_USER},
         "IAM GetUser with a user name using + = , @ . - (form-encoded).")
iam_case("iam-delete-user", "DeleteUser", {"UserName": IAM_USER},
         "IAM DeleteUser with a user name using + = , @ . - (form-encoded).")

# --------------------------------------------------------------------------
# Independent canonicaliser (stdlib only; follows the aws-c-auth rules)
# --------------------------------------------------------------------------

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def uri_encode(data, keep_slash=False):
    out = []
    for b in data:
        if b in UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def pct_decode(data):
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i] == 0x25 and re.fullmatch(rb"[0-9A-Fa-f]{2}", data[i + 1:i + 3]):
            out.append(int(data[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def remove_dot_segments(path):
    segs = []
    for s in path.split(b"/"):
        if s in (b"", b"."):
            continue
        if s == b"..":
            if segs:
                segs.pop()
            continue
        segs.append(s)
    out = b"/" + b"/".join(segs)
    if path.endswith(b"/") and segs:
        out += b"/"
    return out


def amz_date(ts):
    return ts.replace("-", "").replace(":", "")


def scope_of(ctx):
    return "%s/%s/%s/aws4_request" % (amz_date(ctx["timestamp"])[:8],
                                      ctx["region"], ctx["service"])


def signing_key(ctx):
    def h(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = h(("AWS4" + ctx["credentials"]["secret_access_key"]).encode(),
          amz_date(ctx["timestamp"])[:8])
    return h(h(h(k, ctx["region"]), ctx["service"]), "aws4_request")


def sign(ctx, sts):
    return hmac.new(signing_key(ctx), sts.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def trimall(v):
    return re.sub(r"[ \t]+", " ", v).strip(" ")


def payload_hash(c, ctx):
    if ctx.get("signed_body_value"):
        return ctx["signed_body_value"]
    if ctx["sign_body"]:
        return hashlib.sha256(c["body"] or b"").hexdigest()
    return EMPTY_SHA256


def adds_content_header(c, variant):
    ctx = c["ctx"]
    if variant != "header":
        return False
    if ctx.get("signed_body_value"):
        return True
    return ctx["sign_body"] and ctx.get("add_content_sha256", ctx["sign_body"])


def canonicalise(c, variant):
    """Return (canonical request, string to sign, signature)."""
    ctx = c["ctx"]
    creds = ctx["credentials"]
    token = creds.get("token")
    omit = ctx.get("omit_session_token", False)
    date = amz_date(ctx["timestamp"])
    raw = c["target"].encode("utf-8")
    path, _, query = raw.partition(b"?")
    if ctx["normalize"]:
        path = remove_dot_segments(path)
    if ctx.get("double_uri_encode", True):
        cpath = uri_encode(path, keep_slash=True)
    else:
        cpath = path.decode("utf-8")
    cpath = cpath or "/"

    pairs = []
    for piece in query.split(b"&"):
        if not piece:
            continue
        k, _, v = piece.partition(b"=")
        pairs.append((uri_encode(pct_decode(k)), uri_encode(pct_decode(v))))

    headers = [(n.lower(), trimall(v)) for n, v in c["headers"]]
    phash = payload_hash(c, ctx)
    if variant == "header":
        headers.append(("x-amz-date", date))
        if token is not None and not omit:
            headers.append(("x-amz-security-token", token))
        if adds_content_header(c, variant):
            headers.append(("x-amz-content-sha256", phash))
    merged = {}
    for n, v in headers:
        merged.setdefault(n, []).append(v)
    names = sorted(merged)
    signed = ";".join(names)
    if variant == "query":
        auth = [("X-Amz-Algorithm", ALGORITHM),
                ("X-Amz-Credential", creds["access_key_id"] + "/" + scope_of(ctx)),
                ("X-Amz-Date", date),
                ("X-Amz-Expires", str(ctx["expiration_in_seconds"])),
                ("X-Amz-SignedHeaders", signed)]
        if token is not None and not omit:
            auth.append(("X-Amz-Security-Token", token))
        pairs += [(k, uri_encode(v.encode())) for k, v in auth]
    cquery = "&".join(k + "=" + v for k, v in sorted(pairs))
    creq = "\n".join([c["method"], cpath, cquery,
                      "".join("%s:%s\n" % (n, ",".join(merged[n])) for n in names),
                      signed, phash])
    sts = "\n".join([ALGORITHM, date, scope_of(ctx),
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    return creq, sts, sign(ctx, sts)


# --------------------------------------------------------------------------
# awscrt signer (runs under an interpreter that has awscrt; stdlib + awscrt)
# --------------------------------------------------------------------------


def awscrt_sign_jobs(jobs):
    import io
    from awscrt import auth, http
    from awscrt.io import InputStream

    results = []
    for job in jobs:
        ctx = job["ctx"]
        variant = job["variant"]
        body = base64.b64decode(job["body"]) if job["body"] is not None else None
        stream = InputStream.wrap(io.BytesIO(body)) if body is not None else None
        req = http.HttpRequest(job["method"], job["target"],
                               http.HttpHeaders([tuple(h) for h in job["headers"]]),
                               stream)
        creds = ctx["credentials"]
        provider = auth.AwsCredentialsProvider.new_static(
            creds["access_key_id"], creds["secret_access_key"], creds.get("token"))
        when = datetime.datetime.strptime(ctx["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        when = when.replace(tzinfo=datetime.timezone.utc)
        kw = {}
        if ctx.get("signed_body_value"):
            kw["signed_body_value"] = ctx["signed_body_value"]
        elif not ctx["sign_body"]:
            kw["signed_body_value"] = auth.AwsSignedBodyValue.EMPTY_SHA256
        if job["content_header"]:
            kw["signed_body_header_type"] = auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256
        if variant == "query":
            sig_type = auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS
            kw["expiration_in_seconds"] = ctx["expiration_in_seconds"]
        else:
            sig_type = auth.AwsSignatureType.HTTP_REQUEST_HEADERS
        config = auth.AwsSigningConfig(
            auth.AwsSigningAlgorithm.V4, sig_type, provider,
            ctx["region"], ctx["service"], date=when,
            use_double_uri_encode=ctx.get("double_uri_encode", True),
            should_normalize_uri_path=ctx["normalize"],
            omit_session_token=ctx.get("omit_session_token", False), **kw)
        signed = auth.aws_sign_request(req, config).result()
        out_headers = [list(h) for h in signed.headers]
        if variant == "header":
            authz = dict((n.lower(), v) for n, v in out_headers)["authorization"]
            signature = authz.rsplit("Signature=", 1)[1]
        else:
            signature = re.search(r"[?&]X-Amz-Signature=([0-9a-f]{64})",
                                  signed.path).group(1)
        results.append({"id": job["id"], "signature": signature,
                        "target": signed.path, "headers": out_headers})
    return results


def awscrt_worker_main():
    jobs = json.load(sys.stdin)
    json.dump(awscrt_sign_jobs(jobs), sys.stdout)


def run_awscrt(jobs):
    if not jobs:
        return {}
    try:
        import awscrt.auth  # noqa: F401
        results = awscrt_sign_jobs(jobs)
    except ImportError:
        proc = subprocess.run([AWSCRT_PYTHON, os.path.abspath(__file__),
                               "--awscrt-worker"],
                              input=json.dumps(jobs).encode(),
                              stdout=subprocess.PIPE, check=True)
        results = json.loads(proc.stdout)
    return {r["id"]: r for r in results}


def awscrt_job(c, variant, job_id):
    return {"id": job_id, "variant": variant, "method": c["method"],
            "target": c["target"], "headers": c["headers"],
            "body": (base64.b64encode(c["body"]).decode()
                     if c["body"] is not None else None),
            "ctx": c["ctx"], "content_header": adds_content_header(c, variant)}


# --------------------------------------------------------------------------
# botocore signer
# --------------------------------------------------------------------------


def botocore_version():
    import botocore
    return "botocore " + botocore.__version__


def botocore_can_express(c, variant):
    """botocore semantics match the context only for these shapes."""
    ctx = c["ctx"]
    if not ctx["normalize"] or not ctx.get("double_uri_encode", True):
        return False
    if ctx.get("omit_session_token") or ctx.get("signed_body_value"):
        return False
    if "?" in c["target"]:
        return False  # botocore does not canonicalise a raw query string
    if not ctx["sign_body"] and c["body"] is not None:
        return False  # botocore always hashes the body
    if variant == "query" and (c["body"] is not None or ctx["sign_body"]
                               or c["method"] != "GET"):
        return False  # its presigner moves the body into the query
    return True


def botocore_sign(c, variant):
    import botocore.auth
    from botocore.auth import SigV4Auth, SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    ctx = c["ctx"]
    cr = ctx["credentials"]

    class Recorder:
        def canonical_request(self, request):
            self.creq = super().canonical_request(request)
            return self.creq

        def string_to_sign(self, request, canonical_request):
            self.sts = super().string_to_sign(request, canonical_request)
            return self.sts

    class HeaderSigner(Recorder, SigV4Auth):
        pass

    class QuerySigner(Recorder, SigV4QueryAuth):
        pass

    creds = Credentials(cr["access_key_id"], cr["secret_access_key"], cr.get("token"))
    if variant == "header":
        signer = HeaderSigner(creds, ctx["service"], ctx["region"])
    else:
        signer = QuerySigner(creds, ctx["service"], ctx["region"],
                             expires=ctx["expiration_in_seconds"])
    host = dict((n.lower(), v) for n, v in c["headers"])["host"]
    request = AWSRequest(method=c["method"], url="https://" + host + c["target"],
                         data=c["body"])
    for n, v in c["headers"]:
        request.headers[n] = v  # HTTPHeaders keeps repeated names
    if adds_content_header(c, variant):
        request.headers["x-amz-content-sha256"] = signer.payload(request)
    when = datetime.datetime.strptime(ctx["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    saved = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *a, **k: when
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = saved
    if variant == "header":
        headers = [[n, v] for n, v in request.headers.items()]
        signature = request.headers["Authorization"].rsplit("Signature=", 1)[1]
        target = c["target"]
    else:
        query = request.url.split("?", 1)[1]
        params = dict(p.split("=", 1) for p in query.split("&"))
        signature = params["X-Amz-Signature"]
        order = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                 "X-Amz-SignedHeaders", "X-Amz-Expires", "X-Amz-Security-Token",
                 "X-Amz-Signature"]
        if set(params) - set(order):
            raise SystemExit("%s: unexpected presign parameters %s" % (c["name"], params))
        target = c["target"] + "?" + "&".join(
            k + "=" + params[k] for k in order if k in params)
        if request.url != "https://" + host + c["target"] + "?" + query:
            raise SystemExit("%s: botocore changed the path" % c["name"])
        headers = [list(h) for h in c["headers"]]
    return {"creq": signer.creq, "sts": signer.sts, "signature": signature,
            "target": target, "headers": headers}


def check_project_body(c):
    """The literal project bodies must match what botocore would send."""
    import botocore.session
    from botocore.awsrequest import AWSRequest
    from botocore.serialize import create_serializer

    service, op, params = PROJECT_BODIES[c["name"]]
    model = botocore.session.get_session().get_service_model(service)
    ser = create_serializer(model.metadata["protocol"])
    req = ser.serialize_to_request(params, model.operation_model(op))
    if service == "iam":
        body = AWSRequest(method="POST", url="https://" + IAM_HOST + "/",
                          data=req["body"]).body
        same = body == c["body"]
    else:
        # botocore's JSON uses ", " and ": " separators; the project sends
        # compact JSON, so compare the parsed documents.
        same = json.loads(req["body"]) == json.loads(c["body"])
    want = dict(req["headers"])
    have = dict(c["headers"][1:])
    if not same or want != have or req["url_path"] != c["target"]:
        raise SystemExit("%s: request differs from botocore's serialiser:\n%r\n%r"
                         % (c["name"], req, c))


# --------------------------------------------------------------------------
# Rendering and driver
# --------------------------------------------------------------------------


def render_request(c, target, headers, body):
    lines = ["%s %s HTTP/1.1" % (c["method"], target)]
    lines += ["%s:%s" % (n, v) for n, v in headers]
    return ("\n".join(lines) + "\n").encode("utf-8") + (
        b"\n" + body if body is not None else b"")


def render_signed(c, target, headers):
    lines = ["%s %s HTTP/1.1" % (c["method"], target)]
    lines += ["%s:%s" % (n, v) for n, v in headers]
    return ("\n".join(lines) + "\n\n").encode("utf-8") + (c["body"] or b"")


def render_context(c, generator):
    ctx = c["ctx"]
    out = {}
    for k in ("credentials", "expiration_in_seconds", "normalize", "region",
              "service", "sign_body", "timestamp", "omit_session_token",
              "signed_body_value"):
        if k in ctx:
            out[k] = ctx[k]
    if ctx.get("double_uri_encode", True) is not True:
        out["double_uri_encode"] = ctx["double_uri_encode"]
    if "add_content_sha256" in ctx and ctx["add_content_sha256"] != ctx["sign_body"]:
        out["add_content_sha256"] = ctx["add_content_sha256"]
    out["generator"] = generator
    out["description"] = c["desc"]
    return json.dumps(out, indent=4).encode()


def generate():
    names = [c["name"] for c in CASES]
    if len(names) != len(set(names)):
        raise SystemExit("duplicate case names")
    # 1. awscrt: primary jobs for awscrt cases, cross-checks for botocore cases
    jobs = []
    for c in CASES:
        for v in c["variants"]:
            jobs.append(awscrt_job(c, v, "%s/%s" % (c["name"], v)))
    crt = run_awscrt(jobs)
    boto_label = botocore_version()

    files = {}
    notes = []
    for c in CASES:
        if c["name"] in PROJECT_BODIES:
            check_project_body(c)
        out = {}
        cross = []
        for v in c["variants"]:
            creq_i, sts_i, sig_i = canonicalise(c, v)
            r_crt = crt["%s/%s" % (c["name"], v)]
            if c["gen"] == "awscrt":
                if sig_i != r_crt["signature"]:
                    raise SystemExit("%s/%s: canonicaliser does not reproduce awscrt:\n%s"
                                     % (c["name"], v, creq_i))
                creq, sts, sig = creq_i, sts_i, r_crt["signature"]
                target, headers = r_crt["target"], r_crt["headers"]
                if botocore_can_express(c, v):
                    b = botocore_sign(c, v)
                    cross.append("botocore " + ("agrees" if b["signature"] == sig
                                                else "DIFFERS") + " (%s)" % v)
            else:
                if not botocore_can_express(c, v):
                    raise SystemExit("%s/%s: botocore cannot express this" % (c["name"], v))
                b = botocore_sign(c, v)
                creq, sts, sig = b["creq"], b["sts"], b["signature"]
                target, headers = b["target"], b["headers"]
                if creq != creq_i:
                    raise SystemExit("%s/%s: botocore and the canonicaliser differ:\n%s\n--\n%s"
                                     % (c["name"], v, creq, creq_i))
                cross.append("awscrt " + ("agrees" if r_crt["signature"] == sig
                                          else "DIFFERS") + " (%s)" % v)
            # self-checks
            if hashlib.sha256(creq.encode("utf-8")).hexdigest() != sts.split("\n")[-1]:
                raise SystemExit("%s/%s: sha256(creq) != sts" % (c["name"], v))
            if sign(c["ctx"], sts) != sig:
                raise SystemExit("%s/%s: HMAC(sts) != signature" % (c["name"], v))
            if sts.split("\n")[:3] != [ALGORITHM, amz_date(c["ctx"]["timestamp"]),
                                       scope_of(c["ctx"])]:
                raise SystemExit("%s/%s: bad string to sign" % (c["name"], v))
            out[v + "-canonical-request.txt"] = creq.encode("utf-8")
            out[v + "-string-to-sign.txt"] = sts.encode("utf-8")
            out[v + "-signature.txt"] = sig.encode()
            out[v + "-signed-request.txt"] = render_signed(c, target, headers)
        gen_label = AWSCRT_LABEL if c["gen"] == "awscrt" else boto_label
        out["context.json"] = render_context(c, gen_label)
        out["request.txt"] = render_request(c, c["target"], c["headers"], c["body"])
        files[c["name"]] = out
        notes.append((c, cross))
        if any("DIFFERS" in x for x in cross):
            raise SystemExit("%s: cross-check failed: %s" % (c["name"], cross))
    # %2b must canonicalise exactly like %2B
    for v in ("header", "query"):
        a = files["query-pct2b-upper"][v + "-canonical-request.txt"]
        b = files["query-pct2b-lower"][v + "-canonical-request.txt"]
        if a != b:
            raise SystemExit("%2b and %2B differ")
    return files, notes


def main(argv):
    if "--awscrt-worker" in argv:
        awscrt_worker_main()
        return 0
    try:
        import botocore  # noqa: F401
    except ImportError:
        sys.stderr.write("gen_vectors.py: run it with a Python that has botocore\n")
        return 2
    files, notes = generate()
    if "--list" in argv:
        print("| Case | Covers | Generator | Variants | Cross-check |")
        print("|---|---|---|---|---|")
        for c, cross in notes:
            print("| `%s` | %s | %s | %s | %s |" % (
                c["name"], c["desc"], c["gen"], ", ".join(c["variants"]),
                "; ".join(cross) or "-"))
        return 0
    check = "--check" in argv
    bad = 0
    for name, out in files.items():
        d = os.path.join(OUT_DIR, name)
        if not check:
            os.makedirs(d, exist_ok=True)
            for f in os.listdir(d):
                if f not in out and (f.endswith(".txt") or f.endswith(".json")):
                    os.remove(os.path.join(d, f))
        for fname, data in sorted(out.items()):
            p = os.path.join(d, fname)
            if check:
                try:
                    with open(p, "rb") as fh:
                        same = fh.read() == data
                except OSError:
                    same = False
                if not same:
                    print("differs: %s/%s" % (name, fname))
                    bad += 1
            else:
                with open(p, "wb") as fh:
                    fh.write(data)
    if os.path.isdir(OUT_DIR):
        for d in sorted(os.listdir(OUT_DIR)):
            if os.path.isdir(os.path.join(OUT_DIR, d)) and d not in files:
                print("warning: %s is not in the case table" % d)
    print("%d cases %s" % (len(files), "checked" if check else "written"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
