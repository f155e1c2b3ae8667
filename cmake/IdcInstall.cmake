# SPDX-License-Identifier: Apache-2.0
# What `cmake --install BUILD [--prefix P]` installs, in components (the Debian packages of
# cmake/IdcPackage.cmake):
#   idcctl   bin/idcctl, share/doc/idcctl/{copyright,README.md}
#   mockaws  bin/mockaws, share/idc/fixtures/default.json (its default world),
#            share/doc/mockaws/{copyright,README.md}
#   runtime  (BUILD_SHARED_LIBS) libidc.so.0 and the file it points to, share/doc/libidc0/
#   dev      libidc.a (and the libidc.so link); include/idc/*.h, libidc.pc, the CMake package
#            (find_package(idc) gives idc::idc, with a version file), share/doc/libidc-dev/
# The pkg-config file and the CMake package follow the prefix given at install time, so an
# install to any --prefix works without a reconfigure.
include(CMakePackageConfigHelpers)

set(IDC_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/idc")

# idc_install_docs(COMPONENT PACKAGE): the licence (as Debian's copyright) and the README
function(idc_install_docs component package)
  install(FILES "${CMAKE_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${package}"
          RENAME copyright COMPONENT ${component})
  install(FILES "${CMAKE_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${package}"
          COMPONENT ${component})
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
install(DIRECTORY "${CMAKE_SOURCE_DIR}/client/include/idc" "${CMAKE_BINARY_DIR}/client/include/idc"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT dev FILES_MATCHING PATTERN "*.h")
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
# `cmake --install BUILD --prefix P` gives P without a reconfigure, and an install to /usr
# gives /usr/include, which pkg-config leaves out of --cflags as a system folder.
set(IDC_PC_PREFIX "@IDC_PC_PREFIX@") # kept for the install-time pass
set(IDC_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
set(IDC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file("${CMAKE_SOURCE_DIR}/cmake/libidc.pc.in" "${CMAKE_BINARY_DIR}/libidc.pc.in" @ONLY)
install(CODE "set(IDC_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_BINARY_DIR}/libidc.pc.in\" \"${CMAKE_BINARY_DIR}/libidc.pc\" @ONLY)"
  COMPONENT dev)
install(FILES "${CMAKE_BINARY_DIR}/libidc.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT dev)
