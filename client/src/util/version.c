/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.c - the version of the libidc a program runs with, and the libraries it was built
 * against (idc/version.h; the list comes from the build, cmake/IdcDeps.cmake).
 */
#include "idc/version.h"

const char *idc_version(void)
{
    return IDC_VERSION_STRING;
}

const char *idc_build_libraries(void)
{
    return IDC_BUILD_LIBRARIES;
}
