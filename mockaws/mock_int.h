/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mock_int.h - what server.c, auth.c and main.c share and the service modules do not need.
 */
#ifndef MOCK_INT_H
#define MOCK_INT_H

#include "mock.h"

/*
 * Starts listening (CivetWeb), writes the ready file; `port` gets the bound port. On failure
 * nothing is left running (a server whose ready file cannot be written is stopped again).
 */
idc_err mock_server_start(struct mock_server *s, int *port, struct idc_error *err);
void mock_server_stop(struct mock_server *s);

/*
 * Authenticates the request as AWS does (auth.c): parses the signature, finds the
 * credential, checks the scope's service and region, the session token and the date
 * window, and verifies the signature. Returns 0, or the status of the error it sent.
 */
int mock_authenticate(struct mock_request *req);

/* Wipes the calling thread's signing-key cache (CivetWeb's exit_thread callback). */
void mock_auth_thread_cleanup(void);

/*
 * mock_reply_error with extra response headers (e.g. "Retry-After: 2\r\n", or NULL) and a
 * message that is not a format; returns the status.
 */
int mock_reply_error_headers(struct mock_request *req, int status, const char *code,
                             const char *members, const char *extra_headers, const char *message);

#endif
