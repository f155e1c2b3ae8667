/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_transport.c - the scripted transport and fixture of fake_transport.h. A request past
 * the end of the script fails with IDC_ERR_CONNECT, and past FAKE_MAX_SEEN it is counted but
 * not recorded. Only one case runs at a time, so one global names the fake being served.
 */
#include "fake_transport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "idc/directory.h"

/* The transport's open() has no user pointer of its own: the case's fake is set here. */
static struct fake *g_fake;

struct fake_ctx {
    struct fake *f;
};

static idc_err fake_open(void *ctx, const struct idc_transport_config *cfg, struct idc_error *err)
{
    (void)cfg;
    (void)err;
    ((struct fake_ctx *)ctx)->f = g_fake;
    return IDC_OK;
}

static void decode_into(struct idc_str raw, char *out, size_t cap)
{
    struct idc_buf b = {out, 0, cap - 1};
    assert_int_equal(idc_form_decode(raw, &b, NULL), IDC_OK);
    out[b.len] = '\0';
}

static void record_form(struct fake_request *s)
{
    struct idc_str rest = idc_str_c(s->body), name, value;
    if (strncmp(s->body, "Action=", 7) != 0) {
        return; /* JSON */
    }
    while (s->param_count < FAKE_MAX_PARAMS && idc_form_next(&rest, &name, &value)) {
        decode_into(name, s->pnames[s->param_count], sizeof s->pnames[0]);
        decode_into(value, s->pvalues[s->param_count], sizeof s->pvalues[0]);
        s->param_count++;
    }
}

static void record(struct fake *f, const struct idc_http_request *req)
{
    if (f->requests >= FAKE_MAX_SEEN) {
        return;
    }
    struct fake_request *s = &f->seen[f->requests];
    for (size_t i = 0; i < req->header_count && i < FAKE_MAX_HEADERS; i++) {
        snprintf(s->names[i], sizeof s->names[i], IDC_STR_FMT, IDC_STR_ARG(req->headers[i].name));
        snprintf(s->values[i], sizeof s->values[i], IDC_STR_FMT,
                 IDC_STR_ARG(req->headers[i].value));
    }
    s->header_count = req->header_count;
    s->body = malloc(req->body_len + 1);
    assert_non_null(s->body);
    memcpy(s->body, req->body, req->body_len);
    s->body[req->body_len] = '\0';
    s->body_len = req->body_len;
    record_form(s);
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static const char *content_type_of(const struct fake *f, const struct fake_step *s,
                                   const char *body)
{
    if (s->content_type != NULL) {
        return s->content_type;
    }
    if (f->content_type != NULL) {
        return f->content_type;
    }
    return body[0] == '<' ? "text/xml" : "application/x-amz-json-1.1";
}

static idc_err fake_exchange(void *ctx, const struct idc_http_request *req,
                             struct idc_http_response *resp, struct idc_exchange_info *info,
                             struct idc_error *err)
{
    struct fake *f = ((struct fake_ctx *)ctx)->f;
    record(f, req);
    f->requests++;
    *resp = (struct idc_http_response){.retry_after = -1, .body = ""};
    *info = (struct idc_exchange_info){.connections = 1, .requests = f->requests};
    if (f->next >= f->count) {
        return idc_error_set(err, IDC_ERR_CONNECT, "the script has no answer %zu", f->requests);
    }
    const struct fake_step *s = &f->steps[f->next++];
    if (s->rc != IDC_OK) {
        info->sent = s->sent;
        return idc_error_set(err, s->rc, "scripted %s", idc_err_name(s->rc));
    }
    info->sent = true;
    info->got_headers = true;
    resp->status = s->status;
    resp->body = s->body ? s->body : "";
    resp->body_len = s->body_len ? s->body_len : strlen(resp->body);
    copy_text(resp->request_id, sizeof resp->request_id, s->request_id);
    copy_text(resp->error_type, sizeof resp->error_type, s->error_type);
    copy_text(resp->date, sizeof resp->date, s->date);
    copy_text(resp->content_type, sizeof resp->content_type, content_type_of(f, s, resp->body));
    resp->retry_after = s->retry_after ? s->retry_after : -1;
    return IDC_OK;
}

static void fake_close(void *ctx)
{
    (void)ctx;
}

const struct idc_transport_ops fake_ops = {
    .name = "scripted",
    .ctx_size = sizeof(struct fake_ctx),
    .open = fake_open,
    .exchange = fake_exchange,
    .close = fake_close,
};

static void trace_collect(const char *line, void *ud)
{
    struct fake *f = ud;
    if (f->trace_count < sizeof f->trace / sizeof f->trace[0]) {
        snprintf(f->trace[f->trace_count++], sizeof f->trace[0], "%s", line);
    }
}

const char *fake_trace_find(const struct fake *f, const char *fragment)
{
    for (size_t i = 0; i < f->trace_count; i++) {
        const char *p = strstr(f->trace[i], fragment);
        if (p != NULL) {
            return p;
        }
    }
    return NULL;
}

struct idc_client_config fake_client_config(struct fake *f)
{
    return (struct idc_client_config){
        .region = "us-east-1",
        .access_key_id = FAKE_KEY_ID,
        .secret_access_key = FAKE_SECRET,
        .transport_ops = &fake_ops,
        .base_delay_ms = 1,
        .max_backoff_ms = 5,
        .trace = trace_collect,
        .trace_ud = f,
    };
}

/* ---- fixture ---------------------------------------------------------------------------- */

int fake_setup(void **state)
{
    struct fake *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return -1;
    }
    g_fake = f;
    *state = f;
    return 0;
}

/* Whole or in part: a message may quote a credential cut short. */
static bool holds_secret(const char *text)
{
    return strstr(text, FAKE_SECRET) != NULL || strstr(text, "bPxRfiCYEXAMPLEKEY") != NULL ||
           strstr(text, FAKE_TOKEN) != NULL || strstr(text, "AQoDYXdzEPT") != NULL;
}

void fake_reset(struct fake *f)
{
    idc_plan_free(f->plan);
    idc_user_info_free(f->info);
    idc_directory_free(f->dir);
    idc_client_free(f->client);
    f->plan = NULL;
    f->info = NULL;
    f->dir = NULL;
    f->client = NULL;
    for (size_t i = 0; i < FAKE_MAX_SEEN; i++) {
        free(f->seen[i].body);
    }
    memset(f->seen, 0, sizeof f->seen);
    f->requests = f->next = 0;
    f->retry_notices = 0;
    f->err = (struct idc_error){0};
}

int fake_teardown(void **state)
{
    struct fake *f = *state;
    bool leaked = holds_secret(f->err.msg);
    for (size_t i = 0; i < f->trace_count; i++) {
        leaked = leaked || holds_secret(f->trace[i]);
    }
    fake_reset(f);
    free(f);
    g_fake = NULL;
    if (leaked) {
        fail_msg("the secret or the session token reached a message or a trace line");
    }
    return 0;
}

/* ---- what a request carried ------------------------------------------------------------- */

const char *fake_seen_header(const struct fake_request *r, const char *name)
{
    for (size_t i = 0; i < r->header_count && i < FAKE_MAX_HEADERS; i++) {
        if (strcmp(r->names[i], name) == 0) {
            return r->values[i];
        }
    }
    return NULL;
}

/* The decoded value of form parameter `name` in request `i`, or NULL. */
static const char *seen_param(const struct fake *f, size_t i, const char *name)
{
    const struct fake_request *s = &f->seen[i];
    for (size_t p = 0; p < s->param_count; p++) {
        if (strcmp(s->pnames[p], name) == 0) {
            return s->pvalues[p];
        }
    }
    return NULL;
}

void fake_assert_param(const struct fake *f, size_t i, const char *name, const char *want)
{
    const char *got = seen_param(f, i, name);
    if (want == NULL && got != NULL) {
        fail_msg("request %zu: %s=%s was sent, none expected", i, name, got);
    }
    if (want != NULL && (got == NULL || strcmp(got, want) != 0)) {
        fail_msg("request %zu: %s is %s, expected %s", i, name, got ? got : "(absent)", want);
    }
}

void fake_assert_failed(const struct fake *f, idc_err rc, idc_err want, const char *fragment)
{
    if (rc != want || f->err.code != want || strstr(f->err.msg, fragment) == NULL) {
        fail_msg("expected %s with \"%s\", got %s: %s", idc_err_name(want), fragment,
                 idc_err_name(rc), f->err.msg);
    }
    if (holds_secret(f->err.msg)) {
        fail_msg("the secret is in the message: %s", f->err.msg);
    }
}
