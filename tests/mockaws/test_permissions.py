# SPDX-License-Identifier: Apache-2.0
"""test_permissions.py - idcctl on a state folder or inventory it may not write: a clear
error and exit status 1, never a silent success. root passes every permission check, so
under root each case runs idcctl as `nobody` (setpriv) and checks first that the drop
took effect; where it cannot drop privileges, the case skips and says why instead of
passing without having tested anything."""
import os
import pwd
import shutil
import subprocess
import tempfile
import unittest

from mockenv import IDCCTL, isolated_env


class Permissions(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="idcctl-perm-")
        self.prefix = []
        if os.geteuid() == 0:
            self.drop_privileges()
        self.state = os.path.join(self.tmp, "state")
        self.env = isolated_env(home=self.tmp)
        self.env["IDC_HOME"] = self.state

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def drop_privileges(self):
        """Runs every command as nobody; skips when that cannot be done or does not bite."""
        setpriv = shutil.which("setpriv")
        try:
            nobody = pwd.getpwnam("nobody")
        except KeyError:
            nobody = None
        if setpriv is None or nobody is None:
            self.skipTest("running as root, which ignores file permissions, and setpriv or the "
                          "user nobody is missing: cannot test permission errors")
        self.prefix = [setpriv, "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid,
                       "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
        os.chown(self.tmp, nobody.pw_uid, nobody.pw_gid)
        probe = os.path.join(self.tmp, "probe")
        os.mkdir(probe, 0o500)
        os.chown(probe, nobody.pw_uid, nobody.pw_gid)
        touched = subprocess.run(self.prefix + ["sh", "-c", "touch '%s/x'" % probe],
                                 capture_output=True).returncode == 0
        runs = subprocess.run(self.prefix + [IDCCTL, "--version"],
                              capture_output=True).returncode == 0
        shutil.rmtree(probe)
        if touched or not runs:
            self.skipTest("running as root and the drop to nobody %s: cannot test permission "
                          "errors" % ("still writes to a read-only folder" if touched else
                                      "cannot run idcctl (a folder on its path is closed)"))

    def idc(self, *args):
        p = subprocess.run(self.prefix + [IDCCTL] + list(args), stdin=subprocess.DEVNULL,
                           capture_output=True, env=self.env, timeout=60)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def test_read_only_state_folder(self):
        os.mkdir(self.state, 0o500)
        if self.prefix:
            os.chown(self.state, pwd.getpwnam("nobody").pw_uid, -1)
        code, out, err = self.idc("integration", "list")
        self.assertEqual(code, 1, out + err)
        self.assertIn("could not open the inventory", err)
        self.assertIn("Permission denied", err)
        self.assertIn("permissions", err)

    def test_read_only_inventory_file(self):
        code, out, err = self.idc("integration", "list")  # creates the inventory
        self.assertEqual(code, 0, err)
        db = os.path.join(self.state, "inventory.db")
        self.assertTrue(os.path.exists(db))
        os.chmod(db, 0o400)
        code, out, err = self.idc("integration", "remove", "L")
        self.assertEqual(code, 1, out + err)
        self.assertIn("inventory", err)
        self.assertIn("Permission denied", err)


if __name__ == "__main__":
    unittest.main()
