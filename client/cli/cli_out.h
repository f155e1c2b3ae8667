/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_out.h - idcctl's output formats (cli_out.c): table, JSON, CSV.
 */
#ifndef IDC_CLI_OUT_H
#define IDC_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_output { CLI_OUTPUT_TABLE, CLI_OUTPUT_JSON, CLI_OUTPUT_CSV };

struct cJSON;

/* "table", "json" or "csv" (NULL: table); -1 otherwise. */
int cli_output_parse(const char *text, enum cli_output *out);

#define CLI_TABLE_MAX_COLUMNS 12

/* Rows are kept until printing so every column gets its widest cell's width. */
struct cli_table {
    size_t columns;
    size_t width[CLI_TABLE_MAX_COLUMNS];
    char ***cells;
    size_t rows, cap;
    bool failed;
};

void cli_table_init(struct cli_table *t, size_t columns, const char *const *headers);
/* NULL or "" shows "-"; a cell is kept escaped (termtext.h), its width counted as shown. */
void cli_table_add(struct cli_table *t, const char *const *cells);
void cli_table_print(struct cli_table *t, FILE *out);
void cli_table_free(struct cli_table *t);

/*
 * One RFC 4180 field, quoted when it holds a comma, quote or line break (or starts or ends
 * with a space), quotes doubled; CRLF after the last. The bytes are kept exactly, controls
 * and invalid UTF-8 too: CSV is for programs, and one that reads it gets the data.
 */
void cli_csv_field(FILE *out, const char *s, bool last);

/*
 * `item` as the aws CLI prints JSON: 4-space indents, `"key": value`, valid UTF-8 as is,
 * controls, C1, bidi controls and U+2028/9 as \u escapes, a byte of invalid UTF-8 as U+FFFD
 * (idc_json_quote_text). `depth`
 * is the indent level of the item's own line (0 at the top); no line break after it.
 */
void cli_json_write(FILE *out, const struct cJSON *item, int depth);

/* A whole document: cli_json_write at depth 0 and a line break. */
void cli_json_print(FILE *out, const struct cJSON *doc);

/*
 * A listing in the three formats from one row at a time: table cells (NULL or "" show
 * "-"), the same cells as CSV under `csv_names`, or JSON objects in an array under
 * `json_key` (build the object only when cli_listing_json() says so). JSON and CSV
 * stream; a table waits for every row to size its columns.
 */
struct cli_listing {
    enum cli_output output;
    struct cli_table table;
    size_t columns;
    size_t rows;
};

void cli_listing_init(struct cli_listing *l, enum cli_output output, size_t columns,
                      const char *const *headers, const char *const *csv_names,
                      const char *json_key);
static inline bool cli_listing_json(const struct cli_listing *l)
{
    return l->output == CLI_OUTPUT_JSON;
}
/* `json` (consumed; NULL unless cli_listing_json) or `cells`, as the output wants. */
void cli_listing_add(struct cli_listing *l, const char *const *cells, struct cJSON *json);
/* Prints the table or closes the JSON document; frees. */
void cli_listing_finish(struct cli_listing *l);

/* ISO 8601 UTC ("2026-01-01T12:00:00Z"), or "" for 0. */
const char *cli_iso_time(int64_t t, char out[32]);

#endif
