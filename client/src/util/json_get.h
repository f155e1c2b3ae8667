/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_get.h - typed reads of a parsed cJSON object's members, for the code that takes
 * JSON apart (the awsJson1_1 protocol, the Identity Store service, mockaws). A member that
 * is absent or of another type reads as "none", never as a crash.
 */
#ifndef IDC_JSON_GET_H
#define IDC_JSON_GET_H

#include <cjson/cJSON.h>

/* The string member `key` of `obj`, or NULL (no object, no member, not a string). */
const char *idc_json_get_string(const cJSON *obj, const char *key);

/* The number member `key` of `obj`, or `fallback` (no object, no member, not a number). */
double idc_json_get_number(const cJSON *obj, const char *key, double fallback);

#endif
