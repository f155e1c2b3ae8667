/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proxy.c - HTTPS through a proxy for the native transport (an mbedTLS device has no
 * libcurl to do it): the proxy from HTTPS_PROXY unless NO_PROXY exempts the host, then a
 * CONNECT tunnel that TLS runs inside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "transport_int.h"

static const char *env_either(const char *upper, const char *lower)
{
    const char *v = getenv(upper);
    return v && *v ? v : getenv(lower);
}

/* One NO_PROXY entry against the host: "*", an exact name or address, or a domain suffix. */
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

static bool exempt(const char *host)
{
    const char *list = env_either("NO_PROXY", "no_proxy");
    while (list != NULL && *list) {
        size_t len = strcspn(list, ",");
        if (entry_matches(list, len, host)) {
            return true;
        }
        list += len + (list[len] == ',');
    }
    return false;
}

bool idc_proxy_from_env(const struct idc_url *target, struct idc_proxy *out)
{
    const char *url = env_either("HTTPS_PROXY", "https_proxy");
    if (url == NULL || *url == '\0' || exempt(target->host)) {
        return false;
    }
    const char *p = strstr(url, "://") ? strstr(url, "://") + 3 : url;
    const char *at = strchr(p, '@');
    p = at ? at + 1 : p;
    size_t len = strcspn(p, "/");
    const char *colon = memchr(p, ':', len);
    size_t hlen = colon ? (size_t)(colon - p) : len;
    if (hlen == 0 || hlen >= sizeof out->host) {
        return false;
    }
    memcpy(out->host, p, hlen);
    out->host[hlen] = '\0';
    snprintf(out->port, sizeof out->port, "%.*s", colon ? (int)(len - hlen - 1) : 4,
             colon ? colon + 1 : "1080"); /* curl's default proxy port */
    return true;
}

idc_err idc_proxy_connect(int fd, const struct idc_proxy *proxy, const struct idc_url *target,
                          int timeout_ms, struct idc_error *err)
{
    char req[700], resp[4096];
    int n = snprintf(req, sizeof req, "CONNECT %s:%s HTTP/1.1\r\nHost: %s:%s\r\n\r\n", target->host,
                     target->port, target->host, target->port);
    idc_err rc = idc_net_send(fd, req, (size_t)n, timeout_ms, err);
    size_t len = 0;
    /* Byte by byte up to the blank line: nothing after it may be consumed (TLS follows). */
    while (rc == IDC_OK && len < sizeof resp - 1 &&
           !(len >= 4 && memcmp(resp + len - 4, "\r\n\r\n", 4) == 0)) {
        size_t got = 0;
        rc = idc_net_recv(fd, resp + len, 1, &got, timeout_ms, err);
        if (rc == IDC_OK && got == 0) {
            rc = idc_error_set(err, IDC_ERR_PROXY, "the proxy closed the connection");
        }
        len += got;
    }
    if (rc) {
        return idc_error_prefix(err, "proxy %s:%s", proxy->host, proxy->port);
    }
    resp[len] = '\0';
    int status = 0;
    if (sscanf(resp, "HTTP/1.%*c %d", &status) != 1 || status != 200) {
        size_t line = strcspn(resp, "\r\n");
        return idc_error_set(err, IDC_ERR_PROXY, "proxy %s:%s refused the tunnel to %s:%s: %.*s",
                             proxy->host, proxy->port, target->host, target->port,
                             (int)(line > 80 ? 80 : line), resp);
    }
    return IDC_OK;
}
