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

static void test_str_printable_cuts_and_replaces(void **state)
{
    (void)state;
    char out[8];
    idc_str_printable(IDC_STR("a\x01\xC3\xA9z"), out, sizeof out, '.');
    assert_string_equal(out, "a...z");
    idc_str_printable(IDC_STR("0123456789"), out, sizeof out, '?');
    assert_string_equal(out, "0123...");
    idc_str_printable(IDC_STR("0123456"), out, sizeof out, '?');
    assert_string_equal(out, "0123456");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json_error_type_message_request_id),
    cmocka_unit_test(test_json_error_type_from_header_when_body_is_not_json),
    cmocka_unit_test(test_json_success_is_not_an_error),
    cmocka_unit_test(test_str_printable_cuts_and_replaces),
};

UNIT_MAIN(tests)
