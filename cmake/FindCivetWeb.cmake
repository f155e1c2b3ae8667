# SPDX-License-Identifier: Apache-2.0
# FindCivetWeb.cmake - CivetWeb as Debian 12's libcivetweb-dev installs it (neither
# pkg-config nor CMake files): CivetWeb::CivetWeb, CivetWeb_VERSION. A find module, so that
# find_package(CivetWeb) obeys CMAKE_DISABLE_FIND_PACKAGE_CivetWeb like every other lookup.
find_path(CivetWeb_INCLUDE_DIR civetweb.h)
find_library(CivetWeb_LIBRARY civetweb)
if(CivetWeb_INCLUDE_DIR AND EXISTS "${CivetWeb_INCLUDE_DIR}/civetweb.h")
  file(STRINGS "${CivetWeb_INCLUDE_DIR}/civetweb.h" _civetweb_ver
       REGEX "^#define CIVETWEB_VERSION \"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" CivetWeb_VERSION "${_civetweb_ver}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CivetWeb
  REQUIRED_VARS CivetWeb_LIBRARY CivetWeb_INCLUDE_DIR
  VERSION_VAR CivetWeb_VERSION
  REASON_FAILURE_MESSAGE "install libcivetweb-dev (ci/deps does)")
if(CivetWeb_FOUND AND NOT TARGET CivetWeb::CivetWeb)
  add_library(CivetWeb::CivetWeb UNKNOWN IMPORTED)
  set_target_properties(CivetWeb::CivetWeb PROPERTIES
    IMPORTED_LOCATION "${CivetWeb_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CivetWeb_INCLUDE_DIR}")
endif()
mark_as_advanced(CivetWeb_INCLUDE_DIR CivetWeb_LIBRARY)
