# SPDX-License-Identifier: Apache-2.0
"""run_case.py MODULE.CLASS.TEST - runs one unittest case for ctest: exit 0 when it passed,
1 when it failed or errored, and 77 when it skipped itself (ctest's SKIP_RETURN_CODE), so
a skipped case shows as skipped in the summary instead of passing unseen."""
import sys
import unittest

suite = unittest.defaultTestLoader.loadTestsFromName(sys.argv[1])
result = unittest.TextTestRunner(verbosity=2).run(suite)
if not result.wasSuccessful():
    sys.exit(1)
sys.exit(77 if result.skipped and result.testsRun == len(result.skipped) else 0)
