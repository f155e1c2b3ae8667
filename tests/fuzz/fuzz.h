/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz.h - what the fuzz targets share: an in-memory transport that answers a client's
 * requests from the fuzzer's bytes (fuzz_transport.c), and a file holding the input for the
 * loaders that only read files (fuzz_file.c). Every target takes at most FUZZ_MAX_INPUT bytes.
 */
#ifndef IDC_FUZZ_H
#define IDC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "idc/client.h"
#include "idc/transport.h"

#define FUZZ_MAX_INPUT (64u * 1024) /* longer inputs are ignored: ci/fuzz's -max_len is less */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One scripted HTTP answer. */
struct fuzz_answer {
    int status;
    const char *content_type;
    const uint8_t *body;
    size_t body_len;
};

/*
 * Makes `answers[0..n)` the replies to the next requests, in order; a request past the last
 * fails as a refused connection (so a listing whose pages never end stops). The body is
 * copied, with a NUL after it as the real transports leave one. `answers` must outlive the
 * calls.
 */
void fuzz_transport_script(const struct fuzz_answer *answers, size_t n);
void fuzz_transport_free(void); /* frees the last body handed out */

extern const struct idc_transport_ops fuzz_transport_ops;

/*
 * A client for `service` at `endpoint` that sends through fuzz_transport_ops, with one
 * attempt per call (no retry, no backoff sleep). Aborts when it cannot be made.
 */
struct idc_client *fuzz_client(const struct idc_service *service, const char *endpoint);

/*
 * Calls `run(c, ud)` with `body` as the answer of the given status; a 200 is given twice, so
 * that a page naming a next one is followed once.
 */
void fuzz_answer(struct idc_client *c, int status, const char *content_type, const uint8_t *body,
                 size_t len, void (*run)(struct idc_client *c, void *ud), void *ud);

/* Writes `data` into an in-memory file and returns a path that opens it. Aborts on failure. */
const char *fuzz_file_write(const uint8_t *data, size_t size);

#endif
