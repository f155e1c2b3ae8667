/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net.c - sockets with deadlines: non-blocking connect over every resolved address, poll()
 * for readiness, send and receive that map errno to idc_err. No TLS here (tls.h).
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t idc_net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

idc_err idc_net_wait(int fd, short events, int timeout_ms, const char *what, struct idc_error *err)
{
    struct pollfd p = {fd, events, 0};
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = deadline - idc_net_now_ms();
        int n = poll(&p, 1, left > 0 ? (int)left : 0);
        if (n > 0) {
            return IDC_OK;
        }
        if (n == 0) {
            return idc_error_set(err, IDC_ERR_TIMEOUT, "timed out after %d ms %s", timeout_ms,
                                 what);
        }
        if (errno != EINTR) {
            return idc_error_set(err, IDC_ERR_RESET, "poll failed %s: %s", what, strerror(errno));
        }
    }
}

idc_err idc_net_wait_until(int fd, short events, int64_t deadline_ms, int total_ms,
                           const char *what, struct idc_error *err)
{
    int64_t left = deadline_ms - idc_net_now_ms();
    idc_err rc = idc_net_wait(fd, events, left > 0 ? (int)left : 0, what, err);
    if (rc == IDC_ERR_TIMEOUT) {
        return idc_error_set(err, IDC_ERR_TIMEOUT, "timed out after %d ms %s", total_ms, what);
    }
    return rc;
}

static void address_text(const struct addrinfo *ai, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    const void *a =
        ai->ai_family == AF_INET6
            ? (const void *)&((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->sin6_addr
            : (const void *)&((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr;
    inet_ntop(ai->ai_family, a, host, sizeof host);
    snprintf(out, cap, ai->ai_family == AF_INET6 ? "[%s]" : "%s", host);
}

/* One address: 0 connected, else the errno (ETIMEDOUT when the deadline passed). */
static int try_address(const struct addrinfo *ai, int64_t deadline, int *fd_out)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        return errno;
    }
    int one = 1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int e = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        e = errno;
        if (e == EINPROGRESS) {
            struct pollfd p = {fd, POLLOUT, 0};
            int64_t left = deadline - idc_net_now_ms();
            int n = poll(&p, 1, left > 0 ? (int)left : 0);
            socklen_t len = sizeof e;
            e = n == 0 ? ETIMEDOUT : n < 0 ? errno : 0;
            if (n > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) {
                e = errno;
            }
        }
    }
    if (e != 0) {
        close(fd);
        return e;
    }
    *fd_out = fd;
    return 0;
}

idc_err idc_net_connect(const char *host, const char *port, int timeout_ms, int *fd,
                        struct idc_error *err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *list = NULL;
    int g = getaddrinfo(host, port, &hints, &list);
    if (g != 0) {
        return idc_error_set(err, IDC_ERR_DNS,
                             "cannot resolve %s: %s; check the endpoint's "
                             "host name and the network",
                             host, gai_strerror(g));
    }
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    int e = 0;
    char last[INET6_ADDRSTRLEN + 2] = "";
    for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        e = try_address(ai, deadline, fd);
        if (e == 0) {
            freeaddrinfo(list);
            return IDC_OK;
        }
        address_text(ai, last, sizeof last);
        if (e == ETIMEDOUT && idc_net_now_ms() >= deadline) {
            break;
        }
    }
    freeaddrinfo(list);
    if (e == ETIMEDOUT) {
        return idc_error_set(err, IDC_ERR_TIMEOUT,
                             "connecting to %s port %s timed out after %d "
                             "ms",
                             host, port, timeout_ms);
    }
    idc_err rc = idc_error_set(err, IDC_ERR_CONNECT, "cannot connect to %s port %s (%s): %s", host,
                               port, last, strerror(e));
    if (err != NULL) {
        err->native = e;
    }
    return rc;
}

idc_err idc_net_send(int fd, const void *buf, size_t len, int timeout_ms, struct idc_error *err)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            idc_err rc = idc_net_wait(fd, POLLOUT, timeout_ms, "sending the request", err);
            if (rc) {
                return rc;
            }
            continue;
        }
        return idc_error_set(err, IDC_ERR_RESET, "sending failed: %s",
                             n < 0 ? strerror(errno) : "connection closed");
    }
    return IDC_OK;
}

idc_err idc_net_recv(int fd, void *buf, size_t cap, size_t *got, int timeout_ms,
                     struct idc_error *err)
{
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n >= 0) {
            *got = (size_t)n;
            return IDC_OK;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            idc_err rc = idc_net_wait(fd, POLLIN, timeout_ms, "reading the response", err);
            if (rc) {
                return rc;
            }
            continue;
        }
        idc_err rc = idc_error_set(err, IDC_ERR_RESET,
                                   "the connection was reset while reading: "
                                   "%s",
                                   strerror(errno));
        if (err != NULL) {
            err->native = errno;
        }
        return rc;
    }
}
