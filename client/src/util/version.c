/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.c - the version of the libidc a program runs with (idc/version.h).
 */
#include "idc/version.h"

const char *idc_version(void)
{
    return IDC_VERSION_STRING;
}
