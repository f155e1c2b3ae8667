/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.h - what every public header of libidc opens and closes with: C linkage for C++
 * callers, and default symbol visibility. libidc is compiled with hidden visibility, so
 * exactly the functions and data declared between IDC_BEGIN_DECLS and IDC_END_DECLS in
 * the installed headers are its API; everything else stays inside the library.
 */
#ifndef IDC_API_H
#define IDC_API_H

#ifdef __cplusplus
#define IDC_BEGIN_DECLS                                                                            \
    extern "C" {                                                                                   \
    _Pragma("GCC visibility push(default)")
#define IDC_END_DECLS                                                                              \
    _Pragma("GCC visibility pop")                                                                  \
    }
#else
#define IDC_BEGIN_DECLS _Pragma("GCC visibility push(default)")
#define IDC_END_DECLS   _Pragma("GCC visibility pop")
#endif

#endif
