# SPDX-License-Identifier: Apache-2.0
# What `cmake --install BUILD [--prefix P]` installs, in components (the Debian packages of
# cmake/IdcPackage.cmake):
#   idcctl   bin/idcctl, share/doc/idcctl/{copyright,README.md,changelog.gz}
#   mockaws  bin/mockaws, share/idc/fixtures/default.json (its default world),
#            share/doc/mockaws/ (as for idcctl)
#   runtime  (BUILD_SHARED_LIBS) libidc.so.0 and the file it points to, share/doc/libidc0/
#   dev      libidc.a (and the libidc.so link); include/idc/*.h, libidc.pc, the CMake package
#            (find_package(idc) gives idc::idc, with a version file), share/doc/libidc-dev/
# The pkg-config file and the CMake package follow the prefix given at install time, so an
# install to any --prefix works without a reconfigure.
include(CMakePackageConfigHelpers)

set(IDC_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/idc")

# The changelogs as Debian keeps them, compressed: CHANGELOG.md as changelog.gz, and with
# IDC_DEBIAN_CHANGELOG (ci/package) the packaging's own changelog.Debian.gz.
option(IDC_DEBIAN_CHANGELOG "Install changelog.Debian.gz (for the Debian packages)" OFF)
# The packages' maintainer: whoever builds them names themselves (-DIDC_PACKAGE_CONTACT=...)
set(IDC_PACKAGE_CONTACT "The idcctl developers <idcctl@localhost>" CACHE STRING
    "Maintainer of the Debian packages: Name <address>")
find_program(IDC_GZIP gzip REQUIRED)
set(idc_doc_dir "${CMAKE_BINARY_DIR}/doc")
file(MAKE_DIRECTORY "${idc_doc_dir}")
set(idc_changelogs "${idc_doc_dir}/changelog.gz")
add_custom_command(OUTPUT "${idc_doc_dir}/changelog.gz"
  COMMAND ${IDC_GZIP} -9n -c "${CMAKE_SOURCE_DIR}/CHANGELOG.md" > "${idc_doc_dir}/changelog.gz"
  DEPENDS "${CMAKE_SOURCE_DIR}/CHANGELOG.md" VERBATIM)
if(IDC_DEBIAN_CHANGELOG)
  string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC) # SOURCE_DATE_EPOCH when set
  file(WRITE "${idc_doc_dir}/changelog.Debian"
       "idc (${PROJECT_VERSION}-1) unstable; urgency=medium\n\n"
       "  * Packages of release ${PROJECT_VERSION}, made with CPack (ci/package). What changed\n"
       "    upstream is in changelog.gz.\n\n"
       " -- ${IDC_PACKAGE_CONTACT}  ${date}\n")
  add_custom_command(OUTPUT "${idc_doc_dir}/changelog.Debian.gz"
    COMMAND ${IDC_GZIP} -9n -c "${idc_doc_dir}/changelog.Debian" > "${idc_doc_dir}/changelog.Debian.gz"
    DEPENDS "${idc_doc_dir}/changelog.Debian" VERBATIM)
  list(APPEND idc_changelogs "${idc_doc_dir}/changelog.Debian.gz")
endif()
add_custom_target(idc_changelogs ALL DEPENDS ${idc_changelogs})

# idc_install_docs(COMPONENT PACKAGE): the copyright (Debian's machine-readable format,
# pointing to the system's copy of the licence), the README and the changelogs
function(idc_install_docs component package)
  set(doc "${CMAKE_INSTALL_DATADIR}/doc/${package}")
  install(FILES "${CMAKE_SOURCE_DIR}/cmake/copyright" "${CMAKE_SOURCE_DIR}/README.md"
                ${idc_changelogs} DESTINATION "${doc}" COMPONENT ${component})
endfunction()

if(TARGET idcctl)
  install(TARGETS idcctl RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT idcctl)
  idc_install_docs(idcctl idcctl)
endif()

if(TARGET mockaws)
  install(TARGETS mockaws RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT mockaws)
  install(FILES "${CMAKE_SOURCE_DIR}/fixtures/default.json"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/idc/fixtures" COMPONENT mockaws)
  idc_install_docs(mockaws mockaws)
endif()

# ---- the library, its headers, pkg-config and the CMake package ------------------------------
# A program needs only libidc.so.0 to run, a build the libidc.so link (Debian's split).
if(BUILD_SHARED_LIBS)
  install(TARGETS idc EXPORT idcTargets
          LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime NAMELINK_COMPONENT dev
          INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(TARGETS idc_static EXPORT idcTargets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
          INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  idc_install_docs(runtime libidc0)
else()
  install(TARGETS idc EXPORT idcTargets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
          INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# inventory.h only with the inventory, so that a program using it fails to compile rather
# than to link against a library built without it
set(idc_skip_headers "")
if(NOT IDC_WITH_INVENTORY)
  set(idc_skip_headers PATTERN "inventory.h" EXCLUDE)
endif()
install(DIRECTORY "${CMAKE_SOURCE_DIR}/client/include/idc" "${CMAKE_BINARY_DIR}/client/include/idc"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT dev FILES_MATCHING PATTERN "*.h"
        ${idc_skip_headers})
idc_install_docs(dev libidc-dev)

install(EXPORT idcTargets NAMESPACE idc:: DESTINATION "${IDC_CMAKE_DIR}" COMPONENT dev)
configure_package_config_file("${CMAKE_SOURCE_DIR}/cmake/idcConfig.cmake.in"
                              "${CMAKE_BINARY_DIR}/idcConfig.cmake"
                              INSTALL_DESTINATION "${IDC_CMAKE_DIR}")
# Before 1.0 a minor release may break the API (README, "Compatibility"): a program asking
# for 0.2 gets any 0.2.x.
write_basic_package_version_file("${CMAKE_BINARY_DIR}/idcConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/idcConfig.cmake" "${CMAKE_BINARY_DIR}/idcConfigVersion.cmake"
        DESTINATION "${IDC_CMAKE_DIR}" COMPONENT dev)

# libidc.pc names the prefix it is installed into: written at install time, so that
# `cmake --install BUILD --prefix P` gives P without a reconfigure (a relative P is taken from
# the current folder, as cmake does), and an install to /usr gives /usr/include, which
# pkg-config leaves out of --cflags as a system folder. An absolute CMAKE_INSTALL_LIBDIR or
# INCLUDEDIR is kept as it is.
set(IDC_PC_PREFIX "@IDC_PC_PREFIX@") # kept for the install-time pass
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(IDC_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(IDC_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file("${CMAKE_SOURCE_DIR}/cmake/libidc.pc.in" "${CMAKE_BINARY_DIR}/libidc.pc.in" @ONLY)
install(CODE "get_filename_component(IDC_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\" ABSOLUTE)
  configure_file(\"${CMAKE_BINARY_DIR}/libidc.pc.in\" \"${CMAKE_BINARY_DIR}/libidc.pc\" @ONLY)"
  COMPONENT dev)
install(FILES "${CMAKE_BINARY_DIR}/libidc.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT dev)
