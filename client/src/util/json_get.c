/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_get.c - typed reads of cJSON members (json_get.h).
 */
#include "json_get.h"

const char *idc_json_get_string(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double idc_json_get_number(const cJSON *obj, const char *key, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}
