/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.h - a signed, retried call to one AWS service endpoint: the layer under the
 * services (identitystore.h, iam.h). A client holds one transport (one kept-alive
 * connection), the credentials, a signing-key cache and the clock offset learnt from the
 * server. Which service it talks to, and how (awsJson1_1 or awsQuery), comes from the
 * service descriptor it is made with. Its configuration is complete and explicit: nothing
 * in the environment changes it (resolve.h fills one from the environment when wanted).
 * A client is used by one thread at a time.
 */
#ifndef IDC_CLIENT_H
#define IDC_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/error.h"
#include "idc/service.h"
#include "idc/transport.h"

IDC_BEGIN_DECLS

/*
 * A retry about to wait: the application may show it (the library prints nothing). idcctl
 * announces waits over a second on stderr. `cause` is the failure being retried.
 */
struct idc_retry_notice {
    const char *operation; /* "ListUsers" */
    int attempt;           /* the attempt that comes after the wait: 2, 3, ... */
    int max_attempts;
    int wait_ms;                   /* how long the client sleeps before it */
    bool server_asked;             /* the wait is what the server asked (Retry-After) */
    const struct idc_error *cause; /* why the last attempt failed */
};
typedef void idc_retry_fn(const struct idc_retry_notice *notice, void *ud);

/*
 * Credentials a provider hands a client (resolve.h's providers, or the application's own):
 * temporary ones say when they expire. A provider fills `out` and returns IDC_OK, or returns
 * an error in `err` (whose message says what to fix, without any secret).
 */
struct idc_credentials {
    char access_key_id[129];
    char secret_access_key[129];
    char session_token[4097]; /* "" for long-term keys */
    int64_t expiration;       /* seconds since the epoch; 0: they do not expire */
};
typedef idc_err idc_credentials_fn(struct idc_credentials *out, void *ud, struct idc_error *err);

/* Before temporary credentials expire, the client asks for new ones: from 15 minutes
 * before (a failure then is traced and the current ones kept), and from 10 minutes before
 * it must have them (a failure fails the call), as the AWS SDKs refresh. */
#define IDC_CREDENTIALS_REFRESH_S   900
#define IDC_CREDENTIALS_MANDATORY_S 600

struct idc_client_config {
    const struct idc_service *service; /* required: &idc_service_identitystore, ... */
    const char *endpoint_url;          /* required: https://identitystore.us-east-1.amazonaws.com */
    const char *region;                /* required: the signing region */
    const char *access_key_id;         /* required unless anonymous or `credentials` is set */
    const char *secret_access_key;     /* the same; copied, wiped on free, never printed */
    const char *session_token;         /* optional */
    const char *transport;             /* "native" (default) or "curl" */
    const struct idc_transport_ops *transport_ops; /* a table of your own (tests, another HTTP
                                                      stack); overrides `transport` */
    const char *ca_bundle;                         /* PEM file; NULL or "": the system store */
    const char *https_proxy; /* "http://host:port"; NULL or "": connect directly */
    const char *no_proxy;    /* hosts that bypass the proxy ("localhost,.corp"); NULL: none */
    const char *user_agent;  /* NULL: "libidc/<version>"; an application names itself here */
    int max_attempts;        /* 0: 3 (the SDKs' standard mode) */
    int base_delay_ms;       /* 0: 1000; backoff = random(0, min(max, base * 2^n)) */
    int max_backoff_ms;      /* 0: 20000; also the longest wait a server may ask (Retry-After)
                                before the call ends with that error instead */
    int connect_timeout_ms;  /* 0: 10000; DNS, TCP, a proxy's tunnel and TLS together */
    int timeout_ms;          /* 0: 60000; one attempt as a whole, connecting included */
    idc_trace_fn *trace;     /* optional debug trace (secrets redacted) */
    void *trace_ud;
    idc_retry_fn *on_retry; /* optional: told before each wait between attempts */
    void *on_retry_ud;
    bool anonymous; /* send requests unsigned, without credentials: the calls AWS serves to
                       anyone (sts:AssumeRoleWithWebIdentity) */
    idc_credentials_fn *credentials; /* instead of the keys above: asked at the first call and
                                        again before what it gave expires */
    void *credentials_ud;
};

struct idc_client;

/*
 * Creates a client. Warns through the trace when a plain http:// endpoint is not on
 * loopback. Returns IDC_ERR_ARG (a missing or malformed setting, an unknown transport),
 * IDC_ERR_SPACE (a setting too long to keep, such as a CA bundle path over 1023 bytes),
 * IDC_ERR_TLS (the CA bundle cannot be read), IDC_ERR_PROXY (a malformed https_proxy),
 * IDC_ERR_NOMEM.
 */
idc_err idc_client_new(struct idc_client **out, const struct idc_client_config *cfg,
                       struct idc_error *err);
void idc_client_free(struct idc_client *c); /* wipes the secret; NULL is fine */

/* How a call may be retried (SDK standard mode, spec in the README). */
enum idc_call_kind {
    IDC_CALL_READ,       /* read-only: retried after any transport failure */
    IDC_CALL_IDEMPOTENT, /* modelled idempotent (identitystore DeleteUser): the same */
    IDC_CALL_WRITE,      /* retried on transport failures only when nothing was sent */
};

/*
 * One call: signs, sends, retries (throttling, InternalServer*, 5xx, transport failures
 * as `kind` allows, RetryAfterSeconds / Retry-After honoured up to max_backoff_ms (a server
 * asking for longer ends the call with its error, saying how long it asked), each wait
 * told to on_retry first, one retry after correcting
 * the clock from the server's Date when the signature expired), and turns an error answer
 * into IDC_ERR_AWS with status, code, message, request id and retryability in `err`.
 *   operation  in   the operation name ("ListUsers"): awsJson1_1 sends it in X-Amz-Target;
 *                   awsQuery's form body carries it as Action
 *   body       in   the body in the service's protocol: JSON, or the form
 *   resp       out  the successful response; its body is valid until the next call
 */
idc_err idc_client_call(struct idc_client *c, const char *operation, const char *body,
                        size_t body_len, enum idc_call_kind kind, struct idc_http_response *resp,
                        struct idc_error *err);

struct idc_client_stats {
    uint64_t calls;       /* idc_client_call invocations */
    uint64_t requests;    /* HTTP requests sent, retries included */
    uint64_t connections; /* connections opened */
    uint64_t retries;
    int64_t clock_offset; /* seconds added to the local clock when signing */
};

void idc_client_get_stats(const struct idc_client *c, struct idc_client_stats *out);

/*
 * True when AWS refused a request for its time (RequestExpired, RequestTimeTooSkewed, or a
 * signature error saying "Signature expired" or "not yet current"): the local clock is off.
 * idc_client_call already corrects the clock once from the server's Date and retries.
 */
bool idc_error_is_clock_skew(const struct idc_error *err);

/* The service the client was made for. */
const struct idc_service *idc_client_service(const struct idc_client *c);

IDC_END_DECLS

#endif
