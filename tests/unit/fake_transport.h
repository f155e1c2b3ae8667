/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_transport.h - the scripted in-memory transport of the unit tests that drive a client
 * (test_client.c, test_iam.c, test_directory.c). A client made with fake_client_config()
 * sends through fake_ops, which answers each request with the case's next scripted step and
 * records what it was sent. fake_setup and fake_teardown are the cmocka fixture; teardown
 * fails the case when a secret reached an error message or a trace line.
 */
#ifndef IDC_TEST_FAKE_TRANSPORT_H
#define IDC_TEST_FAKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/client.h"

/* The AWS documentation's example credentials. */
#define FAKE_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define FAKE_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define FAKE_TOKEN                                                                                 \
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp"   \
    "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ"   \
    "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"   \
    "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

/* One answer: a transport failure (rc) or an HTTP response. Zero fields add nothing. */
struct fake_step {
    idc_err rc;
    bool sent; /* with rc: whether the request had left */
    int status;
    const char *body;
    size_t body_len; /* 0: strlen(body) */
    const char *request_id;
    const char *error_type;
    const char *date;
    const char *content_type; /* NULL: the case's fake.content_type */
    long retry_after;         /* 0: no Retry-After header */
};

#define FAKE_MAX_SEEN    32
#define FAKE_MAX_HEADERS 8
#define FAKE_MAX_PARAMS  12

/*
 * A request as the transport received it, copied (the client's views do not outlive the
 * exchange). A body that is an IAM form ("Action=...") is also decoded into its parameters.
 */
struct fake_request {
    size_t header_count;
    char names[FAKE_MAX_HEADERS][32];
    char values[FAKE_MAX_HEADERS][4200]; /* whole, a session token included */
    char *body;
    size_t body_len;
    size_t param_count;
    char pnames[FAKE_MAX_PARAMS][64];
    char pvalues[FAKE_MAX_PARAMS][512];
};

struct idc_directory;
struct idc_user_info;
struct idc_plan;

/* One case's state: *state in every test. */
struct fake {
    const struct fake_step *steps;
    size_t count;
    size_t next;     /* the step that answers the next request */
    size_t requests; /* received, answered or not */
    /* For a step without one; NULL: text/xml for a body starting with '<', else JSON. */
    const char *content_type;
    struct fake_request seen[FAKE_MAX_SEEN];
    char trace[64][512];
    size_t trace_count;
    struct idc_error err;
    /* What the case drives; fake_reset and fake_teardown free whichever it holds. */
    struct idc_client *client;
    struct idc_http_response resp;
    bool no_token;      /* test_client.c: start the client without a session token */
    int max_backoff_ms; /* test_client.c: the client's cap; 0: 50 */
    int retry_notices;  /* on_retry calls */
    struct idc_retry_notice last_notice;
    char last_cause[sizeof((struct idc_error *)0)->msg];
    struct idc_directory *dir;
    struct idc_user_info *info;
    struct idc_plan *plan;
};

extern const struct idc_transport_ops fake_ops;

/*
 * The cmocka fixture. Setup allocates the case's fake and makes it the one fake_ops serves
 * (the transport's open() has no user pointer). Teardown frees it and fails the case when
 * the secret or the session token is in f->err.msg or in a trace line.
 */
int fake_setup(void **state);
int fake_teardown(void **state);

/*
 * A client configuration that sends through fake_ops with FAKE_KEY_ID and FAKE_SECRET in
 * us-east-1, retries fast and traces into f; the caller sets the service and endpoint.
 */
struct idc_client_config fake_client_config(struct fake *f);

/*
 * Starts the case again: frees what it drives (client, directory, plan, user info) and what
 * was recorded, clears f->err and rewinds the script. The trace is kept.
 */
void fake_reset(struct fake *f);

/* The first trace line holding `fragment`, from there on; NULL when none does. */
const char *fake_trace_find(const struct fake *f, const char *fragment);

/* The value of header `name` as `r` was sent it; NULL when it was not. */
const char *fake_seen_header(const struct fake_request *r, const char *name);

/* Request i carried form parameter `name` decoded as `want`, or (want NULL) did not carry it. */
void fake_assert_param(const struct fake *f, size_t i, const char *name, const char *want);

/* Asserts the code of the last failure, that its message holds `fragment`, and no secret. */
void fake_assert_failed(const struct fake *f, idc_err rc, idc_err want, const char *fragment);

/* ---- what a case scripts ---------------------------------------------------------------- */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* IAM's answers (awsQuery XML), as IAM and mockaws render them. */
#define XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"
#define META                                                                                       \
    "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>"                 \
    "</ResponseMetadata>"
/* <OpResponse><OpResult>result</OpResult><ResponseMetadata/></OpResponse> */
#define ANSWER(op, result)                                                                         \
    "<" op "Response xmlns=\"" XMLNS "\"><" op "Result>" result "</" op "Result>" META "</" op     \
    "Response>"
/* A write's answer: no Result in the model. */
#define WRITTEN(op)   "<" op "Response xmlns=\"" XMLNS "\">" META "</" op "Response>"
#define NOT_TRUNCATED "<IsTruncated>false</IsTruncated>"

#endif
