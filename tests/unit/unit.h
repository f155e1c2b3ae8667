/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unit.h - the one main() every cmocka test file uses: `test_x NAME` runs the single test
 * NAME (ctest registers each by name) and fails when NAME is not in the table, so a
 * misspelt registration cannot pass by running nothing.
 */
#ifndef IDC_TEST_UNIT_H
#define IDC_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static inline int unit_run(const struct CMUnitTest *tests, size_t n, int argc, char **argv)
{
    if (argc > 1) {
        size_t i = 0;
        while (i < n && strcmp(tests[i].name, argv[1]) != 0) {
            i++;
        }
        if (i == n) {
            fprintf(stderr, "no test named %s in this file\n", argv[1]);
            return 1;
        }
        cmocka_set_test_filter(argv[1]);
    }
    return _cmocka_run_group_tests("unit", tests, n, NULL, NULL);
}

#define UNIT_MAIN(table)                                                                           \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return unit_run(table, sizeof(table) / sizeof((table)[0]), argc, argv);                    \
    }

#endif
