/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h - the crypto backend table (SHA-256) and the HMAC-SHA256 built on it.
 * Exactly one backend file (crypto_openssl.c or crypto_mbedtls.c) is compiled and
 * defines `idc_crypto`. Nothing here allocates: states live in the caller's storage.
 */
#ifndef IDC_CRYPTO_H
#define IDC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define IDC_SHA256_LEN       32
#define IDC_SHA256_HEX_LEN   64
#define IDC_SHA256_BLOCK     64
#define IDC_SHA256_STATE_MAX 128 /* bytes; each backend checks its state fits */

/*
 * A running SHA-256. Both backends keep it as plain memory (no pointers, no heap), so a
 * struct copy forks a hash: HMAC relies on that to start from precomputed pads.
 */
struct idc_sha256 {
    union {
        uint64_t align;
        unsigned char bytes[IDC_SHA256_STATE_MAX];
    } u;
};

/*
 * One backend. The software SHA-256 of both libraries cannot fail on valid arguments,
 * so the slots return nothing.
 */
struct idc_crypto_ops {
    const char *name;             /* "openssl" or "mbedtls" */
    const char *(*version)(void); /* the linked library's version text */
    void (*sha256_init)(struct idc_sha256 *s);
    void (*sha256_update)(struct idc_sha256 *s, const void *data, size_t len);
    void (*sha256_final)(struct idc_sha256 *s, uint8_t out[IDC_SHA256_LEN]);
};

extern const struct idc_crypto_ops idc_crypto; /* defined by the one crypto_<lib>.c */

/* SHA-256 of one buffer. */
void idc_sha256(const void *data, size_t len, uint8_t out[IDC_SHA256_LEN]);

/* Lowercase hex SHA-256 of one buffer into `out` (64 bytes, no NUL). */
void idc_sha256_hex(const void *data, size_t len, char out[IDC_SHA256_HEX_LEN]);

/*
 * An HMAC-SHA256 key with its pads already absorbed: each MAC costs the message's
 * compressions plus two, never the key setup again. Holds key material: wipe it.
 */
struct idc_hmac_key {
    struct idc_sha256 inner; /* after (key ^ ipad) */
    struct idc_sha256 outer; /* after (key ^ opad) */
};

/* Prepares `k` from `key` (any length; longer than a block is hashed first, RFC 2104). */
void idc_hmac_key_init(struct idc_hmac_key *k, const void *key, size_t len);

/* HMAC-SHA256 of `msg` under the prepared key `k`; `k` is unchanged and reusable. */
void idc_hmac_sha256(const struct idc_hmac_key *k, const void *msg, size_t len,
                     uint8_t out[IDC_SHA256_LEN]);

/* Clears the key state. */
void idc_hmac_key_wipe(struct idc_hmac_key *k);

#endif
