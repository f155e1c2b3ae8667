# SPDX-License-Identifier: Apache-2.0
"""check_layers.py REPO - checks that every #include "..." in libidc, mockaws and the public
headers points down the layers (README, "Layout"). The build already refuses an upward
include of a layer's own headers (a layer sees only the folders of the layers below); this
also covers the public headers in client/include/idc/, which every layer can see, and the
layer-private headers (*_int.h), which no other layer may include. And the library reads
the environment in one place, the resolver (core/resolve.c and the profile files it reads,
core/profile.c), so a program can configure libidc without it. Prints each violation with
its file and line; exits 1 when there is one."""
import os
import re
import sys

LAYERS = ["util", "crypto", "sigv4", "net", "http", "protocol", "core", "services", "domain",
          "inventory"]

# The layer that owns each public header: a file may include it only from that layer or above.
PUBLIC = {
    "api.h": "util", "version.h": "util", "error.h": "util", "str.h": "util",
    "crypto.h": "crypto",
    "sigv4.h": "sigv4",
    "transport.h": "http",
    "service.h": "protocol",
    "client.h": "core", "resolve.h": "core",
    "identitystore.h": "services", "iam.h": "services", "sts.h": "services", "provider.h": "services",
    "directory.h": "domain",
    "inventory.h": "inventory",
}

# mockaws stands beside the client: signing and verifying only, never the client's layers.
MOCKAWS_TOP = "sigv4"

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
GETENV = re.compile(r'\b(secure_)?getenv\s*\(')
ENVIRONMENT_READERS = {os.path.join("core", "resolve.c"), os.path.join("core", "profile.c")}


def owner_of_internal(repo):
    """Each internal header's name -> its layer."""
    owners = {}
    for layer in LAYERS:
        folder = os.path.join(repo, "client", "src", layer)
        for name in os.listdir(folder):
            if name.endswith(".h"):
                owners[name] = layer
    return owners


def check_file(path, layer, top, internal, problems, repo):
    """`layer`: the file's own layer (None outside libidc); `top`: the highest it may use."""
    limit = LAYERS.index(top)
    rel = os.path.relpath(path, os.path.join(repo, "client", "src"))
    may_read_environment = layer is None or rel in ENVIRONMENT_READERS
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not may_read_environment and GETENV.search(line):
                problems.append("%s:%d: reads the environment outside the resolver"
                                % (os.path.relpath(path, repo), lineno))
            m = INCLUDE.match(line)
            if not m:
                continue
            name = m.group(1)
            where = "%s:%d" % (os.path.relpath(path, repo), lineno)
            if name.startswith("idc/"):
                base = name[4:]
                if base not in PUBLIC:
                    problems.append("%s: %s is not a public header of libidc" % (where, name))
                elif LAYERS.index(PUBLIC[base]) > limit:
                    problems.append("%s: includes %s, which belongs to the %s layer, above %s"
                                    % (where, name, PUBLIC[base], top))
            elif name in internal:
                owner = internal[name]
                if LAYERS.index(owner) > limit:
                    problems.append("%s: includes %s of the %s layer, above %s"
                                    % (where, name, owner, top))
                elif name.endswith("_int.h") and owner != layer:
                    problems.append("%s: includes %s, private to the %s layer"
                                    % (where, name, owner))


def main():
    repo = sys.argv[1]
    internal = owner_of_internal(repo)
    problems = []
    checked = 0
    for layer in LAYERS:
        folder = os.path.join(repo, "client", "src", layer)
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h")):
                check_file(os.path.join(folder, name), layer, layer, internal, problems, repo)
                checked += 1
    for name in sorted(os.listdir(os.path.join(repo, "client", "include", "idc"))):
        if name.endswith((".h", ".h.in")):
            base = name[:-3] if name.endswith(".in") else name
            check_file(os.path.join(repo, "client", "include", "idc", name), None, PUBLIC[base],
                       {}, problems, repo)
            checked += 1
    for name in sorted(os.listdir(os.path.join(repo, "mockaws"))):
        if name.endswith((".c", ".h")):
            check_file(os.path.join(repo, "mockaws", name), None, MOCKAWS_TOP, internal,
                       problems, repo)
            checked += 1
    for p in problems:
        print("FAIL: " + p)
    print("%d files checked, %d upward or private includes or environment reads"
          % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
