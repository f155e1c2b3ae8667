/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_transport.c - the scripted transport of fuzz.h: no socket, each exchange answered by
 * the next scripted reply. One fuzz input runs at a time, so the script is a global.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const struct fuzz_answer *g_answers;
static size_t g_count;
static size_t g_next;
static char *g_body; /* the body of the last answer, NUL-terminated, freed by the next one */

void fuzz_transport_script(const struct fuzz_answer *answers, size_t n)
{
    g_answers = answers;
    g_count = n;
    g_next = 0;
}

void fuzz_transport_free(void)
{
    free(g_body);
    g_body = NULL;
}

static idc_err ft_open(void *ctx, const struct idc_transport_config *cfg, struct idc_error *err)
{
    (void)ctx;
    (void)cfg;
    (void)err;
    return IDC_OK;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    n = n < cap - 1 ? n : cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static idc_err ft_exchange(void *ctx, const struct idc_http_request *req,
                           struct idc_http_response *resp, struct idc_exchange_info *info,
                           struct idc_error *err)
{
    (void)ctx;
    (void)req;
    *resp = (struct idc_http_response){.retry_after = -1, .body = ""};
    *info = (struct idc_exchange_info){.connections = 1, .requests = g_next + 1};
    if (g_next >= g_count) {
        return idc_error_set(err, IDC_ERR_CONNECT, "no scripted answer for request %zu",
                             g_next + 1);
    }
    const struct fuzz_answer *a = &g_answers[g_next++];
    fuzz_transport_free();
    g_body = malloc(a->body_len + 1);
    if (g_body == NULL) {
        abort();
    }
    if (a->body_len > 0) {
        memcpy(g_body, a->body, a->body_len);
    }
    g_body[a->body_len] = '\0';
    info->sent = true;
    info->got_headers = true;
    resp->status = a->status;
    resp->body = g_body;
    resp->body_len = a->body_len;
    copy_text(resp->request_id, sizeof resp->request_id, "fuzz-request-id");
    copy_text(resp->content_type, sizeof resp->content_type, a->content_type);
    return IDC_OK;
}

static void ft_close(void *ctx)
{
    (void)ctx;
}

const struct idc_transport_ops fuzz_transport_ops = {
    .name = "fuzz",
    .ctx_size = 1,
    .open = ft_open,
    .exchange = ft_exchange,
    .close = ft_close,
};

struct idc_client *fuzz_client(const struct idc_service *service, const char *endpoint)
{
    struct idc_client_config cfg = {
        .service = service,
        .endpoint_url = endpoint,
        .region = "us-east-1",
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        .transport_ops = &fuzz_transport_ops,
        .max_attempts = 1,
        .base_delay_ms = 1,
        .max_backoff_ms = 1,
    };
    struct idc_client *c = NULL;
    struct idc_error err = {0};
    if (idc_client_new(&c, &cfg, &err) != IDC_OK) {
        fprintf(stderr, "fuzz_client: %s\n", err.msg);
        abort();
    }
    return c;
}

void fuzz_answer(struct idc_client *c, int status, const char *content_type, const uint8_t *body,
                 size_t len, void (*run)(struct idc_client *c, void *ud), void *ud)
{
    const struct fuzz_answer a[] = {{status, content_type, body, len},
                                    {status, content_type, body, len}};
    fuzz_transport_script(a, status == 200 ? 2 : 1);
    run(c, ud);
    fuzz_transport_script(NULL, 0);
    fuzz_transport_free();
}
