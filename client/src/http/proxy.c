/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proxy.c - HTTPS through a proxy for the native transport (an mbedTLS device has no
 * libcurl to do it): the configuration's https_proxy unless its no_proxy exempts the host
 * (the resolver fills both from HTTPS_PROXY and NO_PROXY), then a CONNECT tunnel that TLS
 * runs inside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "termtext.h"
#include "transport_int.h"

/* One no_proxy entry against the host: "*", an exact name or address, or a domain suffix. */
static bool entry_matches(const char *entry, size_t len, const char *host)
{
    while (len > 0 && (*entry == ' ' || *entry == '.')) {
        entry++;
        len--;
    }
    const char *colon = memchr(entry, ':', len);
    if (colon != NULL && memchr(entry, ']', len) == NULL &&
        memchr(colon + 1, ':', len - (size_t)(colon - entry) - 1) == NULL) {
        len = (size_t)(colon - entry); /* "host:port": the port is ignored */
    }
    while (len > 0 && entry[len - 1] == ' ') {
        len--;
    }
    size_t hlen = strlen(host);
    if (len == 1 && entry[0] == '*') {
        return true;
    }
    if (len == 0 || len > hlen) {
        return false;
    }
    return strncasecmp(host + hlen - len, entry, len) == 0 &&
           (hlen == len || host[hlen - len - 1] == '.');
}

bool idc_no_proxy_match(const char *list, const char *host)
{
    struct idc_str rest = idc_str_c(list), entry;
    while (idc_str_next(&rest, ',', &entry)) {
        if (entry_matches(entry.p, entry.len, host)) {
            return true;
        }
    }
    return false;
}

idc_err idc_proxy_choose(const struct idc_transport_config *cfg, const struct idc_url *target,
                         struct idc_proxy *out, bool *use, struct idc_error *err)
{
    *use = false;
    const char *url = cfg->https_proxy;
    if (url == NULL || *url == '\0' || idc_no_proxy_match(cfg->no_proxy, target->host)) {
        return IDC_OK;
    }
    idc_err rc = idc_url_parse_proxy(url, "https_proxy", &out->url, err);
    if (rc) {
        return rc;
    }
    idc_url_host_port(&out->url, out->name, sizeof out->name);
    *use = true;
    return IDC_OK;
}

/* Reads the proxy's answer up to its blank line, byte by byte: nothing after it may be
 * consumed, since TLS follows on the same socket. */
static idc_err read_answer(int fd, char *resp, size_t cap, int64_t deadline_ms,
                           struct idc_error *err)
{
    size_t len = 0;
    while (!(len >= 4 && memcmp(resp + len - 4, "\r\n\r\n", 4) == 0)) {
        if (len == cap - 1) {
            return idc_error_set(err, IDC_ERR_PROXY, "the answer to CONNECT is over %zu bytes",
                                 cap - 1);
        }
        size_t got = 0;
        idc_err rc = idc_net_recv(fd, resp + len, 1, &got, idc_net_ms_left(deadline_ms), err);
        if (rc == IDC_OK && got == 0) {
            rc = idc_error_set(err, IDC_ERR_PROXY, "the proxy closed the connection");
        }
        if (rc) {
            return rc;
        }
        len += got;
    }
    resp[len] = '\0';
    return IDC_OK;
}

idc_err idc_proxy_connect(int fd, const struct idc_proxy *proxy, const struct idc_url *target,
                          int64_t deadline_ms, struct idc_error *err)
{
    char to[IDC_URL_HOST_PORT_MAX], req[2 * IDC_URL_HOST_PORT_MAX + 64], resp[4096];
    idc_url_host_port(target, to, sizeof to); /* "[::1]:443": CONNECT takes host:port */
    int n = snprintf(req, sizeof req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", to, to);
    idc_err rc = idc_net_send(fd, req, (size_t)n, idc_net_ms_left(deadline_ms), err);
    rc = rc ? rc : read_answer(fd, resp, sizeof resp, deadline_ms, err);
    if (rc) {
        return idc_error_prefix(err, "proxy %s", proxy->name);
    }
    int status = 0;
    if (sscanf(resp, "HTTP/1.%*c %d", &status) != 1 || status != 200) {
        char line[84]; /* the status line, as data: the proxy's bytes never reach a terminal raw */
        idc_text_escape_to(idc_str_make(resp, strcspn(resp, "\r\n")), line, sizeof line);
        return idc_error_set(err, IDC_ERR_PROXY, "proxy %s refused the tunnel to %s: %s%s",
                             proxy->name, to, line,
                             status == 407 ? "; it wants a login, which only the curl transport "
                                             "gives (user:password@ in the proxy URL)"
                                           : "");
    }
    return IDC_OK;
}
