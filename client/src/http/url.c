/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.c - endpoint and proxy URLs: scheme, host (IPv6 in brackets), port, and the Host header
 * value, which carries the port only when it is not the scheme's default (SigV4 signs the
 * Host exactly as sent). A proxy URL's own rules: plain http, port 1080 by default, and
 * any user:password@ kept out of the messages.
 */
#include "idc/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "termtext.h"
#include "transport_int.h"

/* What differs between an endpoint URL and a proxy's. */
struct url_rules {
    const char *what;         /* names the URL in messages: "endpoint URL", "https_proxy" */
    const char *usage;        /* the advice that ends a message */
    idc_err code;             /* returned for a malformed URL */
    const char *default_port; /* NULL: the scheme's, 443 or 80 */
    bool http_only;           /* refuses https:// */
    bool hide_userinfo;       /* messages show "***@" for user information */
};

static const struct url_rules endpoint_rules = {
    .what = "endpoint URL",
    .usage = "https://host[:port] or http://host[:port]",
    .code = IDC_ERR_ARG,
};

/* The URL as a message quotes it: at most 200 bytes, user information masked if asked. */
/* The URL as a message may quote it: user information hidden, control bytes as '?'. */
static void shown_url(const char *url, const struct url_rules *r, char *out, size_t cap)
{
    const char *sep = strstr(url, "://");
    const char *start = sep ? sep + 3 : url;
    /* The last '@' anywhere: a password may hold '@' or '/' when not percent-encoded. */
    const char *at = strrchr(start, '@');
    char text[256];
    if (!r->hide_userinfo || at == NULL) {
        snprintf(text, sizeof text, "%.200s", url);
    } else {
        snprintf(text, sizeof text, "%.*s***%.200s", (int)(start - url), url, at);
    }
    idc_text_escape_to(idc_str_c(text), out, cap);
}

static idc_err bad(struct idc_error *err, const struct url_rules *r, const char *url,
                   const char *problem)
{
    char text[256];
    shown_url(url, r, text, sizeof text);
    return idc_error_set(err, r->code, "%s '%s': %s; use %s", r->what, text, problem, r->usage);
}

static idc_err parse_port(const char *url, const struct url_rules *r, const char *p, size_t len,
                          struct idc_url *out, struct idc_error *err)
{
    uint64_t v = 0;
    if (!idc_str_to_u64(idc_str_make(p, len), 65535, &v) || v == 0) {
        return bad(err, r, url, "the port is not a number from 1 to 65535");
    }
    snprintf(out->port, sizeof out->port, "%u", (unsigned)v);
    return IDC_OK;
}

/*
 * A host name (letters, digits, '-', '.', '_'), an IPv4 address or an IPv6 one (hex digits,
 * ':' and '.', '%' for a zone): it goes into the Host header and a CONNECT line, so no
 * space, control byte or anything else may.
 */
static bool host_chars_ok(const char *host, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)host[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_' || c == ':' || c == '%';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Host and port from `p`, the authority of `len` bytes (no user information). */
static idc_err parse_authority(const char *url, const struct url_rules *r, const char *p,
                               size_t len, struct idc_url *out, struct idc_error *err)
{
    const char *host = p, *colon;
    size_t host_len;
    if (*p == '[') {
        const char *close = memchr(p, ']', len);
        if (close == NULL) {
            return bad(err, r, url, "an IPv6 address lacks its ']'");
        }
        host = p + 1;
        host_len = (size_t)(close - host);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (colon == NULL && close + 1 != p + len) {
            return bad(err, r, url, "only ':' and a port may follow an IPv6 address");
        }
    } else {
        colon = memchr(p, ':', len);
        host_len = colon ? (size_t)(colon - p) : len;
    }
    if (host_len == 0 || host_len >= sizeof out->host) {
        return bad(err, r, url, "the host is empty or too long");
    }
    if (!host_chars_ok(host, host_len)) {
        return bad(err, r, url, "the host has a byte no host name or address has");
    }
    memcpy(out->host, host, host_len);
    if (colon != NULL) {
        return parse_port(url, r, colon + 1, (size_t)(p + len - colon - 1), out, err);
    }
    const char *port = r->default_port ? r->default_port : out->https ? "443" : "80";
    snprintf(out->port, sizeof out->port, "%s", port);
    return IDC_OK;
}

static idc_err parse(const char *url, const struct url_rules *r, struct idc_url *out,
                     struct idc_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p;
    if (strncasecmp(url, "https://", 8) == 0) {
        out->https = true;
        p = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        p = url + 7;
    } else {
        return bad(err, r, url, "the scheme must be http or https");
    }
    if (out->https && r->http_only) {
        return bad(err, r, url,
                   "libidc speaks plain HTTP to a proxy (the tunnel through it carries TLS)");
    }
    size_t auth_len = strcspn(p, "/?#");
    const char *rest = p + auth_len;
    if (strcmp(rest, "") != 0 && strcmp(rest, "/") != 0) {
        return bad(err, r, url, "a path or query is not supported");
    }
    if (memchr(p, '@', auth_len) != NULL) {
        return bad(err, r, url,
                   r->hide_userinfo ? "proxy credentials (user:password@) are not supported by "
                                      "the native transport (the curl transport takes them)"
                                    : "user information in the URL is not supported");
    }
    idc_err rc = parse_authority(url, r, p, auth_len, out, err);
    if (rc) {
        return rc;
    }
    bool default_port = strcmp(out->port, out->https ? "443" : "80") == 0;
    bool v6 = strchr(out->host, ':') != NULL;
    snprintf(out->authority, sizeof out->authority, "%s%s%s%s%s", v6 ? "[" : "", out->host,
             v6 ? "]" : "", default_port ? "" : ":", default_port ? "" : out->port);
    return IDC_OK;
}

idc_err idc_url_parse(const char *url, struct idc_url *out, struct idc_error *err)
{
    return parse(url, &endpoint_rules, out, err);
}

/* True when `s` starts with a scheme and "://" (RFC 3986: a letter, then letters, digits,
 * '+', '-' or '.'). */
static bool has_scheme(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (n > 0 && ((s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '-' || s[n] == '.'))) {
        n++;
    }
    return n > 0 && strncmp(s + n, "://", 3) == 0;
}

idc_err idc_url_parse_proxy(const char *value, const char *source, struct idc_url *out,
                            struct idc_error *err)
{
    const struct url_rules rules = {
        .what = source,
        .usage = "http://host[:port]",
        .code = IDC_ERR_PROXY,
        .default_port = "1080", /* curl's default proxy port */
        .http_only = true,
        .hide_userinfo = true,
    };
    if (has_scheme(value)) {
        return parse(value, &rules, out, err);
    }
    char url[sizeof out->authority + 16];
    int n = snprintf(url, sizeof url, "http://%s", value); /* curl's reading of "host:port" */
    if (n < 0 || (size_t)n >= sizeof url) {
        return bad(err, &rules, value, "it is too long for a host and a port");
    }
    return parse(url, &rules, out, err);
}

void idc_url_host_port(const struct idc_url *u, char *out, size_t cap)
{
    bool v6 = strchr(u->host, ':') != NULL;
    snprintf(out, cap, "%s%s%s:%s", v6 ? "[" : "", u->host, v6 ? "]" : "", u->port);
}

bool idc_url_is_loopback(const struct idc_url *u)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, u->host, &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    if (inet_pton(AF_INET6, u->host, &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6);
    }
    return strcasecmp(u->host, "localhost") == 0;
}
