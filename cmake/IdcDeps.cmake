# SPDX-License-Identifier: Apache-2.0
# Finds the Debian 12 libraries each part needs, and only those:
#   libidc     the crypto/TLS backend, cJSON, expat; libcurl with IDC_WITH_CURL; SQLite and
#              threads with IDC_WITH_INVENTORY
#   idcctl     cJSON, threads          mockaws  CivetWeb (FindCivetWeb.cmake), cJSON, threads
#   tests      cmocka (FindCMocka.cmake), only with BUILD_TESTING
# Defines one imported target per dependency (idc::crypto, idc::tls, idc::cjson, idc::expat,
# idc::curl), and what the installed package must say about them:
#   IDC_PC_REQUIRES_PRIVATE, IDC_PC_LIBS_PRIVATE   for libidc.pc
#   IDC_INSTALL_LINK_LIBS                          a static libidc's link interface, installed
#   IDC_BUILD_LIBRARIES                            "OpenSSL 3.0.19, cJSON 1.7.15, ..." (--version)
#   IDC_CRYPTO_BUILT                               "OpenSSL 3.0.19" or "Mbed TLS 2.28.3"

find_package(PkgConfig REQUIRED)
set(IDC_PC_REQUIRES_PRIVATE "")
set(IDC_PC_LIBS_PRIVATE "")
set(IDC_INSTALL_LINK_LIBS "")
set(IDC_BUILD_LIBRARIES "")

if(IDC_TLS STREQUAL "openssl")
  find_package(OpenSSL 3.0 REQUIRED)
  add_library(idc::crypto INTERFACE IMPORTED)
  target_link_libraries(idc::crypto INTERFACE OpenSSL::Crypto)
  add_library(idc::tls INTERFACE IMPORTED)
  target_link_libraries(idc::tls INTERFACE OpenSSL::SSL OpenSSL::Crypto)
  list(APPEND IDC_PC_REQUIRES_PRIVATE openssl)
  list(APPEND IDC_INSTALL_LINK_LIBS ssl crypto)
  set(IDC_CRYPTO_BUILT "OpenSSL ${OPENSSL_VERSION}")
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
  list(APPEND IDC_PC_LIBS_PRIVATE -lmbedtls -lmbedx509 -lmbedcrypto)
  list(APPEND IDC_INSTALL_LINK_LIBS mbedtls mbedx509 mbedcrypto)
  set(IDC_CRYPTO_BUILT "Mbed TLS ${MBEDTLS_VERSION}")
endif()

list(APPEND IDC_BUILD_LIBRARIES "${IDC_CRYPTO_BUILT}")
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
add_library(idc::cjson ALIAS PkgConfig::CJSON)
add_library(idc::expat ALIAS PkgConfig::EXPAT)
list(APPEND IDC_PC_REQUIRES_PRIVATE libcjson expat)
list(APPEND IDC_INSTALL_LINK_LIBS cjson expat)
list(APPEND IDC_BUILD_LIBRARIES "cJSON ${CJSON_VERSION}" "expat ${EXPAT_VERSION}")

if(IDC_WITH_CURL)
  find_package(CURL REQUIRED)
  add_library(idc::curl ALIAS CURL::libcurl)
  # -lcurl, not Requires.private: libcurl.pc's private libraries are those of a static
  # libcurl (nghttp2, ssh2, ...), which Debian does not ship; libidc uses the shared one
  list(APPEND IDC_PC_LIBS_PRIVATE -lcurl)
  list(APPEND IDC_INSTALL_LINK_LIBS curl)
  list(APPEND IDC_BUILD_LIBRARIES "libcurl ${CURL_VERSION_STRING}")
endif()

if(IDC_WITH_INVENTORY)
  find_package(SQLite3 REQUIRED)
  list(APPEND IDC_PC_LIBS_PRIVATE -lsqlite3) # the same: sqlite3.pc adds -lz for a static one
  list(APPEND IDC_INSTALL_LINK_LIBS sqlite3)
  list(APPEND IDC_BUILD_LIBRARIES "SQLite ${SQLite3_VERSION}")
endif()

if(IDC_WITH_INVENTORY OR IDC_BUILD_CLI OR IDC_BUILD_MOCK OR BUILD_TESTING)
  find_package(Threads REQUIRED)
endif()
if(IDC_WITH_INVENTORY)
  list(APPEND IDC_PC_LIBS_PRIVATE -pthread)
  list(APPEND IDC_INSTALL_LINK_LIBS Threads::Threads)
endif()

if(IDC_BUILD_MOCK)
  find_package(CivetWeb REQUIRED)
endif()
if(BUILD_TESTING)
  find_package(CMocka REQUIRED)
endif()

list(JOIN IDC_PC_REQUIRES_PRIVATE " " IDC_PC_REQUIRES_PRIVATE)
list(JOIN IDC_PC_LIBS_PRIVATE " " IDC_PC_LIBS_PRIVATE)
list(JOIN IDC_BUILD_LIBRARIES ", " IDC_BUILD_LIBRARIES)
message(STATUS "libidc is built with ${IDC_BUILD_LIBRARIES}")
