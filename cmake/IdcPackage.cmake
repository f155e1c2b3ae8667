# SPDX-License-Identifier: Apache-2.0
# Debian packages with CPack (ci/package builds them): one per install component.
#   idcctl      the command line (libidc linked in: it also uses internal headers)
#   mockaws     the mock server and its default world, apart, so that an admin's idcctl
#               does not pull in CivetWeb
#   libidc0     libidc.so.0, with a shlibs file (shared builds only)
#   libidc-dev  headers, libidc.a (and the libidc.so link), libidc.pc, the CMake package
# The binary packages' dependencies come from dpkg-shlibdeps; the -dev package's are the
# -dev packages of what a program linking libidc needs, which no tool can compute. Each
# description is whole here: its first line is the summary.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME idc)
set(CPACK_PACKAGE_VENDOR "The idcctl developers")
set(CPACK_PACKAGE_CONTACT "${IDC_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "") # each description below carries its own
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/package")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL "")
foreach(component IN ITEMS idcctl mockaws runtime dev)
  get_cmake_property(_installed COMPONENTS)
  if(component IN_LIST _installed)
    list(APPEND CPACK_COMPONENTS_ALL ${component})
  endif()
endforeach()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libidc0 gets a shlibs file, so that dpkg-shlibdeps finds it for programs linking libidc
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_IDCCTL_PACKAGE_NAME idcctl)
string(CONCAT CPACK_DEBIAN_IDCCTL_DESCRIPTION
    "AWS IAM Identity Center users: inventory and safe deletion (command line)\n"
    "idcctl keeps integrations with IAM Identity Center stores and accounts'\n"
    "IAM users, syncs every user with its status into a local SQLite\n"
    "inventory, and deletes a user after showing the exact plan.")

set(CPACK_DEBIAN_MOCKAWS_PACKAGE_NAME mockaws)
set(CPACK_DEBIAN_MOCKAWS_PACKAGE_SECTION devel)
string(CONCAT CPACK_DEBIAN_MOCKAWS_DESCRIPTION
    "Mock of the AWS Identity Store and IAM APIs for tests\n"
    "mockaws checks every SigV4 signature and permission as AWS does, serves\n"
    "fixture JSON (a default world is installed) and injects faults, so\n"
    "clients run in CI without AWS.")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libidc0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_MULTIARCH same)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA "${CMAKE_SOURCE_DIR}/cmake/debian/libidc0/triggers"
    "${CMAKE_SOURCE_DIR}/cmake/debian/libidc0/postinst" "${CMAKE_SOURCE_DIR}/cmake/debian/libidc0/postrm")
string(CONCAT CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "AWS IAM Identity Center and IAM users from C (shared library)\n"
    "libidc signs requests with SigV4, speaks the Identity Store and IAM APIs,\n"
    "lists users with their status, plans and runs deletions, and syncs into\n"
    "a SQLite inventory.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libidc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_MULTIARCH same)
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF) # no program in it
set(_idc_dev_depends "libcjson-dev, libexpat1-dev, pkg-config")
if(BUILD_SHARED_LIBS)
  string(PREPEND _idc_dev_depends "libidc0 (= ${PROJECT_VERSION}-1), ")
endif()
if(IDC_TLS STREQUAL "openssl")
  string(APPEND _idc_dev_depends ", libssl-dev")
else()
  string(APPEND _idc_dev_depends ", libmbedtls-dev")
endif()
if(IDC_WITH_CURL)
  string(APPEND _idc_dev_depends ", libcurl4-openssl-dev")
endif()
if(IDC_WITH_INVENTORY)
  string(APPEND _idc_dev_depends ", libsqlite3-dev")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${_idc_dev_depends}")
string(CONCAT CPACK_DEBIAN_DEV_DESCRIPTION
    "AWS IAM Identity Center and IAM users from C (development files)\n"
    "libidc signs requests with SigV4, speaks the Identity Store and IAM APIs,\n"
    "lists users with their status, plans and runs deletions, and syncs into\n"
    "a SQLite inventory. Headers, static library, pkg-config and CMake files.")

include(CPack)
