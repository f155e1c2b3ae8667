/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.c - the AWS config and credentials files, parsed the way botocore's RawConfigParser
 * does: full-line comments only ('#' or ';'; a '#' after a value is part of the value),
 * '=' or ':' between key and value, keys case-insensitive, and a line indented deeper than
 * the key before it continues that key's value (nested settings, which we skip).
 */
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One line of an INI file, classified. */
enum ini_kind { INI_SKIP, INI_SECTION, INI_OPTION, INI_NO_SECTION, INI_NO_DELIMITER };

struct ini_line {
    enum ini_kind kind;
    struct idc_str name;  /* the section header, or the option's key */
    struct idc_str value; /* the option's value */
    size_t lineno;
};

struct ini_reader {
    struct idc_str text;
    size_t pos;
    size_t lineno;
    bool in_section;
    bool have_option;
    size_t option_indent;
};

/* Python's str.strip() whitespace, minus the Unicode ones a config file does not use. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static struct idc_str strip(struct idc_str s)
{
    while (s.len > 0 && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len > 0 && is_space(s.p[s.len - 1])) {
        s.len--;
    }
    return s;
}

/* "[header]": the header runs to the last ']' (configparser's greedy "\[(.+)\]"). */
static bool parse_section(struct idc_str v, struct idc_str *header)
{
    if (v.len < 3 || v.p[0] != '[') {
        return false;
    }
    size_t end = v.len - 1;
    while (end > 1 && v.p[end] != ']') {
        end--;
    }
    if (v.p[end] != ']' || end < 2) {
        return false;
    }
    *header = idc_str_make(v.p + 1, end - 1);
    return true;
}

static enum ini_kind parse_option(struct idc_str v, struct ini_line *out)
{
    size_t i = 0;
    while (i < v.len && v.p[i] != '=' && v.p[i] != ':') {
        i++;
    }
    if (i == v.len) {
        return INI_NO_DELIMITER;
    }
    out->name = strip(idc_str_make(v.p, i));
    out->value = strip(idc_str_make(v.p + i + 1, v.len - i - 1));
    return out->name.len ? INI_OPTION : INI_NO_DELIMITER;
}

/* The next line of `r`, classified; false at the end of the text. */
static bool ini_next(struct ini_reader *r, struct ini_line *out)
{
    if (r->pos >= r->text.len) {
        return false;
    }
    const char *start = r->text.p + r->pos;
    const char *nl = memchr(start, '\n', r->text.len - r->pos);
    size_t n = nl ? (size_t)(nl - start) : r->text.len - r->pos;
    r->pos += n + 1;
    r->lineno++;
    *out = (struct ini_line){.kind = INI_SKIP, .lineno = r->lineno};

    struct idc_str line = idc_str_make(start, n);
    struct idc_str v = strip(line);
    if (v.len == 0 || v.p[0] == '#' || v.p[0] == ';') {
        return true; /* blank lines and comments do not end a value in configparser */
    }
    size_t indent = (size_t)(v.p - line.p);
    if (r->in_section && r->have_option && indent > r->option_indent) {
        return true; /* continuation of the previous key */
    }
    r->option_indent = indent;
    if (parse_section(v, &out->name)) {
        r->in_section = true;
        r->have_option = false;
        out->kind = INI_SECTION;
        return true;
    }
    if (!r->in_section) {
        out->kind = INI_NO_SECTION;
        return true;
    }
    out->kind = parse_option(v, out);
    r->have_option = out->kind == INI_OPTION;
    return true;
}

/* The next whitespace-separated word of `s` from `*pos`, with shlex-style quotes removed. */
static bool next_word(struct idc_str s, size_t *pos, struct idc_str *word)
{
    size_t i = *pos;
    while (i < s.len && is_space(s.p[i])) {
        i++;
    }
    if (i == s.len) {
        *pos = i;
        return false;
    }
    size_t begin = i;
    char quote = (s.p[i] == '"' || s.p[i] == '\'') ? s.p[i] : 0;
    if (quote) {
        begin = ++i;
        while (i < s.len && s.p[i] != quote) {
            i++;
        }
        *word = idc_str_make(s.p + begin, i - begin);
        *pos = i < s.len ? i + 1 : i;
        return true;
    }
    while (i < s.len && !is_space(s.p[i])) {
        i++;
    }
    *word = idc_str_make(s.p + begin, i - begin);
    *pos = i;
    return true;
}

/*
 * Whether a section header names `profile`. Credentials files use the bare name. Config
 * files use "default" or "profile NAME"; botocore splits the header with shlex and keeps
 * it when it has exactly two words and starts with "profile". Other config sections
 * ("[sso-session x]", "[services x]", a bare "[x]") are not profiles.
 */
static bool section_is(enum idc_profile_kind kind, struct idc_str header, struct idc_str profile)
{
    if (kind == IDC_PROFILE_CREDENTIALS) {
        return idc_str_eq(header, profile);
    }
    if (idc_str_eq(header, IDC_STR("default"))) {
        return idc_str_eq(profile, IDC_STR("default"));
    }
    if (!idc_str_starts_with(header, IDC_STR("profile"))) {
        return false;
    }
    size_t pos = 0;
    struct idc_str first, name, extra;
    if (!next_word(header, &pos, &first) || !next_word(header, &pos, &name) ||
        next_word(header, &pos, &extra)) {
        return false;
    }
    return idc_str_eq(name, profile);
}

static idc_err check_syntax(const struct idc_profile_file *f, struct idc_error *err)
{
    struct ini_reader r = {.text = idc_str_make(f->text, f->len)};
    struct ini_line line;
    while (ini_next(&r, &line)) {
        /* The line itself is never quoted: it may hold a secret key. */
        if (line.kind == INI_NO_SECTION) {
            return idc_error_set(err, IDC_ERR_PARSE,
                                 "%s line %zu: a setting before any [section] header; put it "
                                 "under a profile section or remove it",
                                 f->path, line.lineno);
        }
        if (line.kind == INI_NO_DELIMITER) {
            return idc_error_set(err, IDC_ERR_PARSE,
                                 "%s line %zu: expected '[section]' or 'key = value'; fix or "
                                 "remove the line",
                                 f->path, line.lineno);
        }
    }
    return IDC_OK;
}

/* Reads all of `fd` (of `size` bytes per fstat) into f->text. */
static idc_err read_all(struct idc_profile_file *f, int fd, size_t size, struct idc_error *err)
{
    f->text = malloc(size + 1);
    if (f->text == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "no memory for %zu bytes of %s", size, f->path);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, f->text + got, size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int e = errno;
            idc_error_set(err, IDC_ERR_IO, "cannot read %s: %s; check the file", f->path,
                          strerror(e));
            if (err) {
                err->native = e;
            }
            return IDC_ERR_IO;
        }
        if (n == 0) {
            break; /* the file shrank since fstat: use what is there */
        }
        got += (size_t)n;
    }
    f->text[got] = '\0';
    f->len = got;
    return IDC_OK;
}

static idc_err open_failed(const char *path, int e, struct idc_error *err)
{
    idc_error_set(err, IDC_ERR_IO, "cannot open %s: %s; fix its permissions", path, strerror(e));
    if (err) {
        err->native = e;
    }
    return IDC_ERR_IO;
}

idc_err idc_profile_file_load(struct idc_profile_file *f, enum idc_profile_kind kind,
                              const char *path, const char *shown, struct idc_error *err)
{
    *f = (struct idc_profile_file){.kind = kind};
    const char *name = path ? path : shown;
    if (strlen(name) >= sizeof f->path) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "profile file path is %zu bytes, at most %zu fit; use a shorter path",
                             strlen(name), sizeof f->path - 1);
    }
    memcpy(f->path, name, strlen(name) + 1);
    if (path == NULL) {
        return IDC_OK;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* botocore reads only what os.path.isfile() accepts: a missing file is no error. */
        return (errno == ENOENT || errno == ENOTDIR) ? IDC_OK : open_failed(path, errno, err);
    }
    struct stat st;
    idc_err rc = IDC_OK;
    if (fstat(fd, &st) != 0) {
        rc = open_failed(path, errno, err);
    } else if (!S_ISREG(st.st_mode)) {
        rc = IDC_OK; /* a directory or device: not a file botocore would read */
    } else if ((unsigned long long)st.st_size > IDC_PROFILE_FILE_MAX) {
        rc = idc_error_set(err, IDC_ERR_LIMIT,
                           "%s is %lld bytes, more than the %u read; is it the right file?", path,
                           (long long)st.st_size, IDC_PROFILE_FILE_MAX);
    } else {
        rc = read_all(f, fd, (size_t)st.st_size, err);
        f->found = rc == IDC_OK;
    }
    close(fd);
    return rc == IDC_OK && f->found ? check_syntax(f, err) : rc;
}

void idc_profile_file_cleanup(struct idc_profile_file *f)
{
    if (f == NULL) {
        return;
    }
    if (f->text != NULL) {
        idc_wipe(f->text, f->len);
        free(f->text);
    }
    f->text = NULL;
    f->len = 0;
    f->found = false;
}

bool idc_profile_file_has(const struct idc_profile_file *f, struct idc_str profile)
{
    if (!f->found) {
        return false;
    }
    struct ini_reader r = {.text = idc_str_make(f->text, f->len)};
    struct ini_line line;
    while (ini_next(&r, &line)) {
        if (line.kind == INI_SECTION && section_is(f->kind, line.name, profile)) {
            return true;
        }
    }
    return false;
}

bool idc_profile_file_get(const struct idc_profile_file *f, struct idc_str profile,
                          struct idc_str key, struct idc_str *value)
{
    if (!f->found) {
        return false;
    }
    struct ini_reader r = {.text = idc_str_make(f->text, f->len)};
    struct ini_line line;
    bool inside = false;
    bool found = false;
    while (ini_next(&r, &line)) {
        if (line.kind == INI_SECTION) {
            inside = section_is(f->kind, line.name, profile);
        } else if (inside && line.kind == INI_OPTION && idc_str_eq_nocase(line.name, key)) {
            *value = line.value;
            found = true;
        }
    }
    return found;
}

/*
 * The path botocore would use: the variable's value with "~" expanded, else $HOME/<tail>.
 * Writes NULL to *path (and a description to `shown`) when HOME is needed but unset.
 */
static idc_err file_path(const char *var, const char *tail, char *buf, size_t cap,
                         const char **path, struct idc_error *err)
{
    const char *v = getenv(var);
    const char *home = getenv("HOME");
    bool has_home = home != NULL && home[0] != '\0';
    bool set = v != NULL && v[0] != '\0';
    bool tilde = set && v[0] == '~' && (v[1] == '/' || v[1] == '\0');
    bool needs_home = !set || tilde;
    int n;
    if (!needs_home) {
        n = snprintf(buf, cap, "%s", v);
    } else if (tilde) {
        n = has_home ? snprintf(buf, cap, "%s%s", home, v + 1)
                     : snprintf(buf, cap, "%s (HOME is unset)", v);
    } else {
        n = has_home ? snprintf(buf, cap, "%s/%s", home, tail)
                     : snprintf(buf, cap, "$HOME/%s (HOME is unset)", tail);
    }
    if (n < 0 || (size_t)n >= cap) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "the path of the %s file is longer than %zu bytes; set %s to a "
                             "shorter path",
                             tail, cap - 1, var);
    }
    *path = (needs_home && !has_home) ? NULL : buf;
    return IDC_OK;
}

idc_err idc_profile_set_load(struct idc_profile_set *s, struct idc_error *err)
{
    *s = (struct idc_profile_set){.config.kind = IDC_PROFILE_CONFIG,
                                  .credentials.kind = IDC_PROFILE_CREDENTIALS};
    char buf[IDC_PROFILE_PATH_MAX];
    const char *path = NULL;
    idc_err rc = file_path("AWS_CONFIG_FILE", ".aws/config", buf, sizeof buf, &path, err);
    if (rc == IDC_OK) {
        rc = idc_profile_file_load(&s->config, IDC_PROFILE_CONFIG, path, buf, err);
    }
    if (rc == IDC_OK) {
        rc = file_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", buf, sizeof buf, &path,
                       err);
    }
    if (rc == IDC_OK) {
        rc = idc_profile_file_load(&s->credentials, IDC_PROFILE_CREDENTIALS, path, buf, err);
    }
    return rc;
}

void idc_profile_set_cleanup(struct idc_profile_set *s)
{
    if (s != NULL) {
        idc_profile_file_cleanup(&s->config);
        idc_profile_file_cleanup(&s->credentials);
    }
}

bool idc_profile_set_has(const struct idc_profile_set *s, struct idc_str profile)
{
    return idc_profile_file_has(&s->credentials, profile) ||
           idc_profile_file_has(&s->config, profile);
}

bool idc_profile_set_get(const struct idc_profile_set *s, struct idc_str profile,
                         struct idc_str key, struct idc_str *value,
                         const struct idc_profile_file **from)
{
    const struct idc_profile_file *order[2] = {&s->credentials, &s->config};
    for (size_t i = 0; i < 2; i++) {
        if (idc_profile_file_get(order[i], profile, key, value)) {
            if (from != NULL) {
                *from = order[i];
            }
            return true;
        }
    }
    return false;
}
