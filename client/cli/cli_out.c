/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_out.c - idcctl's output formats: aligned tables (cells escaped as termtext.h says, widths
 * counted in terminal columns, not bytes, so non-ASCII names line up), JSON that is valid
 * UTF-8 with every control escaped, RFC 4180 CSV that keeps every byte as it is (a program
 * reads it), ISO 8601 times, and the choice of format from --output.
 */
#include "cli_out.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

#include "dynbuf.h"
#include "escape.h"
#include "termtext.h"
#include "timefmt.h"

int cli_output_parse(const char *text, enum cli_output *out)
{
    if (text == NULL || strcmp(text, "table") == 0) {
        *out = CLI_OUTPUT_TABLE;
    } else if (strcmp(text, "json") == 0) {
        *out = CLI_OUTPUT_JSON;
    } else if (strcmp(text, "csv") == 0) {
        *out = CLI_OUTPUT_CSV;
    } else {
        return -1;
    }
    return 0;
}

/* Terminal columns of one code point: 0 for combining marks, 2 for East Asian wide ones. */
static size_t code_point_width(uint32_t cp)
{
    static const uint32_t zero[][2] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},
                                       {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
                                       {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};
    static const uint32_t wide[][2] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
                                       {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
                                       {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
                                       {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
                                       {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        if (cp >= zero[i][0] && cp <= zero[i][1]) {
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++) {
        if (cp >= wide[i][0] && cp <= wide[i][1]) {
            return 2;
        }
    }
    return 1;
}

/* Terminal columns of a UTF-8 string; a stray byte counts as one column. */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t cp = *p;
        size_t len = cp < 0x80         ? 1
                     : (cp >> 5) == 6  ? 2
                     : (cp >> 4) == 14 ? 3
                     : (cp >> 3) == 30 ? 4
                                       : 1;
        if (len > 1) {
            cp &= 0x3Fu >> (len - 1);
            for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    len = 1;
                    cp = 0xFFFD;
                    break;
                }
                cp = (cp << 6) | (p[i] & 0x3Fu);
            }
        }
        n += code_point_width(cp);
        p += len;
    }
    return n;
}

/*
 * A cell as the table shows it: escaped (termtext.h), so a name cannot move the cursor,
 * change colours or break the row, and its width is counted on what is printed. Most
 * cells are plain and are copied as they are.
 */
static char *shown_cell(const char *s)
{
    size_t n = strlen(s);
    if (idc_text_plain_span(s, n) == n) {
        return strdup(s);
    }
    struct idc_dynbuf b = {0};
    idc_text_escape(&b, s, n);
    idc_dynbuf_put(&b, "", 1);
    if (b.failed) {
        idc_dynbuf_free(&b);
        return NULL;
    }
    return b.p;
}

void cli_table_init(struct cli_table *t, size_t columns, const char *const *headers)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    for (size_t c = 0; c < columns; c++) {
        t->width[c] = display_width(headers[c]);
    }
    cli_table_add(t, headers);
}

void cli_table_add(struct cli_table *t, const char *const *cells)
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char ***rows = realloc(t->cells, cap * sizeof *rows);
        if (rows == NULL) {
            t->failed = true;
            return;
        }
        t->cells = rows;
        t->cap = cap;
    }
    char **row = calloc(t->columns, sizeof *row);
    if (row == NULL) {
        t->failed = true;
        return;
    }
    for (size_t c = 0; c < t->columns; c++) {
        row[c] = shown_cell(cells[c] && cells[c][0] ? cells[c] : "-");
        t->failed |= row[c] == NULL;
        size_t w = row[c] ? display_width(row[c]) : 0;
        t->width[c] = w > t->width[c] ? w : t->width[c];
    }
    t->cells[t->rows++] = row;
}

void cli_table_print(struct cli_table *t, FILE *out)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            const char *cell = t->cells[r][c] ? t->cells[r][c] : "";
            bool last = c + 1 == t->columns;
            fputs(cell, out);
            for (size_t pad = display_width(cell); !last && pad < t->width[c] + 2; pad++) {
                fputc(' ', out);
            }
        }
        fputc('\n', out);
    }
}

void cli_table_free(struct cli_table *t)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            free(t->cells[r][c]);
        }
        free(t->cells[r]);
    }
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void cli_csv_field(FILE *out, const char *s, bool last)
{
    s = s ? s : "";
    bool quote =
        strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '));
    if (quote) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"') {
                fputc('"', out);
            }
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputs(last ? "\r\n" : ",", out);
}

const char *cli_iso_time(int64_t t, char out[32])
{
    if (t <= 0) {
        out[0] = '\0';
        return out;
    }
    idc_time_format_iso(t, out);
    return out;
}

/* ---- JSON --------------------------------------------------------------------------- */

static void put_string(struct idc_dynbuf *b, const char *s)
{
    idc_json_quote_text(b, s, strlen(s));
}

static void put_indent(struct idc_dynbuf *b, int depth)
{
    idc_dynbuf_printf(b, "%*s", depth * 4, "");
}

/* A scalar: strings quoted by idc_json_quote_text, numbers exactly as cJSON writes them. */
static void put_scalar(struct idc_dynbuf *b, const cJSON *item)
{
    if (cJSON_IsString(item)) {
        put_string(b, item->valuestring ? item->valuestring : "");
    } else if (cJSON_IsBool(item)) {
        idc_dynbuf_str(b, cJSON_IsTrue(item) ? "true" : "false");
    } else if (cJSON_IsNumber(item)) {
        char *text = cJSON_PrintUnformatted(item);
        idc_dynbuf_str(b, text ? text : "null");
        free(text);
    } else {
        idc_dynbuf_str(b, "null");
    }
}

static void put_json(struct idc_dynbuf *b, const cJSON *item, int depth)
{
    bool object = cJSON_IsObject(item);
    if (!object && !cJSON_IsArray(item)) {
        put_scalar(b, item);
        return;
    }
    if (item->child == NULL) {
        idc_dynbuf_str(b, object ? "{}" : "[]");
        return;
    }
    idc_dynbuf_str(b, object ? "{\n" : "[\n");
    for (const cJSON *c = item->child; c != NULL; c = c->next) {
        put_indent(b, depth + 1);
        if (object) {
            put_string(b, c->string ? c->string : "");
            idc_dynbuf_str(b, ": ");
        }
        put_json(b, c, depth + 1);
        idc_dynbuf_str(b, c->next ? ",\n" : "\n");
    }
    put_indent(b, depth);
    idc_dynbuf_str(b, object ? "}" : "]");
}

void cli_json_write(FILE *out, const cJSON *item, int depth)
{
    struct idc_dynbuf b = {0};
    put_json(&b, item, depth);
    if (b.failed) {
        fputs("null", out); /* out of memory: still valid JSON, and said on stderr */
        fprintf(stderr, "idcctl: out of memory writing JSON output\n");
    } else {
        fwrite(b.p, 1, b.len, out);
    }
    idc_dynbuf_free(&b);
}

void cli_json_print(FILE *out, const cJSON *doc)
{
    cli_json_write(out, doc, 0);
    fputc('\n', out);
}

/* ---- listings ----------------------------------------------------------------------- */

void cli_listing_init(struct cli_listing *l, enum cli_output output, size_t columns,
                      const char *const *headers, const char *const *csv_names,
                      const char *json_key)
{
    memset(l, 0, sizeof *l);
    l->output = output;
    l->columns = columns;
    if (output == CLI_OUTPUT_TABLE) {
        cli_table_init(&l->table, columns, headers);
    } else if (output == CLI_OUTPUT_JSON) {
        printf("{\n    \"%s\": [", json_key); /* keys are our own plain names */
    } else {
        for (size_t c = 0; c < columns; c++) {
            cli_csv_field(stdout, csv_names[c], c + 1 == columns);
        }
    }
}

void cli_listing_add(struct cli_listing *l, const char *const *cells, struct cJSON *json)
{
    l->rows++;
    if (l->output == CLI_OUTPUT_TABLE) {
        cli_table_add(&l->table, cells);
    } else if (l->output == CLI_OUTPUT_JSON) {
        fputs(l->rows > 1 ? ",\n        " : "\n        ", stdout);
        cli_json_write(stdout, json, 2);
    } else {
        for (size_t c = 0; c < l->columns; c++) {
            cli_csv_field(stdout, cells[c], c + 1 == l->columns);
        }
    }
    cJSON_Delete(json);
}

void cli_listing_finish(struct cli_listing *l)
{
    if (l->output == CLI_OUTPUT_TABLE) {
        cli_table_print(&l->table, stdout);
        cli_table_free(&l->table);
    } else if (l->output == CLI_OUTPUT_JSON) {
        fputs(l->rows ? "\n    ]\n}\n" : "]\n}\n", stdout);
    }
}
