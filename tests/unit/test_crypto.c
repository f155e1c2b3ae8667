/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crypto.c - SHA-256 (NIST FIPS 180-2 known answers) and HMAC-SHA256 (RFC 4231)
 * through whichever crypto backend this build compiled, plus the two properties the
 * signer relies on: a prepared HMAC key is reusable, and a struct copy forks a hash.
 */
#include "unit.h"

#include "crypto_ops.h"
#include "idc/str.h"

/* Lowercase hex of a digest, NUL-terminated, for assert_string_equal. */
static void digest_hex(const uint8_t d[IDC_SHA256_LEN], char out[IDC_SHA256_HEX_LEN + 1])
{
    idc_hex_lower(d, IDC_SHA256_LEN, out);
    out[IDC_SHA256_HEX_LEN] = '\0';
}

static void check_sha256(const void *data, size_t len, const char *want)
{
    uint8_t d[IDC_SHA256_LEN];
    char hex[IDC_SHA256_HEX_LEN + 1];
    idc_sha256(data, len, d);
    digest_hex(d, hex);
    assert_string_equal(hex, want);
}

static void check_hmac(const void *key, size_t key_len, const void *msg, size_t msg_len,
                       const char *want)
{
    struct idc_hmac_key k;
    uint8_t mac[IDC_SHA256_LEN];
    char hex[IDC_SHA256_HEX_LEN + 1];
    idc_hmac_key_init(&k, key, key_len);
    idc_hmac_sha256(&k, msg, msg_len, mac);
    idc_hmac_key_wipe(&k);
    digest_hex(mac, hex);
    assert_string_equal(hex, want);
}

static void test_crypto_backend_named(void **state)
{
    (void)state;
    assert_non_null(idc_crypto.name);
    assert_true(strcmp(idc_crypto.name, "openssl") == 0 || strcmp(idc_crypto.name, "mbedtls") == 0);
    assert_non_null(idc_crypto.version);
    assert_non_null(idc_crypto.version());
    assert_true(strlen(idc_crypto.version()) > 0);
}

static void test_crypto_sha256_empty(void **state)
{
    (void)state;
    check_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_crypto_sha256_abc(void **state)
{
    (void)state;
    check_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_crypto_sha256_448_bits(void **state)
{
    (void)state;
    static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(sizeof msg - 1, 56); /* 448 bits: the padding spills into a second block */
    check_sha256(msg, sizeof msg - 1,
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_crypto_sha256_million_a(void **state)
{
    (void)state;
    static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    char *a = test_malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    check_sha256(a, 1000000, want);

    /* The same through the backend table in uneven pieces: updates must chain. */
    struct idc_sha256 s;
    uint8_t d[IDC_SHA256_LEN];
    char hex[IDC_SHA256_HEX_LEN + 1];
    idc_crypto.sha256_init(&s);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = step < 1000000 - done ? step : 1000000 - done;
        idc_crypto.sha256_update(&s, a + done, n);
        done += n;
        step = step * 3 + 1; /* 1, 4, 13, 40, ...: crosses block edges at odd offsets */
    }
    idc_crypto.sha256_final(&s, d);
    digest_hex(d, hex);
    assert_string_equal(hex, want);
    test_free(a);
}

static void test_crypto_sha256_hex(void **state)
{
    (void)state;
    char out[IDC_SHA256_HEX_LEN + 8];
    memset(out, '#', sizeof out);
    idc_sha256_hex("abc", 3, out);
    assert_memory_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                        IDC_SHA256_HEX_LEN);
    for (size_t i = IDC_SHA256_HEX_LEN; i < sizeof out; i++) {
        assert_int_equal(out[i], '#'); /* exactly 64 bytes, no NUL */
    }
    idc_sha256_hex("", 0, out);
    assert_memory_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        IDC_SHA256_HEX_LEN);
}

static void test_crypto_hmac_rfc4231_case1(void **state)
{
    (void)state;
    uint8_t key[20];
    memset(key, 0x0b, sizeof key);
    check_hmac(key, sizeof key, "Hi There", 8,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

static void test_crypto_hmac_rfc4231_case2(void **state)
{
    (void)state;
    check_hmac("Jefe", 4, "what do ya want for nothing?", 28,
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_crypto_hmac_rfc4231_case3(void **state)
{
    (void)state;
    uint8_t key[20], msg[50];
    memset(key, 0xaa, sizeof key);
    memset(msg, 0xdd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

static void test_crypto_hmac_rfc4231_case4(void **state)
{
    (void)state;
    uint8_t key[25], msg[50];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(i + 1);
    }
    memset(msg, 0xcd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

static void test_crypto_hmac_rfc4231_case6_long_key(void **state)
{
    (void)state;
    static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    check_hmac(key, sizeof key, msg, sizeof msg - 1,
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_crypto_hmac_rfc4231_case7_long_key_and_data(void **state)
{
    (void)state;
    static const char msg[] = "This is a test using a larger than block-size key and a larger "
                              "than block-size data. The key needs to be hashed before being "
                              "used by the HMAC algorithm.";
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    check_hmac(key, sizeof key, msg, sizeof msg - 1,
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void test_crypto_hmac_key_reused(void **state)
{
    (void)state;
    /* One prepared key, several messages; a key changed by a MAC would show on the repeat. */
    static const struct {
        const char *msg;
        const char *want;
    } cases[] = {
        {"what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"", "923598ca6d64af2a5dba79dcd021a8a0fe5c5f557519adaaf0ad532d4506dd30"},
        {"abc", "7cf4ec4f741f51cb0d887013c46251d6f4175643c4f422906a1aaec688cc13e8"},
        {"what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    };
    struct idc_hmac_key k;
    idc_hmac_key_init(&k, "Jefe", 4);
    struct idc_hmac_key before = k;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t mac[IDC_SHA256_LEN];
        char hex[IDC_SHA256_HEX_LEN + 1];
        idc_hmac_sha256(&k, cases[i].msg, strlen(cases[i].msg), mac);
        digest_hex(mac, hex);
        assert_string_equal(hex, cases[i].want);
    }
    assert_memory_equal(&k, &before, sizeof k); /* the prepared key is never modified */
    idc_hmac_key_wipe(&k);
    static const struct idc_hmac_key zero;
    assert_memory_equal(&k, &zero, sizeof k);
}

static void test_crypto_sha256_struct_copy_forks(void **state)
{
    (void)state;
    struct idc_sha256 a, b;
    uint8_t da[IDC_SHA256_LEN], db[IDC_SHA256_LEN];
    char ha[IDC_SHA256_HEX_LEN + 1], hb[IDC_SHA256_HEX_LEN + 1];
    idc_crypto.sha256_init(&a);
    idc_crypto.sha256_update(&a, "ab", 2);
    b = a;
    idc_crypto.sha256_update(&a, "c", 1);
    idc_crypto.sha256_update(&b, "d", 1);
    idc_crypto.sha256_final(&a, da);
    idc_crypto.sha256_final(&b, db);
    digest_hex(da, ha);
    digest_hex(db, hb);
    assert_string_equal(ha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(hb, "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9");

    /* A fork after whole blocks: both halves carry the absorbed prefix. */
    char block[64];
    memset(block, 'a', sizeof block);
    idc_crypto.sha256_init(&a);
    idc_crypto.sha256_update(&a, block, sizeof block);
    b = a;
    idc_crypto.sha256_update(&b, "bc", 2);
    idc_crypto.sha256_final(&b, db);
    idc_crypto.sha256_final(&a, da);
    char joined[66];
    memcpy(joined, block, 64);
    memcpy(joined + 64, "bc", 2);
    uint8_t want_a[IDC_SHA256_LEN], want_b[IDC_SHA256_LEN];
    idc_sha256(block, 64, want_a);
    idc_sha256(joined, 66, want_b);
    assert_memory_equal(da, want_a, IDC_SHA256_LEN);
    assert_memory_equal(db, want_b, IDC_SHA256_LEN);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_crypto_backend_named),
    cmocka_unit_test(test_crypto_sha256_empty),
    cmocka_unit_test(test_crypto_sha256_abc),
    cmocka_unit_test(test_crypto_sha256_448_bits),
    cmocka_unit_test(test_crypto_sha256_million_a),
    cmocka_unit_test(test_crypto_sha256_hex),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case1),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case2),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case3),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case4),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case6_long_key),
    cmocka_unit_test(test_crypto_hmac_rfc4231_case7_long_key_and_data),
    cmocka_unit_test(test_crypto_hmac_key_reused),
    cmocka_unit_test(test_crypto_sha256_struct_copy_forks),
};

UNIT_MAIN(tests)
