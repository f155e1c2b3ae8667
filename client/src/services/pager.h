/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pager.h - the guard every paginated listing runs its tokens through (library-internal):
 * a token seen before in the same listing (A, B, A as well as A, A), a token over the
 * models' length, too many pages in all, or too many empty pages in a row end the listing
 * with an error instead of a loop. Remembers 64-bit hashes of the tokens, not the tokens.
 */
#ifndef IDC_PAGER_H
#define IDC_PAGER_H

#include <stddef.h>
#include <stdint.h>

#include "idc/error.h"

#define IDC_PAGES_MAX       100000 /* pages in one listing: 10 million users at 100 a page */
#define IDC_EMPTY_PAGES_MAX 1000   /* pages in a row without an item, each with a token */
#define IDC_PAGE_TOKEN_MAX  65535  /* bytes in a NextToken (the models' bound) or a Marker */

struct idc_pager {
    const char *token_name; /* "NextToken" or "Marker", for messages */
    uint64_t *seen;         /* open addressing; 0 marks a free slot */
    size_t count, cap;
    unsigned pages, empty_in_a_row;
    uint64_t key; /* per listing, so a server cannot aim at the hash */
};

void idc_pager_init(struct idc_pager *p, const char *token_name);

/*
 * A page with `items` items arrived carrying `token` (`len` bytes; 0 on the last page).
 * Returns IDC_ERR_PARSE when the token was seen before in this listing or is longer than
 * IDC_PAGE_TOKEN_MAX, IDC_ERR_LIMIT past IDC_PAGES_MAX pages or IDC_EMPTY_PAGES_MAX empty
 * pages in a row, IDC_ERR_NOMEM; the caller names the operation and the page.
 */
idc_err idc_pager_next(struct idc_pager *p, const char *token, size_t len, size_t items,
                       struct idc_error *err);

void idc_pager_free(struct idc_pager *p);

#endif
