/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_out.c - idcctl's output formats: aligned tables (widths counted in characters, not
 * bytes, so non-ASCII names line up), RFC 4180 CSV, ISO 8601 times, and the choice of
 * format from --output.
 */
#include "cli_out.h"

#include <stdlib.h>
#include <string.h>

#include "idc/timefmt.h"

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

/* Characters in a UTF-8 string (continuation bytes are not counted). */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
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
        row[c] = strdup(cells[c] && cells[c][0] ? cells[c] : "-");
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
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '));
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
