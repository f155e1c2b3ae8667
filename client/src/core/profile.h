/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.h - the AWS shared config and credentials files, read as botocore's configparser
 * reads them. Library-internal: resolve.c and the unit tests use it. Files hold secrets, so
 * their text is wiped on cleanup and no line of them ever appears in a message.
 */
#ifndef IDC_PROFILE_H
#define IDC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/str.h"

#define IDC_PROFILE_PATH_MAX 4096            /* the path, or how it would have been found */
#define IDC_PROFILE_FILE_MAX (1024u * 1024u) /* a larger profile file is refused */

/* The two files name their sections differently (see section_profile() in profile.c). */
enum idc_profile_kind {
    IDC_PROFILE_CONFIG,      /* ~/.aws/config: "[profile name]" and "[default]" */
    IDC_PROFILE_CREDENTIALS, /* ~/.aws/credentials: "[name]" */
};

/* One file, read whole. A missing file is not an error: `found` stays false. */
struct idc_profile_file {
    enum idc_profile_kind kind;
    bool found;                      /* it exists and was read */
    char path[IDC_PROFILE_PATH_MAX]; /* for messages; "$HOME/..." text when HOME is unset */
    char *text;                      /* heap, wiped and freed by _cleanup; NULL when !found */
    size_t len;
};

/*
 * Reads and checks the file at `path`; a missing file, or a directory, leaves `found` false
 * as botocore does. `f` needs _cleanup afterwards, even on failure.
 *   f     out  the file
 *   path  in   the file name; NULL means "none" (HOME unset) and `shown` is kept for messages
 *   shown in   how messages name the file when `path` is NULL
 * Returns IDC_ERR_IO (unreadable), IDC_ERR_LIMIT (over IDC_PROFILE_FILE_MAX),
 * IDC_ERR_PARSE (a line that is neither a section, a comment nor "key = value"; the message
 * gives the line number, never the line), IDC_ERR_NOMEM.
 */
idc_err idc_profile_file_load(struct idc_profile_file *f, enum idc_profile_kind kind,
                              const char *path, const char *shown, struct idc_error *err);

/* Wipes and frees the text; safe on a zeroed or half-loaded file. */
void idc_profile_file_cleanup(struct idc_profile_file *f);

/* True when the file has a section for `profile`. */
bool idc_profile_file_has(const struct idc_profile_file *f, struct idc_str profile);

/*
 * Finds `key` (case-insensitive, as configparser lowers keys) in the profile's sections;
 * when it appears more than once, the last one counts. `value` points into `f->text`.
 */
bool idc_profile_file_get(const struct idc_profile_file *f, struct idc_str profile,
                          struct idc_str key, struct idc_str *value);

/* The config and credentials files botocore would read, from the environment right now. */
struct idc_profile_set {
    struct idc_profile_file config;
    struct idc_profile_file credentials;
};

/*
 * Loads both files: AWS_CONFIG_FILE, else $HOME/.aws/config; AWS_SHARED_CREDENTIALS_FILE,
 * else $HOME/.aws/credentials (a leading "~/" expands to $HOME). Needs _cleanup afterwards,
 * even on failure. Returns what idc_profile_file_load returns, or IDC_ERR_LIMIT for a path
 * longer than IDC_PROFILE_PATH_MAX.
 */
idc_err idc_profile_set_load(struct idc_profile_set *s, struct idc_error *err);
void idc_profile_set_cleanup(struct idc_profile_set *s);

/* True when either file has the profile. */
bool idc_profile_set_has(const struct idc_profile_set *s, struct idc_str profile);

/*
 * A profile value; for the same key the credentials file wins over the config file, as
 * botocore merges them. `from` (may be NULL) receives the file the value came from.
 */
bool idc_profile_set_get(const struct idc_profile_set *s, struct idc_str profile,
                         struct idc_str key, struct idc_str *value,
                         const struct idc_profile_file **from);

#endif
