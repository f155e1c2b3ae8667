/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_protocol.c - awsJson1_1 error answers (aws_json.c) and what both protocols share
 * (protocol.c): the bare code from `__type` or X-Amzn-ErrorType, the message, the request
 * id, and a body that is not JSON reported with its status and error type kept, so a
 * throttle behind a proxy page still reads as a throttle.
 */
#include "unit.h"

#include "idc/str.h"
#include "protocol.h"

static struct idc_http_response response(int status, const char *error_type, const char *body)
{
    struct idc_http_response resp = {
        .status = status, .retry_after = -1, .body = body, .body_len = body ? strlen(body) : 0};
    snprintf(resp.content_type, sizeof resp.content_type, "application/x-amz-json-1.1");
    snprintf(resp.error_type, sizeof resp.error_type, "%s", error_type);
    return resp;
}

static void test_json_error_type_message_request_id(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(400, "",
                 "{\"__type\":\"com.amazonaws.identitystore#ResourceNotFoundException\","
                 "\"Message\":\"User not found\",\"RequestId\":\"body-rid\"}");
    struct idc_error err = {0};
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_int_equal(err.code, IDC_ERR_AWS);
    assert_string_equal(err.aws_code, "ResourceNotFoundException");
    assert_string_equal(err.msg, "ResourceNotFoundException: User not found (HTTP 400)");
    assert_string_equal(err.request_id, "body-rid");
    snprintf(resp.request_id, sizeof resp.request_id, "header-rid");
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_string_equal(err.request_id, "header-rid"); /* the header wins */
}

static void test_json_error_type_from_header_when_body_is_not_json(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(400, "ThrottlingException:http://internal.amazon.com/", "<html>slow down</html>");
    struct idc_error err = {0};
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_string_equal(err.aws_code, "ThrottlingException");
    assert_int_equal(err.http_status, 400);
    assert_non_null(strstr(err.msg, "<html>slow down</html>"));
    assert_non_null(strstr(err.msg, "error type ThrottlingException"));

    resp = response(503, "", NULL);
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_string_equal(err.aws_code, "");
    assert_non_null(strstr(err.msg, "HTTP 503 with an empty body"));
}

static void test_json_success_is_not_an_error(void **state)
{
    (void)state;
    struct idc_http_response resp = response(200, "", "{\"Users\":[]}");
    struct idc_error err = {0};
    assert_false(idc_protocol_json.parse_error(&resp, &err));
    resp = response(200, "", "{\"__type\":\"InternalServerException\",\"message\":\"boom\"}");
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_string_equal(err.aws_code, "InternalServerException");
}

static void test_json_error_server_text_is_escaped(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(400, "",
                 "{\"__type\":\"Bad\\u001bCode\",\"message\":\"a\\u001b[2Jb\\nc\\u0007 Jos\\u00e9 "
                 "\\u009b31m\\u202eend\"}");
    snprintf(resp.request_id, sizeof resp.request_id, "rid\x1b]0;x\a");
    struct idc_error err = {0};
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_string_equal(err.msg,
                        "Bad\\x1bCode: a\\x1b[2Jb\\nc\\x07 Jos\xC3\xA9 \\u009b31m\\u202eend "
                        "(HTTP 400)");
    assert_string_equal(err.aws_code, "Bad\\x1bCode");
    assert_string_equal(err.request_id, "rid\\x1b]0;x\\x07");
}

static void test_foreign_body_is_escaped_not_mangled(void **state)
{
    (void)state;
    struct idc_http_response resp = response(502, "", "<p>Jos\xC3\xA9\r\n\x1b[1m\xFF</p>");
    snprintf(resp.content_type, sizeof resp.content_type, "text/html\n\x1b[31m");
    struct idc_error err = {0};
    assert_true(idc_protocol_json.parse_error(&resp, &err));
    assert_non_null(strstr(err.msg, "\"<p>Jos\xC3\xA9\\r\\n\\x1b[1m\\xff</p>\""));
    assert_non_null(strstr(err.msg, "Content-Type text/html\\n\\x1b[31m"));
    assert_null(strpbrk(err.msg, "\x1b\r\n"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json_error_type_message_request_id),
    cmocka_unit_test(test_json_error_type_from_header_when_body_is_not_json),
    cmocka_unit_test(test_json_success_is_not_an_error),
    cmocka_unit_test(test_json_error_server_text_is_escaped),
    cmocka_unit_test(test_foreign_body_is_escaped_not_mangled),
};

UNIT_MAIN(tests)
