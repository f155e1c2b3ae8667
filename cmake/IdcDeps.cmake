# SPDX-License-Identifier: Apache-2.0
# Finds the Debian 12 libraries and defines one imported target per dependency:
#   idc::crypto  the chosen backend's crypto library (OpenSSL libcrypto, or mbedcrypto)
#   idc::tls     the chosen backend's TLS libraries (libssl + libcrypto, or mbedtls mbedx509 mbedcrypto)
#   idc::cjson   cJSON; idc::expat; idc::curl when IDC_WITH_CURL; idc::cmocka for the tests

if(IDC_TLS STREQUAL "openssl")
  find_package(OpenSSL 3.0 REQUIRED)
  add_library(idc::crypto INTERFACE IMPORTED)
  target_link_libraries(idc::crypto INTERFACE OpenSSL::Crypto)
  add_library(idc::tls INTERFACE IMPORTED)
  target_link_libraries(idc::tls INTERFACE OpenSSL::SSL OpenSSL::Crypto)
else()
  # Debian's libmbedtls-dev ships neither pkg-config nor CMake files.
  find_path(MBEDTLS_INCLUDE_DIR mbedtls/version.h)
  find_library(MBEDTLS_LIBRARY mbedtls)
  find_library(MBEDX509_LIBRARY mbedx509)
  find_library(MBEDCRYPTO_LIBRARY mbedcrypto)
  if(NOT MBEDTLS_INCLUDE_DIR OR NOT MBEDTLS_LIBRARY OR NOT MBEDX509_LIBRARY OR NOT MBEDCRYPTO_LIBRARY)
    message(FATAL_ERROR "Mbed TLS 2.28 not found: install libmbedtls-dev (ci/deps does)")
  endif()
  file(STRINGS "${MBEDTLS_INCLUDE_DIR}/mbedtls/version.h" _mbed_ver
       REGEX "^#define MBEDTLS_VERSION_STRING[ \t]+\"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" MBEDTLS_VERSION "${_mbed_ver}")
  if(MBEDTLS_VERSION VERSION_LESS 2.28 OR MBEDTLS_VERSION VERSION_GREATER_EQUAL 3)
    message(FATAL_ERROR "Mbed TLS ${MBEDTLS_VERSION} found; this build needs 2.28.x")
  endif()
  message(STATUS "Mbed TLS ${MBEDTLS_VERSION}: ${MBEDTLS_LIBRARY}")
  add_library(idc::crypto INTERFACE IMPORTED)
  target_include_directories(idc::crypto INTERFACE "${MBEDTLS_INCLUDE_DIR}")
  target_link_libraries(idc::crypto INTERFACE "${MBEDCRYPTO_LIBRARY}")
  add_library(idc::tls INTERFACE IMPORTED)
  target_include_directories(idc::tls INTERFACE "${MBEDTLS_INCLUDE_DIR}")
  # Order matters for static linking: mbedtls needs mbedx509 needs mbedcrypto.
  target_link_libraries(idc::tls INTERFACE "${MBEDTLS_LIBRARY}" "${MBEDX509_LIBRARY}"
                        "${MBEDCRYPTO_LIBRARY}")
endif()

find_package(Threads REQUIRED)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
add_library(idc::expat ALIAS PkgConfig::EXPAT)
add_library(idc::cjson ALIAS PkgConfig::CJSON)

if(IDC_WITH_CURL)
  find_package(CURL REQUIRED)
  add_library(idc::curl ALIAS CURL::libcurl)
endif()

if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
  add_library(idc::cmocka ALIAS PkgConfig::CMOCKA)
endif()
