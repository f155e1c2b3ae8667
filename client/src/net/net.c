/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net.c - sockets with deadlines: non-blocking connect over every resolved address, poll()
 * for readiness, send and receive that map errno to idc_err. No TLS here (tls.h).
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

int idc_net_ms_left(int64_t deadline_ms)
{
    int64_t left = deadline_ms - idc_net_now_ms();
    return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

idc_err idc_net_wait_until(int fd, short events, int64_t deadline_ms, int total_ms,
                           const char *what, struct idc_error *err)
{
    struct pollfd p = {fd, events, 0};
    for (;;) {
        int n = poll(&p, 1, idc_net_ms_left(deadline_ms));
        if (n > 0) {
            return IDC_OK;
        }
        if (n == 0) {
            return idc_error_set(err, IDC_ERR_TIMEOUT, "timed out after %d ms %s", total_ms, what);
        }
        int e = errno;
        if (e != EINTR) { /* a signal only shortens the wait: poll again for what is left */
            return idc_error_set_native(err, IDC_ERR_RESET, e, "poll failed %s: %s", what,
                                        strerror(e));
        }
    }
}

/* Waits up to `timeout_ms` from now: the idle limit of one send or receive. */
static idc_err wait_for(int fd, short events, int timeout_ms, const char *what,
                        struct idc_error *err)
{
    return idc_net_wait_until(fd, events, idc_net_now_ms() + timeout_ms, timeout_ms, what, err);
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
    }
    if (e == EINPROGRESS) {
        struct idc_error werr;
        idc_err rc = idc_net_wait_until(fd, POLLOUT, deadline, 0, "connecting", &werr);
        socklen_t len = sizeof e;
        e = rc == IDC_ERR_TIMEOUT ? ETIMEDOUT : rc ? (int)werr.native : 0;
        if (rc == IDC_OK && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) {
            e = errno;
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
    /* The lookup counts against the timeout, though getaddrinfo itself cannot be cut short. */
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    int g = getaddrinfo(host, port, &hints, &list);
    if (g != 0) {
        return idc_error_set(err, IDC_ERR_DNS,
                             "cannot resolve %s: %s; check the endpoint's "
                             "host name and the network",
                             host, gai_strerror(g));
    }
    int e = ETIMEDOUT; /* the lookup alone used up the time */
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
    return idc_error_set_native(err, IDC_ERR_CONNECT, e, "cannot connect to %s port %s (%s): %s",
                                host, port, last, strerror(e));
}

idc_err idc_net_send(int fd, const void *buf, size_t len, int timeout_ms, struct idc_error *err)
{
    const char *p = buf;
    int64_t deadline = idc_net_now_ms() + timeout_ms; /* for the whole of it */
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
            idc_err rc =
                idc_net_wait_until(fd, POLLOUT, deadline, timeout_ms, "sending the request", err);
            if (rc) {
                return rc;
            }
            continue;
        }
        int e = n < 0 ? errno : 0;
        return idc_error_set_native(err, IDC_ERR_RESET, e, "sending failed: %s",
                                    e ? strerror(e) : "connection closed");
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
            idc_err rc = wait_for(fd, POLLIN, timeout_ms, "reading the response", err);
            if (rc) {
                return rc;
            }
            continue;
        }
        int e = errno;
        return idc_error_set_native(err, IDC_ERR_RESET, e,
                                    "the connection was reset while reading: %s", strerror(e));
    }
}
