/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls_probe.c - one HTTPS GET through idc_net_connect and the compiled TLS backend, for
 * test_tls.sh. `tls_probe HOST PORT CAFILE|-` prints the response's status line; "-" means
 * the system store. `tls_probe --backend` prints the backend's name. Exits 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/error.h"
#include "tls.h"
#include "net.h"

#ifndef PROBE_TIMEOUT_MS
#define PROBE_TIMEOUT_MS 10000 /* per step; -D to try timeouts by hand */
#endif

struct probe {
    void *conf;
    void *conn;
    int fd;
};

/* Reads until the peer closes; keeps the first `cap - 1` bytes, NUL-terminated. */
static idc_err read_all(void *conn, char *out, size_t cap, struct idc_error *err)
{
    size_t used = 0;
    char chunk[4096];
    for (;;) {
        size_t got = 0;
        idc_err rc = idc_tls.read(conn, chunk, sizeof chunk, &got, PROBE_TIMEOUT_MS, err);
        if (rc || got == 0) {
            out[used] = '\0';
            return rc;
        }
        size_t keep = got < cap - 1 - used ? got : cap - 1 - used;
        memcpy(out + used, chunk, keep);
        used += keep;
    }
}

static idc_err run(struct probe *p, const char *host, const char *port, const char *ca,
                   struct idc_error *err)
{
    idc_err rc = idc_tls.conf_init(p->conf, strcmp(ca, "-") == 0 ? NULL : ca, err);
    rc = rc ? rc : idc_net_connect(host, port, PROBE_TIMEOUT_MS, &p->fd, err);
    rc = rc ? rc : idc_tls.handshake(p->conn, p->conf, p->fd, host, PROBE_TIMEOUT_MS, err);
    if (rc) {
        return rc;
    }
    char req[512];
    int n =
        snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host);
    if (n < 0 || (size_t)n >= sizeof req) {
        return idc_error_set(err, IDC_ERR_ARG, "host name too long: %s", host);
    }
    rc = idc_tls.write(p->conn, req, (size_t)n, PROBE_TIMEOUT_MS, err);
    char resp[1024];
    rc = rc ? rc : read_all(p->conn, resp, sizeof resp, err);
    if (rc) {
        return rc;
    }
    size_t line = strcspn(resp, "\r\n");
    if (line == 0) {
        return idc_error_set(err, IDC_ERR_HTTP, "the server closed without a response");
    }
    printf("%.*s\n", (int)line, resp);
    return IDC_OK;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--backend") == 0) {
        printf("%s\n", idc_tls.name);
        return 0;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: tls_probe HOST PORT CAFILE|-\n       tls_probe --backend\n");
        return 2;
    }
    struct probe p = {calloc(1, idc_tls.conf_size), calloc(1, idc_tls.conn_size), -1};
    struct idc_error err = {0};
    idc_err rc = p.conf != NULL && p.conn != NULL
                     ? run(&p, argv[1], argv[2], argv[3], &err)
                     : idc_error_set(&err, IDC_ERR_NOMEM, "out of memory");
    if (p.conn != NULL) {
        idc_tls.close(p.conn);
    }
    if (p.fd >= 0) {
        close(p.fd);
    }
    if (p.conf != NULL) {
        idc_tls.conf_cleanup(p.conf);
    }
    free(p.conn);
    free(p.conf);
    if (rc) {
        fprintf(stderr, "tls_probe: %s: %s\n", idc_err_name(rc), err.msg);
        return 1;
    }
    return 0;
}
