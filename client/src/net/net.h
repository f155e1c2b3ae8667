/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net.h - socket helpers the transports and TLS backends share (library-internal): a
 * connect that tries every address with a deadline, waiting with poll(), plain reads and
 * writes with timeouts, and errno mapped to idc_err with a message naming the peer.
 */
#ifndef IDC_NET_H
#define IDC_NET_H

#include <stdint.h>
#include <stddef.h>

#include "idc/error.h"

/* Milliseconds on a monotonic clock. */
int64_t idc_net_now_ms(void);

/* Milliseconds from now until `deadline_ms`, 0 once it has passed: the timeout argument for
 * one step of an operation that has a deadline as a whole. */
int idc_net_ms_left(int64_t deadline_ms);

/*
 * Resolves `host` and tries every address in turn (localhost may give ::1 first) until
 * one connects, all within `timeout_ms` (the lookup counts against it). The socket is
 * non-blocking with TCP_NODELAY.
 * Returns IDC_ERR_DNS, IDC_ERR_CONNECT (naming the last address and the reason),
 * IDC_ERR_TIMEOUT.
 */
idc_err idc_net_connect(const char *host, const char *port, int timeout_ms, int *fd,
                        struct idc_error *err);

/*
 * Waits until `deadline_ms` (idc_net_now_ms time) for `events` (POLLIN or POLLOUT); a signal
 * does not end the wait early. IDC_ERR_TIMEOUT names `what` ("reading the response") and
 * `total_ms`, the whole time the operation was allowed (TLS backends loop on this);
 * IDC_ERR_RESET with the errno in err->native when poll() fails.
 */
idc_err idc_net_wait_until(int fd, short events, int64_t deadline_ms, int total_ms,
                           const char *what, struct idc_error *err);

/* Sends all bytes within `timeout_ms` as a whole, however often the socket is full;
 * IDC_ERR_RESET, IDC_ERR_TIMEOUT. */
idc_err idc_net_send(int fd, const void *buf, size_t len, int timeout_ms, struct idc_error *err);

/* Receives up to `cap` bytes, waiting at most `timeout_ms` for the first; *got = 0 at EOF.
 * IDC_ERR_RESET, IDC_ERR_TIMEOUT. */
idc_err idc_net_recv(int fd, void *buf, size_t cap, size_t *got, int timeout_ms,
                     struct idc_error *err);

#endif
