/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - the CivetWeb side of mockaws: one handler for every path, reading each request
 * once, classifying it (Identity Store, IAM or STS), then authentication (auth.c), parameters and
 * dispatch. Every response leaves in one mg_write; with tcp_nodelay=1 that keeps kept-alive
 * connections free of the Nagle/delayed-ACK stall. One JSON log line per request.
 */
#include "mock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "form.h"
#include "guard.h"
#include "timefmt.h"
#include "mock_int.h"

#define MOCK_READ_STEP 16384 /* bytes asked of mg_read at a time, straight into the body */

int64_t mock_now(const struct mock_server *s)
{
    return s->opt.has_fixed_time ? s->opt.fixed_time : (int64_t)time(NULL);
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void mock_uuid_format(const uint8_t random[16], char out[37])
{
    uint8_t b[16];
    memcpy(b, random, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10 */
    static const struct {
        uint8_t from, n;
    } groups[5] = {{0, 4}, {4, 2}, {6, 2}, {8, 2}, {10, 6}};
    char *o = out;
    for (size_t g = 0; g < 5; g++) {
        if (g > 0) {
            *o++ = '-';
        }
        idc_hex_lower(b + groups[g].from, groups[g].n, o);
        o += 2 * groups[g].n;
    }
    *o = '\0';
}

/* A request id in UUID form: a random base mixed with a counter, unique per run. */
static void make_request_id(struct mock_server *s, char out[37])
{
    uint64_t n = __atomic_add_fetch(&s->id_counter, 1, __ATOMIC_RELAXED);
    uint64_t a = s->id_base ^ (n * 0x9e3779b97f4a7c15ULL);
    uint64_t b = (a ^ (a >> 29)) * 0xbf58476d1ce4e5b9ULL + n;
    uint8_t bytes[16];
    for (int i = 0; i < 8; i++) {
        bytes[i] = (uint8_t)(a >> (56 - 8 * i));
        bytes[8 + i] = (uint8_t)(b >> (56 - 8 * i));
    }
    mock_uuid_format(bytes, out);
}

/* ---- dropping a connection (reset and truncate faults) ------------------------------- */

static int port_of(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        return ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
    }
    if (ss->ss_family == AF_INET6) {
        return ntohs(((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
    }
    return -1;
}

/*
 * CivetWeb does not hand out its sockets, so the one serving this request is found by its
 * two ports. `reset` sets a zero linger so the close CivetWeb does next sends an RST.
 */
static void drop_connection(struct mock_request *req, bool reset)
{
    const struct mg_request_info *ri = mg_get_request_info(req->conn);
    for (int fd = 3; fd < 65536; fd++) {
        struct sockaddr_storage peer, local;
        socklen_t pl = sizeof peer, ll = sizeof local;
        if (getpeername(fd, (struct sockaddr *)&peer, &pl) != 0) {
            if (errno == EBADF && fd > 4096) {
                break;
            }
            continue;
        }
        if (port_of(&peer) != ri->remote_port ||
            getsockname(fd, (struct sockaddr *)&local, &ll) != 0 ||
            port_of(&local) != ri->server_port) {
            continue;
        }
        if (reset) {
            struct linger lg = {1, 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
        shutdown(fd, SHUT_RDWR);
        return;
    }
}

/* ---- replies ------------------------------------------------------------------------ */

static const char *status_text(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

/* RFC 9110, 9.3.2: the answer to HEAD ends after its headers (Content-Length as for GET). */
static bool is_head(const struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    return ri != NULL && ri->request_method != NULL && strcmp(ri->request_method, "HEAD") == 0;
}

/* Status line, headers and body built into one buffer and written once. */
static int send_response(struct mock_request *req, int status, const char *content_type,
                         struct idc_str extra_headers, const char *body, size_t len)
{
    struct mock_server *s = req->server;
    char date[IDC_TIME_HTTP_LEN + 1];
    idc_time_format_http(mock_now(s), date);
    struct idc_dynbuf out = {0};
    /* One allocation: the head is under 256 bytes besides the extra headers. */
    idc_dynbuf_reserve(&out, 256 + extra_headers.len + len);
    idc_dynbuf_printf(&out,
                      "HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "x-amzn-RequestId: %s\r\n" IDC_STR_FMT "\r\n",
                      status, status_text(status), date, content_type, len, req->request_id,
                      IDC_STR_ARG(extra_headers));
    size_t head = out.len;
    size_t sent_body = is_head(req->conn) ? 0 : len;
    idc_dynbuf_put(&out, body, sent_body);
    req->status = status;
    if (s->opt.latency_ms > 0) {
        sleep_ms(s->opt.latency_ms);
    }
    if (req->fault == MOCK_FAULT_SLOW) {
        sleep_ms(s->opt.slow_ms);
    }
    if (out.failed) {
        idc_dynbuf_free(&out);
        drop_connection(req, true);
        return 500;
    }
    if (req->fault == MOCK_FAULT_RESET) {
        drop_connection(req, true);
    } else if (req->fault == MOCK_FAULT_TRUNCATE) {
        mg_write(req->conn, out.p, head + sent_body / 2);
        drop_connection(req, false);
    } else {
        mg_write(req->conn, out.p, out.len);
    }
    idc_dynbuf_free(&out);
    return status;
}

int mock_reply(struct mock_request *req, int status, const char *content_type, const char *body,
               size_t len)
{
    return send_response(req, status, content_type, IDC_STR(""), body, len);
}

int mock_reply_error_headers(struct mock_request *req, int status, const char *code,
                             const char *members, const char *extra_headers, const char *message)
{
    struct idc_dynbuf body = {0};
    struct idc_dynbuf headers = {0};
    struct idc_dynbuf clean = {0}; /* the message with ill-formed UTF-8 replaced */
    mock_utf8_sanitize(&clean, message, strlen(message));
    idc_dynbuf_put(&clean, "", 1);
    message = clean.failed ? "" : clean.p;
    snprintf(req->error_code, sizeof req->error_code, "%s", code);
    if (req->service == MOCK_IDENTITYSTORE) {
        idc_dynbuf_printf(&body, "{\"__type\":\"%s\",\"Message\":", code);
        idc_json_quote(&body, message, strlen(message));
        idc_dynbuf_str(&body, ",\"message\":");
        idc_json_quote(&body, message, strlen(message));
        if (members != NULL && members[0] != '\0') {
            idc_dynbuf_printf(&body, ",%s", members);
        }
        idc_dynbuf_str(&body, "}");
        idc_dynbuf_printf(&headers, "X-Amzn-ErrorType: %s\r\n%s", code,
                          extra_headers ? extra_headers : "");
    } else {
        idc_dynbuf_printf(&body,
                          "<ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>%s</Code>"
                          "<Message>",
                          req->service == MOCK_STS ? MOCK_STS_XMLNS : MOCK_IAM_XMLNS,
                          status >= 500 ? "Receiver" : "Sender", code);
        idc_xml_escape(&body, message, strlen(message));
        idc_dynbuf_printf(&body, "</Message></Error><RequestId>%s</RequestId></ErrorResponse>",
                          req->request_id);
        idc_dynbuf_str(&headers, extra_headers ? extra_headers : "");
    }
    const char *type = req->service == MOCK_IDENTITYSTORE ? MOCK_JSON_TYPE : "text/xml";
    /* The headers buffer is not NUL-terminated: it goes by its length. */
    int rc = send_response(req, status, type, idc_str_make(headers.p, headers.len),
                           body.p ? body.p : "", body.len);
    idc_dynbuf_free(&body);
    idc_dynbuf_free(&headers);
    idc_dynbuf_free(&clean);
    return rc;
}

int mock_reply_error(struct mock_request *req, int status, const char *code, const char *members,
                     const char *fmt, ...)
{
    char message[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return mock_reply_error_headers(req, status, code, members, NULL, message);
}

/* ---- the log ------------------------------------------------------------------------ */

static const char *mock_service_name(enum mock_service s)
{
    return s == MOCK_IDENTITYSTORE ? "identitystore" : s == MOCK_STS ? "sts" : "iam";
}

/* A JSON string of what the client sent (an operation, a key id): always valid UTF-8. */
static void log_quote(struct idc_dynbuf *line, const char *sent)
{
    struct idc_dynbuf clean = {0};
    mock_utf8_sanitize(&clean, sent, strlen(sent));
    idc_json_quote(line, clean.p ? clean.p : "", clean.failed ? 0 : clean.len);
    idc_dynbuf_free(&clean);
}

static void log_request(struct mock_request *req)
{
    struct mock_server *s = req->server;
    if (s->log == NULL) {
        return;
    }
    char when[IDC_TIME_ISO_LEN + 1];
    idc_time_format_iso((int64_t)time(NULL), when);
    double ms = (double)(monotonic_ns() - req->started_ns) / 1e6;
    struct idc_dynbuf line = {0};
    idc_dynbuf_printf(
        &line, "{\"time\":\"%s\",\"request_id\":\"%s\",\"service\":\"%s\",\"operation\":", when,
        req->request_id, mock_service_name(req->service));
    log_quote(&line, req->operation);
    idc_dynbuf_str(&line, ",\"access_key_id\":");
    log_quote(&line, req->access_key_id);
    idc_dynbuf_printf(&line, ",\"status\":%d,\"error_code\":", req->status);
    if (req->error_code[0]) {
        idc_json_quote(&line, req->error_code, strlen(req->error_code));
    } else {
        idc_dynbuf_str(&line, "null");
    }
    idc_dynbuf_printf(&line, ",\"fault\":\"%s\",\"latency_ms\":%.3f}\n",
                      mock_fault_name(req->fault), ms);
    pthread_mutex_lock(&s->log_lock);
    fwrite(line.p, 1, line.len, s->log);
    fflush(s->log);
    pthread_mutex_unlock(&s->log_lock);
    idc_dynbuf_free(&line);
}

/* ---- reading and classifying -------------------------------------------------------- */

/*
 * Refuses a request for its Content-Length before a byte of the body is read, then closes
 * the connection: CivetWeb would otherwise wait for (and discard) a body that may never
 * come, holding a worker until the request timeout.
 */
static int refuse_and_close(struct mock_request *req, int status, const char *code,
                            const char *message)
{
    int rc = mock_reply_error_headers(req, status, code, NULL, "Connection: close\r\n", message);
    drop_connection(req, false);
    return rc;
}

/* CivetWeb 1.15 reads Content-Length with strtoll: "12abc" passes as 12. Digits only. */
static bool content_length_ok(const char *v)
{
    size_t n = v ? strspn(v, "0123456789") : 0;
    return v == NULL || (n > 0 && v[n] == '\0');
}

static int read_body(struct mock_request *req, const struct mg_request_info *ri)
{
    struct idc_dynbuf body = {0};
    int got = 0;
    const char *declared = mg_get_header(req->conn, "Content-Length");
    if (!content_length_ok(declared)) {
        return refuse_and_close(req, 400, "InvalidRequest", "Content-Length is not a number");
    }
    if (ri->content_length > MOCK_MAX_BODY) {
        char message[128];
        snprintf(message, sizeof message, "Request body of %lld bytes is over the %d-byte limit",
                 ri->content_length, MOCK_MAX_BODY);
        return refuse_and_close(req, 413, "RequestEntityTooLarge", message);
    }
    /* Read straight into the buffer: a worker's stack is only CivetWeb's 100 KiB. */
    while (idc_dynbuf_reserve(&body, MOCK_READ_STEP) &&
           (got = mg_read(req->conn, body.p + body.len, MOCK_READ_STEP)) > 0) {
        body.len += (size_t)got;
        if (body.len > MOCK_MAX_BODY) {
            idc_dynbuf_free(&body);
            return mock_reply_error(req, 413, "RequestEntityTooLarge", NULL,
                                    "Request body is over the %d-byte limit", MOCK_MAX_BODY);
        }
    }
    if (got < 0 && !body.failed) {
        /* mg_read gave up: a body that stopped short of Content-Length, or broken chunks */
        idc_dynbuf_free(&body);
        return refuse_and_close(req, 400, "RequestTimeout",
                                "The request body could not be read in full: it stopped "
                                "arriving, or its chunked framing is broken");
    }
    idc_dynbuf_put(&body, "", 1); /* a NUL after the body, for parsers that want one */
    if (body.failed) {
        idc_dynbuf_free(&body);
        return mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory");
    }
    req->body = body.p;
    req->body_len = body.len ? body.len - 1 : 0;
    return 0;
}

/* Identity Store when X-Amz-Target names it; IAM (the query protocol) otherwise. */
static void classify(struct mock_request *req)
{
    const struct idc_sigv4_header *t = idc_sigv4_find_header(&req->sig, IDC_STR("X-Amz-Target"));
    req->service = t ? MOCK_IDENTITYSTORE : MOCK_IAM;
    if (t != NULL) {
        struct idc_str v = idc_str_trim(t->value);
        struct idc_str prefix = IDC_STR("AWSIdentityStore.");
        struct idc_str op =
            idc_str_starts_with(v, prefix) ? idc_str_make(v.p + prefix.len, v.len - prefix.len) : v;
        snprintf(req->operation, sizeof req->operation, IDC_STR_FMT, IDC_STR_ARG(op));
    }
}

/* The decoded value of form member `name` in `form`, or false when it is absent. */
static bool form_value(struct idc_str form, struct idc_str name, char *out, size_t size)
{
    struct idc_str n, v;
    while (idc_form_next(&form, &n, &v)) {
        struct idc_buf b = {out, 0, size - 1};
        struct idc_error err = {0};
        if (idc_str_eq(n, name) && idc_form_decode(v, &b, &err) == IDC_OK) {
            out[b.len] = '\0';
            return true;
        }
    }
    return false;
}

/*
 * A query request is STS's when its Version is 2011-06-15, or, without a Version, when it
 * is signed for the service "sts" (spec/credentials.md, section 10).
 */
static void classify_query(struct mock_request *req)
{
    bool post = idc_str_eq(req->sig.method, IDC_STR("POST"));
    struct idc_str form = post ? idc_str_make(req->body, req->body_len) : req->sig.query;
    char version[32];
    if (form_value(form, IDC_STR("Version"), version, sizeof version)) {
        req->service = strcmp(version, "2011-06-15") == 0 ? MOCK_STS : MOCK_IAM;
        return;
    }
    const struct idc_sigv4_header *h = idc_sigv4_find_header(&req->sig, IDC_STR("Authorization"));
    char credential[256] = "";
    if (h != NULL) {
        snprintf(credential, sizeof credential, IDC_STR_FMT, IDC_STR_ARG(h->value));
    } else {
        form_value(req->sig.query, IDC_STR("X-Amz-Credential"), credential, sizeof credential);
    }
    if (strstr(credential, "/sts/aws4_request") != NULL) {
        req->service = MOCK_STS;
    }
}

static int read_request(struct mock_request *req)
{
    const struct mg_request_info *ri = mg_get_request_info(req->conn);
    if (ri->num_headers > IDC_SIGV4_MAX_HEADERS) {
        return mock_reply_error(req, 400, "InvalidRequest", NULL,
                                "Request has %d headers, more than %d", ri->num_headers,
                                IDC_SIGV4_MAX_HEADERS);
    }
    for (int i = 0; i < ri->num_headers; i++) {
        req->headers[i].name = idc_str_c(ri->http_headers[i].name);
        req->headers[i].value = idc_str_c(ri->http_headers[i].value);
    }
    /* decode_url=no: request_uri is the path exactly as sent, which is what was signed. */
    req->sig = (struct idc_sigv4_request){
        .method = idc_str_c(ri->request_method),
        .path = idc_str_c(ri->request_uri),
        .query = idc_str_c(ri->query_string),
        .headers = req->headers,
        .header_count = (size_t)ri->num_headers,
    };
    classify(req);
    int status = read_body(req, ri);
    req->sig.body = (const uint8_t *)req->body;
    req->sig.body_len = req->body_len;
    if (status == 0 && req->service == MOCK_IAM) {
        classify_query(req);
    }
    return status;
}

/* ---- parameters --------------------------------------------------------------------- */

const char *mock_param(const struct mock_request *req, const char *name)
{
    for (size_t i = 0; i < req->param_count; i++) {
        if (strcmp(req->params[i].name, name) == 0) {
            return req->params[i].value;
        }
    }
    return NULL;
}

static char *decode_component(struct idc_str raw, struct idc_error *err)
{
    char *out = malloc(raw.len + 1);
    struct idc_buf b = {out, 0, raw.len};
    if (out == NULL || idc_form_decode(raw, &b, err) != IDC_OK) {
        free(out);
        return NULL;
    }
    out[b.len] = '\0';
    return out;
}

/* The form body of a POST, or the query of a GET; '+' is a space here (form.h). */
static int parse_form(struct mock_request *req)
{
    bool post = idc_str_eq(req->sig.method, IDC_STR("POST"));
    struct idc_str form = post ? idc_str_make(req->body, req->body_len) : req->sig.query;
    struct idc_str rest = form, name, value;
    size_t n = 0;
    while (idc_form_next(&rest, &name, &value)) {
        n++;
    }
    req->params = calloc(n ? n : 1, sizeof *req->params);
    if (req->params == NULL) {
        return mock_reply_error(req, 500, "ServiceFailure", NULL, "out of memory");
    }
    rest = form;
    while (idc_form_next(&rest, &name, &value)) {
        struct idc_error err = {0};
        struct mock_param *p = &req->params[req->param_count];
        p->name = decode_component(name, &err);
        p->value = p->name ? decode_component(value, &err) : NULL;
        if (p->value == NULL) {
            free(p->name);
            return mock_reply_error(req, 400, "MalformedQueryString", NULL, "%s", err.msg);
        }
        req->param_count++;
        if (!mock_utf8_valid(p->name, strlen(p->name)) ||
            !mock_utf8_valid(p->value, strlen(p->value))) {
            return mock_reply_error(req, 400, "MalformedQueryString", NULL,
                                    "Parameter %zu is not valid UTF-8 once decoded",
                                    req->param_count);
        }
    }
    const char *action = mock_param(req, "Action");
    snprintf(req->operation, sizeof req->operation, "%s", action ? action : "");
    return 0;
}

static int parse_json(struct mock_request *req)
{
    /* cJSON recurses once per level: bound the depth before a worker's stack runs out. */
    if (!mock_json_depth_ok(req->body, req->body_len, MOCK_MAX_JSON_DEPTH)) {
        return mock_reply_error(req, 400, "SerializationException", NULL,
                                "Request body nests deeper than %d levels", MOCK_MAX_JSON_DEPTH);
    }
    if (!mock_utf8_valid(req->body, req->body_len)) {
        return mock_reply_error(req, 400, "SerializationException", NULL,
                                "Request body is not valid UTF-8");
    }
    const char *text = req->body_len ? req->body : "{}";
    req->json = cJSON_ParseWithLength(text, req->body_len ? req->body_len : 2);
    if (!cJSON_IsObject(req->json)) {
        return mock_reply_error(req, 400, "SerializationException", NULL,
                                "Start of structure or map found where not expected.");
    }
    return 0;
}

/* ---- the handler -------------------------------------------------------------------- */

static void request_cleanup(struct mock_request *req)
{
    for (size_t i = 0; i < req->param_count; i++) {
        free(req->params[i].name);
        free(req->params[i].value);
    }
    free(req->params);
    cJSON_Delete(req->json);
    free(req->body);
}

/* STS serves AssumeRoleWithWebIdentity unsigned, whatever Authorization it carries. */
static bool unsigned_operation(const struct mock_request *req)
{
    bool post = idc_str_eq(req->sig.method, IDC_STR("POST"));
    struct idc_str form = post ? idc_str_make(req->body, req->body_len) : req->sig.query;
    char action[64];
    return req->service == MOCK_STS && idc_str_eq(req->sig.path, IDC_STR("/")) &&
           form_value(form, IDC_STR("Action"), action, sizeof action) &&
           strcmp(action, "AssumeRoleWithWebIdentity") == 0;
}

static int serve(struct mock_request *req)
{
    int status = read_request(req);
    if (status == 0 && unsigned_operation(req)) {
        status = parse_form(req);
        return status ? status : mock_sts_dispatch(req);
    }
    status = status ? status : mock_authenticate(req);
    if (status == 0 && !idc_str_eq(req->sig.path, IDC_STR("/"))) {
        return req->service == MOCK_IDENTITYSTORE
                   ? mock_reply_error(req, 404, "UnknownOperationException", NULL,
                                      "No operation at path " IDC_STR_FMT,
                                      IDC_STR_ARG(req->sig.path))
                   : mock_reply_error(req, 404, "InvalidAction", NULL,
                                      "Could not find an operation at path " IDC_STR_FMT,
                                      IDC_STR_ARG(req->sig.path));
    }
    if (status == 0) {
        status = req->service == MOCK_IDENTITYSTORE ? parse_json(req) : parse_form(req);
    }
    if (status == 0) {
        status = req->service == MOCK_IDENTITYSTORE ? mock_ids_dispatch(req)
                 : req->service == MOCK_STS         ? mock_sts_dispatch(req)
                                                    : mock_iam_dispatch(req);
    }
    return status;
}

static int handle_root(struct mg_connection *conn, void *cbdata)
{
    struct mock_request *req = calloc(1, sizeof *req);
    if (req == NULL) {
        return 500;
    }
    req->server = cbdata;
    req->conn = conn;
    req->started_ns = monotonic_ns();
    make_request_id(req->server, req->request_id);
    int status = serve(req);
    log_request(req);
    request_cleanup(req);
    free(req);
    return status > 0 ? status : 500;
}

/* ---- requests CivetWeb refuses itself ------------------------------------------------ */

/* The error code for a status CivetWeb decided: the protocol is not known yet. */
static const char *refusal_code(int status)
{
    switch (status) {
    case 408:
        return "RequestTimeoutException";
    case 413:
        return "RequestEntityTooLarge";
    default:
        return status >= 500 ? "InternalFailure" : "BadRequestException";
    }
}

/*
 * CivetWeb's http_error callback. CivetWeb answers some requests itself, before any handler
 * runs (a TAB in a header value, a request line it cannot parse, headers over its size
 * limit, a bad Content-Length), and its own answer is a bare "HTTP/1.0 400". This one keeps
 * CivetWeb's status and gives it a request id and the awsJson error shape. Handlers never
 * call mg_send_http_error, so a response comes from either send_response or here, never
 * both. CivetWeb closes such a connection afterwards. Returns 0: handled.
 */
static int send_refusal(struct mg_connection *conn, int status, const char *errmsg)
{
    struct mock_server *s = mg_get_user_data(mg_get_context(conn));
    char id[37], date[IDC_TIME_HTTP_LEN + 1];
    make_request_id(s, id);
    idc_time_format_http(mock_now(s), date);
    const char *code = refusal_code(status);
    const char *why = errmsg != NULL && errmsg[0] != '\0' ? errmsg : status_text(status);
    struct idc_dynbuf clean = {0}, body = {0}, out = {0};
    mock_utf8_sanitize(&clean, why, strlen(why));
    idc_dynbuf_printf(&body, "{\"__type\":\"%s\",\"message\":", code);
    idc_json_quote(&body, clean.p ? clean.p : "", clean.len);
    idc_dynbuf_str(&body, "}");
    idc_dynbuf_printf(&out,
                      "HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "x-amzn-RequestId: %s\r\nX-Amzn-ErrorType: %s\r\nConnection: close\r\n\r\n",
                      status, status_text(status), date, MOCK_JSON_TYPE, body.len, id, code);
    if (!is_head(conn)) {
        idc_dynbuf_put(&out, body.p, body.len);
    }
    if (!out.failed && !body.failed && !clean.failed) {
        mg_write(conn, out.p, out.len);
    }
    idc_dynbuf_free(&clean);
    idc_dynbuf_free(&body);
    idc_dynbuf_free(&out);
    return 0;
}

/* ---- start and stop ----------------------------------------------------------------- */

static void exit_thread(const struct mg_context *ctx, int thread_type, void *thread_pointer)
{
    (void)ctx;
    (void)thread_type;
    (void)thread_pointer;
    mock_auth_thread_cleanup();
}

static idc_err write_ready_file(const char *path, int port, struct idc_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return idc_error_set(err, IDC_ERR_IO, "ready file %s: %s", path, strerror(e));
    }
    return IDC_OK;
}

idc_err mock_server_start(struct mock_server *s, int *port, struct idc_error *err)
{
    char listen[128], threads[16], keep_alive[16], request_timeout[16];
    bool v6 = strchr(s->opt.bind, ':') != NULL;
    snprintf(listen, sizeof listen, v6 ? "[%s]:%d" : "%s:%d", s->opt.bind, s->opt.port);
    snprintf(threads, sizeof threads, "%u", s->opt.threads);
    snprintf(keep_alive, sizeof keep_alive, "%d", MOCK_KEEP_ALIVE_MS);
    snprintf(request_timeout, sizeof request_timeout, "%d", MOCK_REQUEST_TIMEOUT_MS);
    /* Limits and why: spec/mockaws/README.md, "Limits". */
    const char *options[] = {
        "listening_ports",
        listen,
        "num_threads",
        threads,
        "enable_keep_alive",
        "yes",
        "tcp_nodelay",
        "1",
        "decode_url",
        "no",
        "request_timeout_ms",
        request_timeout,
        "keep_alive_timeout_ms",
        keep_alive,
        NULL,
    };
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.exit_thread = exit_thread;
    callbacks.http_error = send_refusal;
    s->ctx = mg_start(&callbacks, s, options);
    if (s->ctx == NULL) {
        return idc_error_set(err, IDC_ERR_IO,
                             "cannot listen on %s (port in use, or a bad --bind "
                             "address?)",
                             listen);
    }
    mg_set_request_handler(s->ctx, "/", handle_root, s);
    struct mg_server_port ports[4];
    int n = mg_get_server_ports(s->ctx, 4, ports);
    *port = n > 0 ? ports[0].port : s->opt.port;
    s->bound_port = *port;
    idc_err rc = s->opt.ready_file ? write_ready_file(s->opt.ready_file, *port, err) : IDC_OK;
    if (rc != IDC_OK) {
        /* The workers may already serve: stop them before the caller frees the world. */
        mock_server_stop(s);
    }
    return rc;
}

/* Knocks on the listening port until mg_stop returns (see mock_server_stop). */
struct knocker {
    struct mock_server *server;
    int done; /* read and written atomically */
};

static void *knock(void *arg)
{
    struct knocker *k = arg;
    char port[8];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    snprintf(port, sizeof port, "%d", k->server->bound_port);
    if (getaddrinfo(k->server->opt.bind, port, &hints, &ai) != 0) {
        return NULL;
    }
    while (!__atomic_load_n(&k->done, __ATOMIC_RELAXED)) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0) {
            (void)connect(fd, ai->ai_addr, ai->ai_addrlen);
            close(fd);
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    freeaddrinfo(ai);
    return NULL;
}

/*
 * Debian's CivetWeb 1.15 master thread notices the stop flag only when its poll() on the
 * listening socket returns, which takes up to 2 s when idle (fixed upstream in 1.16 with a
 * wake-up socket pair). A connection to our own port wakes it at once.
 */
void mock_server_stop(struct mock_server *s)
{
    if (s->ctx == NULL) {
        return;
    }
    struct knocker k = {s, 0};
    pthread_t t;
    bool knocking = pthread_create(&t, NULL, knock, &k) == 0;
    mg_stop(s->ctx);
    s->ctx = NULL;
    if (knocking) {
        __atomic_store_n(&k.done, 1, __ATOMIC_RELAXED);
        pthread_join(t, NULL);
    }
}
