/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_util.c - idcctl's shared helpers: error lines with hints (escaped: one line, nothing a
 * terminal would act on), reading files and secrets, number parsing.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dynbuf.h"
#include "termtext.h"

__attribute__((format(printf, 2, 0))) static void vline(FILE *f, const char *fmt, va_list ap)
{
    char stack[1024];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(stack, sizeof stack, fmt, ap);
    char *text = n >= (int)sizeof stack ? malloc((size_t)n + 1) : NULL;
    if (text != NULL) {
        vsnprintf(text, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    const char *line = text ? text : stack; /* out of memory: the start, cut by vsnprintf */
    size_t len = n < 0 ? 0 : text ? (size_t)n : strlen(stack);
    struct idc_dynbuf b = {0};
    if (idc_text_plain_span(line, len) == len) {
        fwrite(line, 1, len, f);
    } else {
        idc_text_escape(&b, line, len);
        fwrite(b.p, 1, b.failed ? 0 : b.len, f);
    }
    fputc('\n', f);
    idc_dynbuf_free(&b);
    free(text);
}

void cli_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(f, fmt, ap);
    va_end(ap);
}

const char *cli_text(struct cli_text *t, const char *s)
{
    idc_text_escape_to(idc_str_c(s), t->s, sizeof t->s);
    return t->s;
}

int cli_fail(const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("idcctl: ", stderr);
    vline(stderr, fmt, ap);
    va_end(ap);
    if (hint != NULL) {
        cli_line(stderr, "hint: %s", hint);
    }
    return CLI_EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("idcctl: ", stderr);
    vline(stderr, fmt, ap);
    va_end(ap);
    cli_line(stderr, "hint: run 'idcctl %s --help'", cmd);
    return CLI_EXIT_USAGE;
}

int cli_fail_err(const struct idc_error *err, const char *hint)
{
    return cli_fail(hint, "%s", err->msg);
}

idc_err cli_read_file(const char *path, struct cli_file *out, struct idc_error *err)
{
    bool use_stdin = strcmp(path, "-") == 0;
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    out->data = NULL;
    out->len = 0;
    if (f == NULL) {
        return idc_error_set(err, IDC_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    size_t cap = 0;
    idc_err rc = IDC_OK;
    for (;;) {
        if (out->len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            char *p = realloc(out->data, ncap + 1);
            if (p == NULL) {
                rc = idc_error_set(err, IDC_ERR_NOMEM, "out of memory reading %s", path);
                break;
            }
            out->data = p;
            cap = ncap;
        }
        size_t got = fread(out->data + out->len, 1, cap - out->len, f);
        out->len += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = idc_error_set(err, IDC_ERR_IO, "cannot read %s: %s",
                                   use_stdin ? "standard input" : path, strerror(errno));
            }
            break;
        }
    }
    if (!use_stdin) {
        fclose(f);
    }
    if (rc) {
        free(out->data);
        out->data = NULL;
        out->len = 0;
        return rc;
    }
    out->data[out->len] = '\0';
    return IDC_OK;
}

idc_err cli_read_secret_line(char *out, size_t cap, struct idc_error *err)
{
    if (fgets(out, (int)cap, stdin) == NULL) {
        return idc_error_set(err, IDC_ERR_IO, "no secret on standard input");
    }
    size_t n = strlen(out);
    if (n == cap - 1 && out[n - 1] == '\r') {
        /* the CR of a CRLF filled the buffer: the line fits if the LF comes next */
        int c = getc(stdin);
        if (c == '\n' || c == EOF) {
            out[--n] = '\0';
            return n ? IDC_OK
                     : idc_error_set(err, IDC_ERR_ARG, "the secret on standard input is empty");
        }
        ungetc(c, stdin);
    }
    if (n == cap - 1 && out[n - 1] != '\n') {
        idc_wipe(out, cap);
        return idc_error_set(err, IDC_ERR_ARG, "secret on standard input is longer than %zu bytes",
                             cap - 2);
    }
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r')) {
        out[--n] = '\0';
    }
    if (n == 0) {
        return idc_error_set(err, IDC_ERR_ARG, "the secret on standard input is empty");
    }
    return IDC_OK;
}

void cli_getopt_reset(void)
{
    optind = 0;
    opterr = 0;
}

int cli_bad_option(const char *cmd, char *const *argv)
{
    /* inside a cluster ("-xq") optind has not moved on: name the letter itself */
    if (optopt > 0 && optopt < 128) {
        return cli_usage_error(cmd, "unknown option or missing value: -%c", optopt);
    }
    return cli_usage_error(cmd, "unknown option or missing value: %s", argv[optind - 1]);
}

bool cli_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    if (s == NULL || *s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return false;
    }
    *out = v;
    return true;
}
