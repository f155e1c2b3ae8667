/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_transport_native.c - the native HTTP/1.1 transport against a scripted TCP server that
 * runs in a thread of the test (127.0.0.1, port 0): bodies, truncation, caps, keep-alive and
 * reconnects, timeouts, connect and DNS failures, the one-write request, response fields and
 * trace redaction. Also idc_url_parse and idc_url_is_loopback, the proxy rules (https_proxy
 * read through idc_url_parse_proxy, no_proxy matching, CONNECT with the scripted server as
 * the proxy) and the configuration's defaults.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "idc/transport.h"
#include "idc/version.h"
#include "net.h"
#include "transport_int.h"

/* AWS documentation examples: a signature and a session token that must never be traced. */
#define TEST_SIGNATURE "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
#define TEST_TOKEN                                                                                 \
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp"   \
    "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ"   \
    "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"   \
    "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
#define TEST_BODY "{\"IdentityStoreId\":\"d-1234567890\",\"MaxResults\":100}"

/* ---- the scripted server -------------------------------------------------------------- */

#define SERVER_MAX_REQUESTS 128

/* What the server does with one request it reads. */
struct reply {
    const char *bytes; /* the exact answer; NULL: close without answering */
    size_t len;        /* 0: strlen(bytes) */
    bool close_after;  /* close the connection after answering */
    bool silent;       /* read the request, never answer, wait until the client leaves */
    int trickle_ms;    /* send the answer a byte at a time, this long apart */
};

/* One request as the server read it. */
struct received {
    char *bytes;
    size_t len;
    size_t first_read; /* what the first recv() returned */
};

struct server {
    int lfd;
    char url[64];
    pthread_t thread;
    const struct reply *replies;
    size_t count;
    struct received got[SERVER_MAX_REQUESTS];
    atomic_size_t got_count;
    atomic_int accepts;
    atomic_int closes; /* connections the server closed */
};

/* Bounds every blocking call of the server, so a failing test cannot hang the thread. */
static void set_timeouts(int fd)
{
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* Content-Length of a request head the transport wrote (it spells the name one way). */
static size_t request_body_length(const char *head, size_t len)
{
    const char *cl = idc_str_find(idc_str_make(head, len), IDC_STR("\r\nContent-Length: "));
    return cl ? (size_t)strtoul(cl + 18, NULL, 10) : 0;
}

/* Reads one whole request (head and body); false when the client left first. */
static bool read_request(int fd, struct received *rec)
{
    size_t cap = 4096, len = 0, need = SIZE_MAX;
    char *buf = malloc(cap + 1);
    rec->first_read = 0;
    while (buf != NULL && len < need) {
        if (len == cap) {
            char *bigger = realloc(buf, 2 * cap + 1);
            if (bigger == NULL) {
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = recv(fd, buf + len, cap - len, 0);
        if (n <= 0) {
            break;
        }
        rec->first_read = rec->first_read ? rec->first_read : (size_t)n;
        len += (size_t)n;
        buf[len] = '\0';
        const char *end = idc_str_find(idc_str_make(buf, len), IDC_STR("\r\n\r\n"));
        if (need == SIZE_MAX && end != NULL) {
            size_t head = (size_t)(end - buf) + 4;
            need = head + request_body_length(buf, head);
        }
    }
    if (buf == NULL || len < need) {
        free(buf);
        return false;
    }
    rec->bytes = buf;
    rec->len = len;
    return true;
}

static void send_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0) {
            return; /* the client gave up reading: what it saw is what the test checks */
        }
        p += n;
        len -= (size_t)n;
    }
}

static void wait_for_eof(int fd)
{
    char sink[512];
    while (recv(fd, sink, sizeof sink, 0) > 0) {
    }
}

static void close_connection(struct server *s, int *fd)
{
    close(*fd);
    *fd = -1;
    s->closes++;
}

static void *server_main(void *arg)
{
    struct server *s = arg;
    int fd = -1, idle = 0;
    for (size_t i = 0; i < s->count && i < SERVER_MAX_REQUESTS; i++) {
        const struct reply *r = &s->replies[i];
        if (fd < 0) {
            fd = accept(s->lfd, NULL, NULL);
            if (fd < 0) {
                break;
            }
            set_timeouts(fd);
            s->accepts++;
        }
        if (!read_request(fd, &s->got[i])) {
            /* The client left this connection without a request: take its next one. */
            close_connection(s, &fd);
            if (++idle > 3) {
                break;
            }
            i--;
            continue;
        }
        s->got_count++;
        if (r->silent) {
            wait_for_eof(fd);
            close_connection(s, &fd);
            continue;
        }
        size_t len = r->bytes ? (r->len ? r->len : strlen(r->bytes)) : 0;
        for (size_t k = 0; r->trickle_ms > 0 && k < len; k++) {
            struct timespec pause = {0, r->trickle_ms * 1000000L};
            nanosleep(&pause, NULL);
            if (send(fd, r->bytes + k, 1, MSG_NOSIGNAL) != 1) {
                break; /* the client gave up */
            }
        }
        if (r->bytes != NULL && r->trickle_ms == 0) {
            send_all(fd, r->bytes, len);
        }
        if (r->bytes == NULL || r->close_after) {
            close_connection(s, &fd);
        }
    }
    if (fd >= 0) {
        wait_for_eof(fd);
        close(fd);
    }
    return NULL;
}

static void server_start(struct server *s, const struct reply *replies, size_t count)
{
    memset(s, 0, sizeof *s);
    s->replies = replies;
    s->count = count;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(s->lfd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->lfd, 8), 0);
    socklen_t alen = sizeof a;
    assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&a, &alen), 0);
    set_timeouts(s->lfd);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
    assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

/* Joins the thread: call after the transport is closed (a silent step waits for that). */
static void server_stop(struct server *s)
{
    shutdown(s->lfd, SHUT_RDWR); /* wakes an accept() waiting for a client that is done */
    pthread_join(s->thread, NULL);
    close(s->lfd);
}

static void server_free(struct server *s)
{
    for (size_t i = 0; i < SERVER_MAX_REQUESTS; i++) {
        free(s->got[i].bytes);
    }
}

/* Waits (bounded) until the server has closed `n` connections. */
static void server_wait_closes(struct server *s, int n)
{
    for (int i = 0; i < 5000 && s->closes < n; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(s->closes, n);
}

/* ---- the client side ------------------------------------------------------------------ */

struct trace_log {
    char lines[64][1100];
    size_t count;
};

static void trace_collect(const char *line, void *ud)
{
    struct trace_log *log = ud;
    if (log->count < sizeof log->lines / sizeof log->lines[0]) {
        snprintf(log->lines[log->count++], sizeof log->lines[0], "%s", line);
    }
}

static bool trace_has(const struct trace_log *log, const char *fragment)
{
    for (size_t i = 0; i < log->count; i++) {
        if (strstr(log->lines[i], fragment) != NULL) {
            return true;
        }
    }
    return false;
}

struct client_opts {
    int timeout_ms;         /* 0: 3000 */
    int connect_timeout_ms; /* 0: 3000 */
    size_t max_response;
    struct trace_log *trace;
    const char *https_proxy;
    const char *no_proxy;
};

static const struct idc_transport_ops *native(void)
{
    const struct idc_transport_ops *ops = idc_transport_find("native");
    assert_non_null(ops);
    return ops;
}

static void *transport_open(const char *url, const struct client_opts *o)
{
    struct idc_transport_config cfg = {
        .connect_timeout_ms = o && o->connect_timeout_ms ? o->connect_timeout_ms : 3000,
        .timeout_ms = o && o->timeout_ms ? o->timeout_ms : 3000,
        .max_response = o ? o->max_response : 0,
        .user_agent = "unit-test/1.0",
        .trace = o && o->trace ? trace_collect : NULL,
        .trace_ud = o ? o->trace : NULL,
        .https_proxy = o ? o->https_proxy : NULL,
        .no_proxy = o ? o->no_proxy : NULL,
    };
    struct idc_error err = {0};
    assert_int_equal(idc_url_parse(url, &cfg.endpoint, &err), IDC_OK);
    void *ctx = calloc(1, native()->ctx_size);
    assert_non_null(ctx);
    assert_int_equal(native()->open(ctx, &cfg, &err), IDC_OK);
    return ctx;
}

static void transport_close(void *ctx)
{
    native()->close(ctx);
    free(ctx);
}

/* A signed-looking Identity Store request: what the client layer would hand over. */
struct test_request {
    struct idc_sigv4_header headers[6];
    struct idc_http_request req;
};

static void request_init(struct test_request *t)
{
    t->headers[0] = (struct idc_sigv4_header){IDC_STR("Host"), IDC_STR("127.0.0.1")};
    t->headers[1] =
        (struct idc_sigv4_header){IDC_STR("Content-Type"), IDC_STR("application/x-amz-json-1.1")};
    t->headers[2] =
        (struct idc_sigv4_header){IDC_STR("X-Amz-Target"), IDC_STR("AWSIdentityStore.ListUsers")};
    t->headers[3] = (struct idc_sigv4_header){IDC_STR("X-Amz-Date"), IDC_STR("20150830T123600Z")};
    t->headers[4] = (struct idc_sigv4_header){IDC_STR("X-Amz-Security-Token"), IDC_STR(TEST_TOKEN)};
    t->headers[5] = (struct idc_sigv4_header){
        IDC_STR("Authorization"),
        IDC_STR("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/"
                "identitystore/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                "x-amz-security-token;x-amz-target, Signature=" TEST_SIGNATURE)};
    t->req = (struct idc_http_request){
        .method = IDC_STR("POST"),
        .target = IDC_STR("/"),
        .headers = t->headers,
        .header_count = 6,
        .body = (const uint8_t *)TEST_BODY,
        .body_len = sizeof TEST_BODY - 1,
    };
}

struct outcome {
    idc_err rc;
    struct idc_http_response resp;
    char body[1024]; /* the body's start, kept after the transport is closed */
    struct idc_exchange_info info;
    struct idc_error err;
};

static void exchange(void *ctx, struct outcome *o)
{
    struct test_request t;
    request_init(&t);
    memset(o, 0, sizeof *o);
    o->rc = native()->exchange(ctx, &t.req, &o->resp, &o->info, &o->err);
    memcpy(o->body, o->resp.body, o->resp.body_len < sizeof o->body ? o->resp.body_len : 0);
}

static void assert_body(const struct outcome *o, const char *want)
{
    assert_int_equal(o->resp.body_len, strlen(want));
    assert_memory_equal(o->body, want, strlen(want));
}

/* One server, one transport, each reply answered by one exchange: returns the last. */
static void run_script(const struct reply *replies, size_t count, const struct client_opts *opts,
                       struct outcome *last, struct server *s)
{
    server_start(s, replies, count);
    void *ctx = transport_open(s->url, opts);
    for (size_t i = 0; i < count; i++) {
        exchange(ctx, last);
    }
    transport_close(ctx);
    server_stop(s);
}

/* ---- bodies ----------------------------------------------------------------------------- */

static void test_transport_native_content_length_body(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                  "Content-Length: 13\r\n\r\n{\"Users\":[ ]}"},
    };
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.status, 200);
    assert_body(&o, "{\"Users\":[ ]}");
    assert_int_equal(o.resp.retry_after, -1);
    assert_string_equal(o.resp.content_type, "application/x-amz-json-1.1");
    assert_true(o.info.sent);
    assert_true(o.info.got_headers);
    assert_int_equal(o.info.connections, 1);
    assert_int_equal(o.info.requests, 1);
    server_free(&s);
}

static void test_transport_native_chunked_body(void **state)
{
    (void)state;
    /* Chunk extensions, a chunk larger than one read, trailers; then a second exchange on
     * the same connection proves the trailers were consumed to the blank line. */
    enum { BIG = 40000 };
    static char first[BIG + 512];
    int n = snprintf(first, sizeof first,
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;name=value\r\nhello\r\n1;x;y=\"z\"\r\n \r\n6\r\nworld!\r\n%x\r\n",
                     (unsigned)BIG);
    memset(first + n, 'b', BIG);
    n += BIG;
    n += snprintf(first + n, sizeof first - (size_t)n,
                  "\r\n0;end\r\nX-Trailer: yes\r\nAnother-Trailer: 2\r\n\r\n");
    static const struct reply r0 = {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"};
    struct reply r[2] = {{.bytes = first, .len = (size_t)n}, r0};
    struct server s;
    server_start(&s, r, 2);
    void *ctx = transport_open(s.url, NULL);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.status, 200);
    assert_int_equal(o.resp.body_len, 12 + BIG);
    assert_memory_equal(o.resp.body, "hello world!", 12);
    for (size_t i = 12; i < o.resp.body_len; i++) {
        assert_int_equal(o.resp.body[i], 'b');
    }
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "next");
    assert_int_equal(o.info.connections, 1);
    transport_close(ctx);
    server_stop(&s);
    server_free(&s);
}

static void test_transport_native_chunked_cut_short(void **state)
{
    (void)state;
    /* Closed in the middle of a chunk's data, and in the middle of a chunk-size line. */
    static const struct reply cases[][1] = {
        {{.bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nonly",
          .close_after = true}},
        {{.bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1",
          .close_after = true}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct server s;
        struct outcome o;
        run_script(cases[i], 1, NULL, &o, &s);
        assert_int_equal(o.rc, IDC_ERR_RESET);
        assert_true(strstr(o.err.msg, "chunked") != NULL || strstr(o.err.msg, "truncated"));
        assert_true(o.info.got_headers);
        assert_int_equal(s.accepts, 1); /* headers came: no silent reconnect */
        server_free(&s);
    }
}

static void test_transport_native_content_length_cut_short(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it",
         .close_after = true},
    };
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_RESET);
    assert_non_null(strstr(o.err.msg, "truncated"));
    assert_true(o.info.sent);
    assert_true(o.info.got_headers);
    server_free(&s);
}

static void test_transport_native_body_over_cap(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", .close_after = true},
    };
    struct server s;
    struct outcome o;
    struct client_opts opts = {.max_response = 1024};
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "1024-byte cap"));
    assert_non_null(strstr(o.err.msg, "5000"));
    server_free(&s);
}

static void test_transport_native_chunked_over_cap(void **state)
{
    (void)state;
    static char text[4096];
    int n = snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; i++) { /* five chunks of 300 bytes against a 1024-byte cap */
        n += snprintf(text + n, sizeof text - (size_t)n, "12c\r\n%300s\r\n", "x");
    }
    n += snprintf(text + n, sizeof text - (size_t)n, "0\r\n\r\n");
    struct reply r[] = {{.bytes = text, .len = (size_t)n, .close_after = true}};
    struct server s;
    struct outcome o;
    struct client_opts opts = {.max_response = 1024};
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "1024-byte cap"));
    server_free(&s);
}

static void test_transport_native_until_close_over_cap(void **state)
{
    (void)state;
    static char text[8192];
    int n = snprintf(text, sizeof text, "HTTP/1.0 200 OK\r\n\r\n");
    memset(text + n, 'z', 5000);
    struct reply r[] = {{.bytes = text, .len = (size_t)n + 5000, .close_after = true}};
    struct server s;
    struct outcome o;
    struct client_opts opts = {.max_response = 1024};
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "1024-byte cap"));
    server_free(&s);
}

/* "HTTP/1.1 200 OK" and `size` bytes of header lines; `end` adds the blank line and a body. */
static size_t big_head(char *out, size_t cap, size_t size, bool end)
{
    size_t n = (size_t)snprintf(out, cap, "HTTP/1.1 200 OK\r\n");
    for (unsigned i = 0; n < size; i++) {
        n += (size_t)snprintf(out + n, cap - n, "X-Filler-%05u: %080d\r\n", i, 0);
    }
    if (end) {
        n += (size_t)snprintf(out + n, cap - n, "Content-Length: 2\r\n\r\nok");
    }
    return n;
}

static void test_transport_native_headers_over_64k(void **state)
{
    (void)state;
    static char text[80 * 1024];
    size_t n = big_head(text, sizeof text, 70 * 1024, false);
    struct reply r[] = {{.bytes = text, .len = n}};
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "65536"));
    assert_false(o.info.got_headers);
    server_free(&s);
}

static void test_transport_native_headers_over_64k_complete(void **state)
{
    (void)state;
    /* 100 KiB of headers that do end: the cap must hold whatever size the reads have. */
    static char text[110 * 1024];
    size_t n = big_head(text, sizeof text, 100 * 1024, true);
    struct reply r[] = {{.bytes = text, .len = n}};
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "65536"));
    server_free(&s);
}

static void test_transport_native_garbage_status_line(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nX: y\r\n\r\n", .close_after = true},
    };
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "'SSH-2.0-OpenSSH_9.2p1 Debian-2'"));
    server_free(&s);
}

static void test_transport_native_204_without_body(void **state)
{
    (void)state;
    /* The server keeps the connection open: reading until close would time out. */
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 204 No Content\r\nx-amzn-RequestId: r-204\r\n\r\n"},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
    };
    struct server s;
    server_start(&s, r, 2);
    struct client_opts opts = {.timeout_ms = 2000};
    void *ctx = transport_open(s.url, &opts);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.status, 204);
    assert_int_equal(o.resp.body_len, 0);
    assert_non_null(o.resp.body);
    assert_string_equal(o.resp.request_id, "r-204");
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "ok");
    transport_close(ctx);
    server_stop(&s);
    server_free(&s);
}

/* Two exchanges where the first answer must end its connection: the second one is
 * answered on a new connection with `second`. */
static void check_second_on_new_connection(const struct reply r[2], const char *first,
                                           const char *second)
{
    struct server s;
    server_start(&s, r, 2);
    void *ctx = transport_open(s.url, NULL);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, first);
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.status, 200);
    assert_body(&o, second);
    assert_int_equal(o.info.connections, 2);
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(s.accepts, 2);
    server_free(&s);
}

static void test_transport_native_http10_until_close(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nread me until the end",
         .close_after = true},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
    };
    check_second_on_new_connection(r, "read me until the end", "ok");
}

/* ---- connections ------------------------------------------------------------------------ */

static void test_transport_native_connection_close_reconnects(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none",
         .close_after = true},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"},
    };
    struct server s;
    server_start(&s, r, 2);
    void *ctx = transport_open(s.url, NULL);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "one");
    assert_int_equal(o.info.connections, 1);
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "two");
    assert_int_equal(o.info.connections, 2);
    assert_int_equal(o.info.requests, 2);
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(s.accepts, 2);
    server_free(&s);
}

static void test_transport_native_keep_alive_100_exchanges(void **state)
{
    (void)state;
    static struct reply r[100];
    for (size_t i = 0; i < 100; i++) {
        r[i] = (struct reply){.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nalive"};
    }
    struct server s;
    server_start(&s, r, 100);
    void *ctx = transport_open(s.url, NULL);
    struct outcome o;
    for (size_t i = 0; i < 100; i++) {
        exchange(ctx, &o);
        assert_int_equal(o.rc, IDC_OK);
        assert_body(&o, "alive");
    }
    assert_int_equal(o.info.connections, 1);
    assert_int_equal(o.info.requests, 100);
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(s.accepts, 1);
    assert_int_equal(s.got_count, 100);
    server_free(&s);
}

/* Bytes after a complete answer answer nothing that was asked: the connection is not used
 * again, so they never pass for the next request's answer. */
static void test_transport_native_leftover_bytes_not_reused(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                  "HTTP/1.1 299 STALE\r\nContent-Length: 5\r\n\r\nstale"},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh"},
    };
    check_second_on_new_connection(r, "{}", "fresh");
}

static void test_transport_native_idle_close_reconnects(void **state)
{
    (void)state;
    /* Keep-alive promised, then the server closes while the client is idle. */
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst", .close_after = true},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond"},
    };
    struct trace_log log = {0};
    struct client_opts opts = {.trace = &log};
    struct server s;
    server_start(&s, r, 2);
    void *ctx = transport_open(s.url, &opts);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "first");
    server_wait_closes(&s, 1);
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "second");
    assert_int_equal(o.info.connections, 2);
    assert_true(o.info.sent);
    assert_true(trace_has(&log, "closed the idle connection"));
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(s.accepts, 2);
    assert_int_equal(s.got_count, 2);
    server_free(&s);
}

static void test_transport_native_read_timeout(void **state)
{
    (void)state;
    static const struct reply r[] = {{.silent = true}};
    struct server s;
    struct outcome o;
    struct client_opts opts = {.timeout_ms = 200};
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_TIMEOUT);
    assert_non_null(strstr(o.err.msg, "200 ms"));
    assert_true(o.info.sent);
    assert_false(o.info.got_headers);
    server_free(&s);
}

/* A server that sends a byte every 20 ms never lets a per-byte timeout fire: the attempt's
 * timeout covers the whole answer. */
static void test_transport_native_timeout_covers_trickle(void **state)
{
    (void)state;
    static char answer[2048];
    int n = snprintf(answer, sizeof answer, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    memset(answer + n, 'x', 1000);
    static const struct reply r[] = {{.bytes = answer, .trickle_ms = 20}};
    struct server s;
    struct outcome o;
    struct client_opts opts = {.timeout_ms = 300};
    int64_t start = idc_net_now_ms();
    run_script(r, 1, &opts, &o, &s);
    int64_t took = idc_net_now_ms() - start;
    assert_int_equal(o.rc, IDC_ERR_TIMEOUT);
    assert_non_null(strstr(o.err.msg, "no complete answer from 127.0.0.1:"));
    assert_non_null(strstr(o.err.msg, "within 300 ms"));
    assert_true(took < 1500);
    server_free(&s);
}

static void test_transport_native_connect_refused(void **state)
{
    (void)state;
    /* A port that was just free: bound, then closed without listening. */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t alen = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    close(fd);
    char url[64], port[16];
    snprintf(port, sizeof port, "%u", (unsigned)ntohs(a.sin_port));
    snprintf(url, sizeof url, "http://127.0.0.1:%s", port);
    void *ctx = transport_open(url, NULL);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_ERR_CONNECT);
    assert_non_null(strstr(o.err.msg, "127.0.0.1"));
    assert_non_null(strstr(o.err.msg, port));
    assert_false(o.info.sent);
    assert_int_equal(o.info.connections, 0);
    transport_close(ctx);
}

static void test_transport_native_dns_failure(void **state)
{
    (void)state;
    void *ctx = transport_open("http://no-such-host.invalid", NULL);
    struct outcome o;
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_ERR_DNS);
    assert_non_null(strstr(o.err.msg, "no-such-host.invalid"));
    assert_false(o.info.sent);
    transport_close(ctx);
}

/* ---- the request and the response --------------------------------------------------------- */

static void test_transport_native_request_in_one_piece(void **state)
{
    (void)state;
    static const struct reply r[] = {{.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}};
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(s.got_count, 1);
    const struct received *g = &s.got[0];
    assert_int_equal(g->first_read, g->len); /* one write, one read */
    assert_true(strncmp(g->bytes, "POST / HTTP/1.1\r\n", 17) == 0);
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", sizeof TEST_BODY - 1);
    assert_non_null(strstr(g->bytes, cl));
    assert_non_null(strstr(g->bytes, "\r\nUser-Agent: unit-test/1.0\r\n"));
    assert_non_null(strstr(g->bytes, "\r\nX-Amz-Target: AWSIdentityStore.ListUsers\r\n"));
    assert_non_null(strstr(g->bytes, "\r\nX-Amz-Security-Token: " TEST_TOKEN "\r\n"));
    assert_non_null(strstr(g->bytes, "Signature=" TEST_SIGNATURE "\r\n"));
    /* The signed headers go out in the order given, before the two the transport adds. */
    const char *host = strstr(g->bytes, "\r\nHost: 127.0.0.1\r\n");
    const char *auth = strstr(g->bytes, "\r\nAuthorization: ");
    const char *ua = strstr(g->bytes, "\r\nUser-Agent: ");
    assert_true(host != NULL && auth != NULL && ua != NULL && host < auth && auth < ua);
    size_t body_len = sizeof TEST_BODY - 1;
    assert_true(g->len > body_len + 4);
    assert_memory_equal(g->bytes + g->len - body_len - 4, "\r\n\r\n" TEST_BODY, body_len + 4);
    server_free(&s);
}

static void test_transport_native_response_fields(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 400 Bad Request\r\n"
                  "x-amzn-RequestId: 3f0b4b4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\n"
                  "X-Amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/\r\n"
                  "Date: Sun, 30 Aug 2015 12:36:00 GMT\r\n"
                  "content-type:application/x-amz-json-1.1\r\n"
                  "Retry-After:  7 \r\n"
                  "Content-Length: 47\r\n\r\n"
                  "{\"__type\":\"ThrottlingException\",\"message\":\"x\"}\n"},
    };
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.status, 400);
    assert_string_equal(o.resp.request_id, "3f0b4b4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_string_equal(o.resp.error_type, "ThrottlingException:http://internal.amazon.com/coral/");
    assert_string_equal(o.resp.date, "Sun, 30 Aug 2015 12:36:00 GMT");
    assert_string_equal(o.resp.content_type, "application/x-amz-json-1.1");
    assert_int_equal(o.resp.retry_after, 7);
    assert_body(&o, "{\"__type\":\"ThrottlingException\",\"message\":\"x\"}\n");
    server_free(&s);
}

static void test_transport_native_trace_redacts_secrets(void **state)
{
    (void)state;
    static const struct reply r[] = {{.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}};
    struct trace_log log = {0};
    struct client_opts opts = {.trace = &log};
    struct server s;
    struct outcome o;
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_OK);
    assert_true(trace_has(&log, "> POST / HTTP/1.1"));
    assert_true(trace_has(&log, "> Host: 127.0.0.1"));
    assert_true(trace_has(&log, "> X-Amz-Target: AWSIdentityStore.ListUsers"));
    assert_true(trace_has(&log, "> X-Amz-Date: 20150830T123600Z"));
    assert_true(trace_has(&log, "> X-Amz-Security-Token: <redacted>"));
    assert_true(trace_has(&log, "> Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE"
                                "/20150830/us-east-1/identitystore/aws4_request, SignedHeaders="
                                "content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                                "Signature=<redacted>"));
    assert_true(trace_has(&log, "< HTTP 200, 2 bytes"));
    assert_false(trace_has(&log, TEST_SIGNATURE));
    assert_false(trace_has(&log, TEST_TOKEN));
    assert_false(trace_has(&log, "AQoDYXdzEPT")); /* not even the start of the token */
    assert_false(trace_has(&log, "5d672d79"));
    server_free(&s);
}

static void test_transport_native_trace_redacts_unsigned_authorization(void **state)
{
    (void)state;
    /* An Authorization value without "Signature=" must still not be traced in clear. */
    static const struct reply r[] = {{.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}};
    struct trace_log log = {0};
    struct client_opts opts = {.trace = &log};
    struct server s;
    server_start(&s, r, 1);
    void *ctx = transport_open(s.url, &opts);
    struct test_request t;
    request_init(&t);
    t.headers[5].value = IDC_STR("Bearer " TEST_SIGNATURE);
    struct outcome o = {0};
    o.rc = native()->exchange(ctx, &t.req, &o.resp, &o.info, &o.err);
    assert_int_equal(o.rc, IDC_OK);
    transport_close(ctx);
    server_stop(&s);
    assert_true(trace_has(&log, "> Authorization: "));
    assert_false(trace_has(&log, TEST_SIGNATURE));
    server_free(&s);
}

static void test_transport_native_closed_before_answer(void **state)
{
    (void)state;
    static const struct reply r[] = {{.bytes = NULL, .close_after = true}};
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_RESET);
    assert_non_null(strstr(o.err.msg, "without answering"));
    assert_true(o.info.sent);
    assert_false(o.info.got_headers);
    assert_int_equal(o.info.requests, 1);
    assert_int_equal(s.accepts, 1); /* a fresh connection: no reconnect */
    server_free(&s);
}

/* ---- URLs ------------------------------------------------------------------------------- */

static void test_transport_native_url_https_default_port(void **state)
{
    (void)state;
    struct idc_url u;
    struct idc_error err = {0};
    assert_int_equal(idc_url_parse("https://identitystore.us-east-1.amazonaws.com", &u, &err),
                     IDC_OK);
    assert_true(u.https);
    assert_string_equal(u.host, "identitystore.us-east-1.amazonaws.com");
    assert_string_equal(u.port, "443");
    assert_string_equal(u.authority, "identitystore.us-east-1.amazonaws.com");
    /* The default port given explicitly, and a trailing slash, change nothing. */
    assert_int_equal(idc_url_parse("HTTPS://iam.amazonaws.com:443/", &u, &err), IDC_OK);
    assert_true(u.https);
    assert_string_equal(u.port, "443");
    assert_string_equal(u.authority, "iam.amazonaws.com");
}

static void test_transport_native_url_http_with_port(void **state)
{
    (void)state;
    struct idc_url u;
    struct idc_error err = {0};
    assert_int_equal(idc_url_parse("http://localhost:8080", &u, &err), IDC_OK);
    assert_false(u.https);
    assert_string_equal(u.host, "localhost");
    assert_string_equal(u.port, "8080");
    assert_string_equal(u.authority, "localhost:8080");
    assert_int_equal(idc_url_parse("http://localhost", &u, &err), IDC_OK);
    assert_string_equal(u.port, "80");
    assert_string_equal(u.authority, "localhost");
}

static void test_transport_native_url_ipv6(void **state)
{
    (void)state;
    struct idc_url u;
    struct idc_error err = {0};
    assert_int_equal(idc_url_parse("https://[::1]:8443", &u, &err), IDC_OK);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.port, "8443");
    assert_string_equal(u.authority, "[::1]:8443");
    assert_int_equal(idc_url_parse("https://[::1]/", &u, &err), IDC_OK);
    assert_string_equal(u.port, "443");
    assert_string_equal(u.authority, "[::1]");
}

static void test_transport_native_url_refused(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        const char *fragment;
    } bad[] = {
        {"ftp://example.com", "scheme"},
        {"example.com", "scheme"},
        {"https://identitystore.us-east-1.amazonaws.com/v1/users", "path"},
        {"https://example.com?x=1", "query"},
        {"https://example.com:0", "port"},
        {"https://example.com:65536", "port"},
        {"https://example.com:443x", "port"},
        {"https://example.com:", "port"},
        {"https://example.com:123456", "port"},
        {"https://user:pw@example.com", "user information"},
        {"https://[::1:8443", "']'"},
        {"https://", "host"},
        {"https://:8443", "host"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct idc_url u;
        struct idc_error err = {0};
        assert_int_equal(idc_url_parse(bad[i].url, &u, &err), IDC_ERR_ARG);
        assert_int_equal(err.code, IDC_ERR_ARG);
        if (strstr(err.msg, bad[i].fragment) == NULL || strstr(err.msg, bad[i].url) == NULL) {
            fail_msg("%s: unexpected message: %s", bad[i].url, err.msg);
        }
    }
}

static void test_transport_native_url_refuses_junk_after_ipv6(void **state)
{
    (void)state;
    struct idc_url u;
    struct idc_error err = {0};
    /* Only ':' port, '/' or the end may follow "]". */
    assert_int_equal(idc_url_parse("https://[::1]8443", &u, &err), IDC_ERR_ARG);
    assert_int_equal(idc_url_parse("https://[::1]x:8443", &u, &err), IDC_ERR_ARG);
}

static void test_transport_native_url_is_loopback(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        bool loopback;
    } cases[] = {
        {"http://localhost:8080", true},
        {"http://LocalHost", true},
        {"http://127.0.0.1:1", true},
        {"http://127.255.0.9", true},
        {"http://[::1]:8443", true},
        {"https://identitystore.us-east-1.amazonaws.com", false},
        {"http://10.0.0.1", false},
        {"http://128.0.0.1", false},
        {"http://localhost.example.com", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct idc_url u;
        assert_int_equal(idc_url_parse(cases[i].url, &u, NULL), IDC_OK);
        if (idc_url_is_loopback(&u) != cases[i].loopback) {
            fail_msg("%s: loopback should be %d", cases[i].url, cases[i].loopback);
        }
    }
}

static void test_transport_native_url_loopback_not_dns_name(void **state)
{
    (void)state;
    /* A host name that merely starts with "127." is not in 127.0.0.0/8. */
    struct idc_url u;
    assert_int_equal(idc_url_parse("http://127.example.com", &u, NULL), IDC_OK);
    assert_false(idc_url_is_loopback(&u));
}

/* ---- bodies: strict numbers ------------------------------------------------------------ */

/* One response with this chunk-size line before "hello": the exchange's outcome. */
static void chunked_with_line(const char *size_line, struct outcome *o)
{
    char text[256];
    int n = snprintf(text, sizeof text,
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s\r\nhello\r\n"
                     "0\r\n\r\n",
                     size_line);
    struct reply r[] = {{.bytes = text, .len = (size_t)n, .close_after = true}};
    struct server s;
    run_script(r, 1, NULL, o, &s);
    server_free(&s);
}

static void test_transport_native_chunk_size_strict(void **state)
{
    (void)state;
    /* strtoull took all of these; a chunk size is hex digits only (RFC 9112 7.1). */
    static const char *const bad[] = {"0x5", "-5", " 5", "+5", "5x", "", "g", "10000000000000005"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct outcome o;
        chunked_with_line(bad[i], &o);
        if (o.rc != IDC_ERR_HTTP || strstr(o.err.msg, "bad chunk size line") == NULL) {
            fail_msg("'%s': %s: %s", bad[i], idc_err_name(o.rc), o.err.msg);
        }
    }
    /* Blanks before an extension are allowed (BWS), and upper-case hex digits. */
    static const char *const good[] = {"5 ;name=value", "5\t; x", "05", "5 "};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct outcome o;
        chunked_with_line(good[i], &o);
        if (o.rc != IDC_OK) {
            fail_msg("'%s': %s: %s", good[i], idc_err_name(o.rc), o.err.msg);
        }
        assert_body(&o, "hello");
    }
}

static void test_transport_native_chunk_data_past_its_size(void **state)
{
    (void)state;
    /* "5" then six bytes: the CRLF after the data is missing, so the size is wrong. */
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello!\r\n0\r\n\r\n",
         .close_after = true},
    };
    struct server s;
    struct outcome o;
    run_script(r, 1, NULL, &o, &s);
    assert_int_equal(o.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(o.err.msg, "runs past its size"));
    server_free(&s);
}

static void test_transport_native_content_length_not_a_number(void **state)
{
    (void)state;
    static const char *const bad[] = {"+2", "0x2", "2 2", "-2", "2,2", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        int n =
            snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\nok", bad[i]);
        struct reply r[] = {{.bytes = text, .len = (size_t)n, .close_after = true}};
        struct server s;
        struct outcome o;
        run_script(r, 1, NULL, &o, &s);
        if (o.rc != IDC_ERR_HTTP || strstr(o.err.msg, "Content-Length is not a number") == NULL) {
            fail_msg("'%s': %s: %s", bad[i], idc_err_name(o.rc), o.err.msg);
        }
        server_free(&s);
    }
}

static void test_transport_native_head_keeps_connection(void **state)
{
    (void)state;
    /* A HEAD answer announces a length but carries no body: the next answer follows it. */
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"},
        {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
    };
    struct server s;
    server_start(&s, r, 2);
    void *ctx = transport_open(s.url, NULL);
    struct test_request t;
    request_init(&t);
    t.req.method = IDC_STR("HEAD");
    t.req.body_len = 0;
    struct outcome o = {0};
    o.rc = native()->exchange(ctx, &t.req, &o.resp, &o.info, &o.err);
    assert_int_equal(o.rc, IDC_OK);
    assert_int_equal(o.resp.body_len, 0);
    assert_string_equal(o.resp.body, "");
    exchange(ctx, &o);
    assert_int_equal(o.rc, IDC_OK);
    assert_body(&o, "ok");
    assert_int_equal(o.resp.body[o.resp.body_len], '\0'); /* a NUL follows, not counted */
    assert_int_equal(o.info.connections, 1);
    transport_close(ctx);
    server_stop(&s);
    server_free(&s);
}

static void test_transport_native_trace_connected(void **state)
{
    (void)state;
    static const struct reply r[] = {{.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}};
    struct trace_log log = {0};
    struct client_opts opts = {.trace = &log};
    struct server s;
    struct outcome o;
    run_script(r, 1, &opts, &o, &s);
    assert_int_equal(o.rc, IDC_OK);
    char want[96];
    snprintf(want, sizeof want, "* connected to %.60s in ", s.url + strlen("http://"));
    assert_true(trace_has(&log, want));
    assert_true(trace_has(&log, " ms (connection 1)"));
    assert_true(trace_has(&log, "< HTTP 200, 2 bytes, "));
    server_free(&s);
}

/* ---- the connect timeout ----------------------------------------------------------------- */

static void test_transport_native_tls_handshake_connect_timeout(void **state)
{
    (void)state;
    /* The server accepts and never speaks TLS: the connect timeout ends the handshake, not
     * the much longer read timeout. */
    static const struct reply r[] = {{.silent = true}};
    struct server s;
    server_start(&s, r, 1);
    char url[64];
    snprintf(url, sizeof url, "https://localhost:%s", strrchr(s.url, ':') + 1);
    struct client_opts opts = {.connect_timeout_ms = 300, .timeout_ms = 10000};
    void *ctx = transport_open(url, &opts);
    int64_t start = idc_net_now_ms();
    struct outcome o;
    exchange(ctx, &o);
    int64_t took = idc_net_now_ms() - start;
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(o.rc, IDC_ERR_TIMEOUT);
    assert_non_null(
        strstr(o.err.msg, "timed out after 300 ms in the TLS handshake with localhost"));
    assert_non_null(strstr(o.err.msg, "connect timeout"));
    assert_false(o.info.sent);
    assert_true(took < 3000);
    server_free(&s);
}

static void test_transport_native_proxy_tunnel_connect_timeout(void **state)
{
    (void)state;
    /* The proxy takes the CONNECT and never answers. */
    static const struct reply r[] = {{.silent = true}};
    struct server s;
    server_start(&s, r, 1);
    struct client_opts opts = {
        .connect_timeout_ms = 300, .timeout_ms = 10000, .https_proxy = s.url};
    void *ctx = transport_open("https://identitystore.us-east-1.amazonaws.com", &opts);
    int64_t start = idc_net_now_ms();
    struct outcome o;
    exchange(ctx, &o);
    int64_t took = idc_net_now_ms() - start;
    transport_close(ctx);
    server_stop(&s);
    assert_int_equal(o.rc, IDC_ERR_TIMEOUT);
    assert_non_null(strstr(o.err.msg, "timed out after 300 ms waiting for the proxy's tunnel to "
                                      "identitystore.us-east-1.amazonaws.com:443"));
    assert_false(o.info.sent);
    assert_true(took < 3000);
    assert_int_equal(s.got_count, 1);
    assert_non_null(strstr(s.got[0].bytes, "CONNECT identitystore.us-east-1.amazonaws.com:443 "));
    server_free(&s);
}

/* ---- the proxy ------------------------------------------------------------------------------ */

static void test_transport_native_proxy_url_forms(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *host;
        const char *port;
        const char *name;
    } cases[] = {
        {"proxy.corp:3128", "proxy.corp", "3128", "proxy.corp:3128"},
        {"proxy.corp", "proxy.corp", "1080", "proxy.corp:1080"},
        {"http://proxy.corp", "proxy.corp", "1080", "proxy.corp:1080"},
        {"http://proxy.corp:80/", "proxy.corp", "80", "proxy.corp:80"},
        {"HTTP://10.0.0.1:8080", "10.0.0.1", "8080", "10.0.0.1:8080"},
        {"[::1]:3128", "::1", "3128", "[::1]:3128"},
        {"http://[fd00::1]", "fd00::1", "1080", "[fd00::1]:1080"},
    };
    struct idc_url target;
    assert_int_equal(idc_url_parse("https://identitystore.us-east-1.amazonaws.com", &target, NULL),
                     IDC_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct idc_transport_config cfg = {.https_proxy = cases[i].value};
        struct idc_proxy p;
        bool use = false;
        struct idc_error err = {0};
        idc_err rc = idc_proxy_choose(&cfg, &target, &p, &use, &err);
        if (rc != IDC_OK || !use || strcmp(p.url.host, cases[i].host) != 0 ||
            strcmp(p.url.port, cases[i].port) != 0 || strcmp(p.name, cases[i].name) != 0) {
            fail_msg("'%s': %s use=%d host '%s' port '%s' name '%s': %s", cases[i].value,
                     idc_err_name(rc), use, p.url.host, p.url.port, p.name, err.msg);
        }
    }
}

static void test_transport_native_proxy_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *fragment;
    } cases[] = {
        {"http://user:s3cr3t@proxy.corp:3128", "proxy credentials"},
        {"http://proxy.corp:99999", "port"},
        {"proxy.corp:31x8", "port"},
        {"[::1:3128", "']'"},
        {"https://proxy.corp:3128", "plain HTTP"},
        {"socks5://proxy.corp:1080", "scheme"},
        {"http://proxy.corp:3128/some/path", "path"},
        {"http://:3128", "host"},
        {"http://user:s3cr3t/x@proxy.corp", "path"},
    };
    struct idc_url target;
    assert_int_equal(idc_url_parse("https://identitystore.us-east-1.amazonaws.com", &target, NULL),
                     IDC_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct idc_transport_config cfg = {.https_proxy = cases[i].value};
        struct idc_proxy p;
        bool use = true;
        struct idc_error err = {0};
        idc_err rc = idc_proxy_choose(&cfg, &target, &p, &use, &err);
        if (rc != IDC_ERR_PROXY || use || err.code != IDC_ERR_PROXY ||
            strstr(err.msg, "https_proxy") == NULL || strstr(err.msg, cases[i].fragment) == NULL ||
            strstr(err.msg, "s3cr3t") != NULL) {
            fail_msg("'%s': %s use=%d: %s", cases[i].value, idc_err_name(rc), use, err.msg);
        }
    }
}

static void test_transport_native_proxy_exemptions(void **state)
{
    (void)state;
    struct idc_url target;
    assert_int_equal(idc_url_parse("https://iam.amazonaws.com", &target, NULL), IDC_OK);
    struct idc_proxy p;
    bool use = true;
    struct idc_error err = {0};
    /* No proxy at all, and a host no_proxy exempts: a malformed value does not matter. */
    struct idc_transport_config none = {.https_proxy = ""};
    assert_int_equal(idc_proxy_choose(&none, &target, &p, &use, &err), IDC_OK);
    assert_false(use);
    struct idc_transport_config exempt = {.https_proxy = "http://proxy.corp:99999",
                                          .no_proxy = "example.com,amazonaws.com"};
    use = true;
    assert_int_equal(idc_proxy_choose(&exempt, &target, &p, &use, &err), IDC_OK);
    assert_false(use);
    struct idc_transport_config other = {.https_proxy = "http://proxy.corp:3128",
                                         .no_proxy = "example.com"};
    assert_int_equal(idc_proxy_choose(&other, &target, &p, &use, &err), IDC_OK);
    assert_true(use);
    assert_string_equal(p.name, "proxy.corp:3128");
}

static void test_transport_native_no_proxy_rules(void **state)
{
    (void)state;
    static const struct {
        const char *list;
        const char *host;
        bool exempt;
    } cases[] = {
        {"*", "iam.amazonaws.com", true},
        {"amazonaws.com", "iam.amazonaws.com", true},  /* a domain covers its hosts */
        {".amazonaws.com", "iam.amazonaws.com", true}, /* with or without the dot */
        {"amazonaws.com", "amazonaws.com", true},
        {"amazonaws.com", "notamazonaws.com", false},     /* a label boundary, not a suffix */
        {"AmazonAWS.com", "iam.amazonaws.com", true},     /* names ignore case */
        {"localhost:8080", "localhost", true},            /* the port is ignored */
        {" example.com , localhost ", "localhost", true}, /* spaces around entries */
        {"example.com,,localhost", "localhost", true},    /* an empty entry is skipped */
        {"10.0.0.1", "10.0.0.1", true},
        {"10.0.0.1", "10.0.0.10", false},
        {"[::1]", "::1", false}, /* curl's form is the bare address */
        {"::1", "::1", true},
        {"", "iam.amazonaws.com", false},
        {NULL, "iam.amazonaws.com", false},
        {"iam.amazonaws.com.evil", "iam.amazonaws.com", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (idc_no_proxy_match(cases[i].list, cases[i].host) != cases[i].exempt) {
            fail_msg("no_proxy '%s' for %s: expected %s", cases[i].list ? cases[i].list : "(null)",
                     cases[i].host, cases[i].exempt ? "exempt" : "not exempt");
        }
    }
}

static void test_transport_native_open_refuses_malformed_proxy(void **state)
{
    (void)state;
    struct idc_transport_config cfg = {.https_proxy = "http://user:s3cr3t@proxy.corp:3128"};
    struct idc_error err = {0};
    assert_int_equal(idc_url_parse("https://iam.amazonaws.com", &cfg.endpoint, &err), IDC_OK);
    void *ctx = calloc(1, native()->ctx_size);
    assert_non_null(ctx);
    assert_int_equal(native()->open(ctx, &cfg, &err), IDC_ERR_PROXY);
    assert_non_null(strstr(err.msg, "https_proxy 'http://***@proxy.corp:3128'"));
    assert_null(strstr(err.msg, "s3cr3t"));
    transport_close(ctx);
    /* Plain http endpoints never use https_proxy, so it is not even read. */
    assert_int_equal(idc_url_parse("http://127.0.0.1:9", &cfg.endpoint, &err), IDC_OK);
    ctx = calloc(1, native()->ctx_size);
    assert_non_null(ctx);
    assert_int_equal(native()->open(ctx, &cfg, &err), IDC_OK);
    transport_close(ctx);
}

/* Connects to the scripted server as a proxy and asks for a tunnel to `target_url`. */
static idc_err tunnel(struct server *s, const char *target_url, struct idc_error *err)
{
    struct idc_proxy proxy;
    assert_int_equal(idc_url_parse_proxy(s->url, "HTTPS_PROXY", &proxy.url, err), IDC_OK);
    idc_url_host_port(&proxy.url, proxy.name, sizeof proxy.name);
    struct idc_url target;
    assert_int_equal(idc_url_parse(target_url, &target, err), IDC_OK);
    int fd = -1;
    assert_int_equal(idc_net_connect(proxy.url.host, proxy.url.port, 3000, &fd, err), IDC_OK);
    idc_err rc = idc_proxy_connect(fd, &proxy, &target, idc_net_now_ms() + 3000, err);
    close(fd);
    return rc;
}

static void test_transport_native_proxy_connect_ipv6_target(void **state)
{
    (void)state;
    static const struct reply r[] = {{.bytes = "HTTP/1.1 200 Connection established\r\n\r\n"}};
    struct server s;
    server_start(&s, r, 1);
    struct idc_error err = {0};
    assert_int_equal(tunnel(&s, "https://[::1]", &err), IDC_OK);
    server_stop(&s);
    assert_int_equal(s.got_count, 1);
    /* RFC 9110 9.3.6: the authority form, an IPv6 address in brackets. */
    assert_string_equal(s.got[0].bytes, "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n");
    server_free(&s);
}

static void test_transport_native_proxy_refuses_tunnel(void **state)
{
    (void)state;
    static const struct reply r[] = {
        {.bytes = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", .close_after = true},
    };
    struct server s;
    server_start(&s, r, 1);
    struct idc_error err = {0};
    assert_int_equal(tunnel(&s, "https://[::1]:8443", &err), IDC_ERR_PROXY);
    server_stop(&s);
    assert_non_null(strstr(err.msg, "refused the tunnel to [::1]:8443: HTTP/1.1 403 Forbidden"));
    server_free(&s);
}

/* ---- the configuration's defaults --------------------------------------------------------- */

static void test_transport_native_settings_defaults(void **state)
{
    (void)state;
    struct idc_transport_base b;
    struct idc_transport_config cfg = {0};
    /* The environment plays no part: the resolver reads AWS_CA_BUNDLE and HTTPS_PROXY. */
    setenv("AWS_CA_BUNDLE", "/etc/from-env.pem", 1);
    setenv("HTTPS_PROXY", "http://proxy.from.env:3128", 1);
    static const char *const unset[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        cfg.ca_bundle = cfg.https_proxy = cfg.no_proxy = unset[i];
        assert_int_equal(idc_transport_base_init(&b, &cfg, NULL), IDC_OK);
        assert_null(b.cfg.ca_bundle); /* the system store */
        assert_null(b.cfg.https_proxy);
        assert_null(b.cfg.no_proxy);
    }
    unsetenv("AWS_CA_BUNDLE");
    unsetenv("HTTPS_PROXY");
    cfg.ca_bundle = "/etc/option.pem";
    cfg.https_proxy = "proxy.corp:3128";
    cfg.no_proxy = "localhost";
    assert_int_equal(idc_transport_base_init(&b, &cfg, NULL), IDC_OK);
    assert_string_equal(b.cfg.ca_bundle, "/etc/option.pem");
    assert_string_equal(b.cfg.https_proxy, "proxy.corp:3128");
    assert_string_equal(b.cfg.no_proxy, "localhost");
    assert_int_equal(b.cfg.connect_timeout_ms, 10000);
    assert_int_equal(b.cfg.timeout_ms, 60000);
    assert_string_equal(b.cfg.user_agent, "libidc/" IDC_VERSION_STRING);
    cfg.user_agent = "app/2.0 libidc/" IDC_VERSION_STRING;
    assert_int_equal(idc_transport_base_init(&b, &cfg, NULL), IDC_OK);
    assert_string_equal(b.cfg.user_agent, cfg.user_agent);
}

static void test_transport_native_settings_too_long(void **state)
{
    (void)state;
    static char path[5000];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    struct idc_transport_base b;
    struct idc_error err = {0};
    struct idc_transport_config cfg = {.ca_bundle = path + 3000};
    assert_int_equal(idc_transport_base_init(&b, &cfg, &err), IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "the CA bundle path (ca_bundle)"));
    assert_non_null(strstr(err.msg, "1999 bytes"));
    cfg = (struct idc_transport_config){.https_proxy = path + 3000};
    assert_int_equal(idc_transport_base_init(&b, &cfg, &err), IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "https_proxy"));
    cfg = (struct idc_transport_config){.no_proxy = path};
    assert_int_equal(idc_transport_base_init(&b, &cfg, &err), IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "no_proxy"));
    cfg = (struct idc_transport_config){.user_agent = path + 4800};
    assert_int_equal(idc_transport_base_init(&b, &cfg, &err), IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "User-Agent"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_transport_native_content_length_body),
    cmocka_unit_test(test_transport_native_chunked_body),
    cmocka_unit_test(test_transport_native_chunked_cut_short),
    cmocka_unit_test(test_transport_native_content_length_cut_short),
    cmocka_unit_test(test_transport_native_body_over_cap),
    cmocka_unit_test(test_transport_native_chunked_over_cap),
    cmocka_unit_test(test_transport_native_until_close_over_cap),
    cmocka_unit_test(test_transport_native_headers_over_64k),
    cmocka_unit_test(test_transport_native_headers_over_64k_complete),
    cmocka_unit_test(test_transport_native_garbage_status_line),
    cmocka_unit_test(test_transport_native_204_without_body),
    cmocka_unit_test(test_transport_native_http10_until_close),
    cmocka_unit_test(test_transport_native_connection_close_reconnects),
    cmocka_unit_test(test_transport_native_keep_alive_100_exchanges),
    cmocka_unit_test(test_transport_native_leftover_bytes_not_reused),
    cmocka_unit_test(test_transport_native_idle_close_reconnects),
    cmocka_unit_test(test_transport_native_read_timeout),
    cmocka_unit_test(test_transport_native_timeout_covers_trickle),
    cmocka_unit_test(test_transport_native_connect_refused),
    cmocka_unit_test(test_transport_native_dns_failure),
    cmocka_unit_test(test_transport_native_request_in_one_piece),
    cmocka_unit_test(test_transport_native_response_fields),
    cmocka_unit_test(test_transport_native_trace_redacts_secrets),
    cmocka_unit_test(test_transport_native_trace_redacts_unsigned_authorization),
    cmocka_unit_test(test_transport_native_closed_before_answer),
    cmocka_unit_test(test_transport_native_url_https_default_port),
    cmocka_unit_test(test_transport_native_url_http_with_port),
    cmocka_unit_test(test_transport_native_url_ipv6),
    cmocka_unit_test(test_transport_native_url_refused),
    cmocka_unit_test(test_transport_native_url_refuses_junk_after_ipv6),
    cmocka_unit_test(test_transport_native_url_is_loopback),
    cmocka_unit_test(test_transport_native_url_loopback_not_dns_name),
    cmocka_unit_test(test_transport_native_chunk_size_strict),
    cmocka_unit_test(test_transport_native_chunk_data_past_its_size),
    cmocka_unit_test(test_transport_native_content_length_not_a_number),
    cmocka_unit_test(test_transport_native_head_keeps_connection),
    cmocka_unit_test(test_transport_native_trace_connected),
    cmocka_unit_test(test_transport_native_tls_handshake_connect_timeout),
    cmocka_unit_test(test_transport_native_proxy_tunnel_connect_timeout),
    cmocka_unit_test(test_transport_native_proxy_url_forms),
    cmocka_unit_test(test_transport_native_proxy_malformed),
    cmocka_unit_test(test_transport_native_proxy_exemptions),
    cmocka_unit_test(test_transport_native_no_proxy_rules),
    cmocka_unit_test(test_transport_native_open_refuses_malformed_proxy),
    cmocka_unit_test(test_transport_native_proxy_connect_ipv6_target),
    cmocka_unit_test(test_transport_native_proxy_refuses_tunnel),
    cmocka_unit_test(test_transport_native_settings_defaults),
    cmocka_unit_test(test_transport_native_settings_too_long),
};

UNIT_MAIN(tests)
