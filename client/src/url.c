/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.c - endpoint URLs: scheme, host (IPv6 in brackets), port, and the Host header
 * value, which carries the port only when it is not the scheme's default (SigV4 signs the
 * Host exactly as sent).
 */
#include "idc/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static idc_err bad(struct idc_error *err, const char *url, const char *what)
{
    return idc_error_set(err, IDC_ERR_ARG,
                         "endpoint URL '%.200s': %s; use "
                         "https://host[:port] or http://host[:port]",
                         url, what);
}

static idc_err parse_port(const char *url, const char *p, size_t len, struct idc_url *out,
                          struct idc_error *err)
{
    unsigned long v = 0;
    if (len == 0 || len > 5) {
        return bad(err, url, "the port is not a number from 1 to 65535");
    }
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return bad(err, url, "the port is not a number from 1 to 65535");
        }
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    if (v == 0 || v > 65535) {
        return bad(err, url, "the port is not a number from 1 to 65535");
    }
    snprintf(out->port, sizeof out->port, "%lu", v);
    return IDC_OK;
}

idc_err idc_url_parse(const char *url, struct idc_url *out, struct idc_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p;
    if (strncasecmp(url, "https://", 8) == 0) {
        out->https = true;
        p = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        p = url + 7;
    } else {
        return bad(err, url, "the scheme must be http or https");
    }
    size_t auth_len = strcspn(p, "/?#");
    const char *rest = p + auth_len;
    if (strcmp(rest, "") != 0 && strcmp(rest, "/") != 0) {
        return bad(err, url, "a path or query is not supported");
    }
    if (memchr(p, '@', auth_len) != NULL) {
        return bad(err, url, "user information in the URL is not supported");
    }
    const char *host = p, *colon;
    size_t host_len;
    if (*p == '[') {
        const char *close = memchr(p, ']', auth_len);
        if (close == NULL) {
            return bad(err, url, "an IPv6 address lacks its ']'");
        }
        host = p + 1;
        host_len = (size_t)(close - host);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (colon == NULL && close + 1 != p + auth_len) {
            return bad(err, url, "only ':' and a port may follow an IPv6 address");
        }
    } else {
        colon = memchr(p, ':', auth_len);
        host_len = colon ? (size_t)(colon - p) : auth_len;
    }
    if (host_len == 0 || host_len >= sizeof out->host) {
        return bad(err, url, "the host is empty or too long");
    }
    memcpy(out->host, host, host_len);
    idc_err rc = IDC_OK;
    if (colon != NULL) {
        rc = parse_port(url, colon + 1, (size_t)(p + auth_len - colon - 1), out, err);
    } else {
        snprintf(out->port, sizeof out->port, "%s", out->https ? "443" : "80");
    }
    if (rc) {
        return rc;
    }
    bool default_port = strcmp(out->port, out->https ? "443" : "80") == 0;
    bool v6 = strchr(out->host, ':') != NULL;
    snprintf(out->authority, sizeof out->authority, "%s%s%s%s%s", v6 ? "[" : "", out->host,
             v6 ? "]" : "", default_port ? "" : ":", default_port ? "" : out->port);
    return IDC_OK;
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
