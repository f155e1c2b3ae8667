# SPDX-License-Identifier: Apache-2.0
# FindCMocka.cmake - cmocka for the unit tests, through its pkg-config file:
# CMocka::CMocka. A find module, so that CMAKE_DISABLE_FIND_PACKAGE_CMocka applies to it.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_CMOCKA QUIET IMPORTED_TARGET cmocka)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CMocka
  REQUIRED_VARS PC_CMOCKA_LINK_LIBRARIES
  VERSION_VAR PC_CMOCKA_VERSION
  REASON_FAILURE_MESSAGE "install libcmocka-dev (ci/deps does), or give -DBUILD_TESTING=OFF")
if(CMocka_FOUND AND NOT TARGET CMocka::CMocka)
  add_library(CMocka::CMocka ALIAS PkgConfig::PC_CMOCKA)
endif()
