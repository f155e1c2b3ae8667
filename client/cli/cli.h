/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - what idcctl's command files share: exit codes, messages, file reading.
 * Only client/cli/ may exit the process; the library never does.
 */
#ifndef IDC_CLI_H
#define IDC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "idc/error.h"
#include "idc/str.h"

/*
 * Exit codes, documented in the README, and CLI_CONTINUE: what a step that can end the
 * command (parsing options, opening the inventory) returns when the command goes on. A
 * step returns CLI_CONTINUE or the exit status to end with, after saying why.
 */
enum cli_exit {
    CLI_CONTINUE = -1,
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_NOT_FOUND = 3,
    CLI_EXIT_DENIED = 4,
    CLI_EXIT_PARTIAL = 5,
};

/*
 * One line on `f`: the printf-style text with every control character, C1 control, bidi
 * control and byte of invalid UTF-8 escaped (termtext.h: \n, \x1b, \u202e, \xff), then a
 * line break. Every message idcctl writes to stderr goes through it, since its values (a
 * server's message, a name an identity provider chose) may hold anything.
 */
void cli_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A value escaped the same way for a line of plain output; cut with "..." past its size. */
struct cli_text {
    char s[2048];
};
const char *cli_text(struct cli_text *t, const char *s);

/* "idcctl: <message>" on stderr, then an optional "hint: ..." line. Returns CLI_EXIT_ERROR. */
int cli_fail(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A usage error: the message and "run 'idcctl <cmd> --help'". Returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports a library error (message plus hint). Returns CLI_EXIT_ERROR. */
int cli_fail_err(const struct idc_error *err, const char *hint);

/* A whole file (or standard input for "-") in a heap buffer; free() it. */
struct cli_file {
    char *data;
    size_t len;
};

/* Reads `path`; IDC_ERR_IO names the file and the system's reason. */
idc_err cli_read_file(const char *path, struct cli_file *out, struct idc_error *err);

/* Reads one line (a secret) from standard input, without its line break. */
idc_err cli_read_secret_line(char *out, size_t cap, struct idc_error *err);

/* Before a getopt_long loop: a full reset (optind 0 also forgets a "-xyz" cluster left
 * half read), and no message from getopt itself. */
void cli_getopt_reset(void);

/*
 * After getopt_long returned '?' or ':': "unknown option or missing value: -x" (the letter
 * of a short option, even inside a cluster) or the long option's word. Returns CLI_EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, char *const *argv);

/* Parses a decimal number in [min, max]; false when `s` is not one. */
bool cli_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Command entry points. */
int cli_integration_main(int argc, char **argv);
int cli_sync_main(int argc, char **argv);
int cli_sync_runs_main(int argc, char **argv);
int cli_users_main(int argc, char **argv);
int cli_audit_main(int argc, char **argv);
int cli_policy_main(int argc, char **argv);
int cli_sigv4_main(int argc, char **argv);
int cli_sigv4_sign(int argc, char **argv);
int cli_sigv4_verify(int argc, char **argv);
int cli_sigv4_speed(int argc, char **argv);

/* Writes the signed request text (used by `sign` and by the vector runner). */
struct idc_sigv4_parsed;
struct idc_sigv4_result;
void cli_print_signed_request(FILE *out, const struct idc_sigv4_parsed *parsed,
                              const struct idc_sigv4_result *res, bool presigned);

#endif
