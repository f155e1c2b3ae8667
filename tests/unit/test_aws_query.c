/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_aws_query.c - the awsQuery pieces without a network: the XML walk (the IAM API
 * Reference's ListUsers example, namespaces, split text, the depth limit, malformed,
 * truncated and empty input), error answers (a real IAM DeleteConflict, the Errors/Error
 * layout, a 200 carrying an error, a proxy's HTML page, an empty 403) and request forms.
 */
#include "unit.h"

#include <stdlib.h>

#include "aws_query.h"
#include "dynbuf.h"

/* ---- helpers --------------------------------------------------------------------------- */

/* Records "a/b/c=text\n" per leaf and "a/b/" per element end into one buffer. */
struct record {
    struct idc_dynbuf out;
    int leaves;
    int ends;
    int stop_at; /* stop at this leaf (1-based), 0 never */
    struct idc_error *err_to_set;
};

static void put_path(struct idc_dynbuf *b, const char *const *path, size_t depth)
{
    for (size_t i = 0; i < depth; i++) {
        idc_dynbuf_printf(b, "%s%s", i ? "/" : "", path[i]);
    }
}

static int record_leaf(const char *const *path, size_t depth, const char *text, size_t len,
                       void *ud)
{
    struct record *r = ud;
    put_path(&r->out, path, depth);
    idc_dynbuf_printf(&r->out, "=%.*s\n", (int)len, text);
    r->leaves++;
    if (r->stop_at == r->leaves && r->err_to_set != NULL) {
        idc_error_set(r->err_to_set, IDC_ERR_PARSE, "the test's own reason");
    }
    return r->stop_at == r->leaves;
}

static int record_end(const char *const *path, size_t depth, void *ud)
{
    struct record *r = ud;
    put_path(&r->out, path, depth);
    idc_dynbuf_str(&r->out, "/\n");
    r->ends++;
    return 0;
}

/* The recorded text as a C string (the buffer keeps a NUL after it). */
static const char *recorded(struct record *r)
{
    idc_dynbuf_put(&r->out, "", 1);
    r->out.len--;
    assert_false(r->out.failed);
    return r->out.p;
}

static idc_err walk_text(const char *xml, struct record *r, struct idc_error *err)
{
    return idc_xml_walk(xml, strlen(xml), record_leaf, r, err);
}

static struct idc_http_response response(int status, const char *content_type, const char *body)
{
    struct idc_http_response resp = {
        .status = status, .retry_after = -1, .body = body, .body_len = body ? strlen(body) : 0};
    snprintf(resp.content_type, sizeof resp.content_type, "%s", content_type);
    return resp;
}

/* The IAM API Reference's ListUsers example, as aws-protocols.md 2.2 quotes it. */
static const char list_users_example[] =
    "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
    " <ListUsersResult>\n"
    "    <Users>\n"
    "       <member>\n"
    "          <UserId>AID2MAB8DPLSRHEXAMPLE</UserId>\n"
    "          <Path>/division_abc/subdivision_xyz/engineering/</Path>\n"
    "          <UserName>Andrew</UserName>\n"
    "          <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/engineering/"
    "Andrew</Arn>\n"
    "          <CreateDate>2012-09-05T19:38:48Z</CreateDate>\n"
    "          <PasswordLastUsed>2014-09-08T21:47:36Z</PasswordLastUsed>\n"
    "       </member>\n"
    "    </Users>\n"
    "    <IsTruncated>false</IsTruncated>\n"
    " </ListUsersResult>\n"
    " <ResponseMetadata>\n"
    "    <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\n"
    " </ResponseMetadata>\n"
    "</ListUsersResponse>\n";

/* ---- the walk ---------------------------------------------------------------------------- */

static void test_aws_query_walk_list_users_example(void **state)
{
    (void)state;
    struct record r = {0};
    struct idc_error err = {0};
    size_t len = strlen(list_users_example);
    assert_int_equal(idc_xml_walk_full(list_users_example, len, record_leaf, record_end, &r, &err),
                     IDC_OK);
#define M "ListUsersResponse/ListUsersResult/Users/member/"
    assert_string_equal(
        recorded(&r),
        M "UserId=AID2MAB8DPLSRHEXAMPLE\n" M "Path=/division_abc/subdivision_xyz/engineering/\n" M
          "UserName=Andrew\n" M "Arn=arn:aws:iam::123456789012:user/division_abc/"
          "subdivision_xyz/engineering/Andrew\n" M "CreateDate=2012-09-05T19:38:48Z\n" M
          "PasswordLastUsed=2014-09-08T21:47:36Z\n"
          "ListUsersResponse/ListUsersResult/Users/member/\n"
          "ListUsersResponse/ListUsersResult/Users/\n"
          "ListUsersResponse/ListUsersResult/IsTruncated=false\n"
          "ListUsersResponse/ListUsersResult/\n"
          "ListUsersResponse/ResponseMetadata/RequestId="
          "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE\n"
          "ListUsersResponse/ResponseMetadata/\n"
          "ListUsersResponse/\n");
#undef M
    assert_int_equal(r.leaves, 8);
    idc_dynbuf_free(&r.out);
}

static void test_aws_query_walk_drops_namespace_prefixes(void **state)
{
    (void)state;
    struct record r = {0};
    const char *xml =
        "<iam:GetUserResponse xmlns:iam=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
        "<iam:GetUserResult><User><iam:UserName>bob</iam:UserName></User>"
        "</iam:GetUserResult></iam:GetUserResponse>";
    assert_int_equal(walk_text(xml, &r, NULL), IDC_OK);
    assert_string_equal(recorded(&r), "GetUserResponse/GetUserResult/User/UserName=bob\n");
    idc_dynbuf_free(&r.out);
}

/* expat hands text over in pieces: at entities, line ends, CDATA and its buffer's end. */
static void test_aws_query_walk_joins_split_text(void **state)
{
    (void)state;
    struct record r = {0};
    const char *xml = "<a><b>x &amp; y\nz <![CDATA[<c>]]> &#233;&lt;</b><e></e><f/></a>";
    assert_int_equal(walk_text(xml, &r, NULL), IDC_OK);
    assert_string_equal(recorded(&r), "a/b=x & y\nz <c> \xC3\xA9<\na/e=\na/f=\n");
    idc_dynbuf_free(&r.out);

    /* a text longer than one XML_Parse chunk arrives whole */
    size_t n = 200000;
    char *big = malloc(n + 16);
    assert_non_null(big);
    memcpy(big, "<a>", 3);
    memset(big + 3, 'q', n);
    memcpy(big + 3 + n, "</a>", 5);
    struct record r2 = {0};
    assert_int_equal(walk_text(big, &r2, NULL), IDC_OK);
    assert_int_equal(r2.out.len, 2 + n + 1);
    assert_int_equal(r2.leaves, 1);
    idc_dynbuf_free(&r2.out);
    free(big);
}

static char *nested(int depth)
{
    char *xml = malloc((size_t)depth * 8 + 8);
    assert_non_null(xml);
    size_t n = 0;
    for (int i = 0; i < depth; i++) {
        n += (size_t)sprintf(xml + n, "<e>");
    }
    n += (size_t)sprintf(xml + n, "x");
    for (int i = 0; i < depth; i++) {
        n += (size_t)sprintf(xml + n, "</e>");
    }
    return xml;
}

static void test_aws_query_walk_depth_limit(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct record r = {0};
    char *ok = nested(IDC_XML_DEPTH_MAX);
    assert_int_equal(walk_text(ok, &r, &err), IDC_OK);
    assert_int_equal(r.leaves, 1);
    free(ok);

    char *deep = nested(IDC_XML_DEPTH_MAX + 1);
    assert_int_equal(walk_text(deep, &r, &err), IDC_ERR_LIMIT);
    assert_int_equal(err.code, IDC_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "deeper than 32"));
    assert_int_equal(r.leaves, 1); /* nothing more was reported */
    free(deep);
    idc_dynbuf_free(&r.out);
}

static void test_aws_query_walk_reports_malformed_position(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct record r = {0};
    assert_int_equal(walk_text("<a>\n  <b>text\n</a>", &r, &err), IDC_ERR_PARSE);
    assert_non_null(strstr(err.msg, "not well-formed XML"));
    assert_non_null(strstr(err.msg, "mismatched tag"));
    assert_non_null(strstr(err.msg, "line 3, column 3"));
    assert_int_equal(r.leaves, 0);
    idc_dynbuf_free(&r.out);
}

static void test_aws_query_walk_reports_truncated_input(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct record r = {0};
    size_t half = strlen(list_users_example) / 2; /* inside <Arn>, on line 8 */
    assert_int_equal(idc_xml_walk(list_users_example, half, record_leaf, &r, &err), IDC_ERR_PARSE);
    assert_non_null(strstr(err.msg, "line 8, column"));
    assert_int_equal(r.leaves, 3); /* UserId, Path, UserName came before the cut */
    idc_dynbuf_free(&r.out);
}

static void test_aws_query_walk_refuses_empty_body(void **state)
{
    (void)state;
    struct idc_error err = {0};
    assert_int_equal(idc_xml_walk("", 0, record_leaf, NULL, &err), IDC_ERR_PARSE);
    assert_non_null(strstr(err.msg, "no element found"));
    assert_non_null(strstr(err.msg, "line 1, column 1"));
    assert_int_equal(idc_xml_walk(NULL, 0, record_leaf, NULL, NULL), IDC_ERR_PARSE);
}

static void test_aws_query_walk_refuses_doctype(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct record r = {0};
    const char *xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>";
    assert_int_equal(walk_text(xml, &r, &err), IDC_ERR_PARSE);
    assert_non_null(strstr(err.msg, "DOCTYPE"));
    assert_int_equal(r.leaves, 0);
    idc_dynbuf_free(&r.out);
}

static void test_aws_query_walk_stops_when_asked(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct record r = {.stop_at = 2};
    assert_int_equal(walk_text(list_users_example, &r, &err), IDC_ERR_ARG);
    assert_int_equal(r.leaves, 2);
    assert_non_null(strstr(err.msg, "stopped by its callback"));
    idc_dynbuf_free(&r.out);

    struct record r2 = {.stop_at = 1, .err_to_set = &err};
    assert_int_equal(walk_text(list_users_example, &r2, &err), IDC_ERR_PARSE);
    assert_string_equal(err.msg, "the test's own reason");
    idc_dynbuf_free(&r2.out);
}

/* ---- error answers ----------------------------------------------------------------------- */

static void test_aws_query_error_delete_conflict(void **state)
{
    (void)state;
    /* verbatim from a real IAM answer quoted in ansible/ansible#22832 */
    struct idc_http_response resp =
        response(409, "text/xml",
                 "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
                 "  <Error>\n"
                 "    <Type>Sender</Type>\n"
                 "    <Code>DeleteConflict</Code>\n"
                 "    <Message>Cannot delete entity, must detach all policies first.</Message>\n"
                 "  </Error>\n"
                 "  <RequestId>d17db58d-0e3d-11e7-8e1f-29a8c10edf64</RequestId>\n"
                 "</ErrorResponse>\n");
    struct idc_error err = {0};
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_int_equal(err.code, IDC_ERR_AWS);
    assert_int_equal(err.http_status, 409);
    assert_string_equal(err.aws_code, "DeleteConflict");
    assert_string_equal(err.request_id, "d17db58d-0e3d-11e7-8e1f-29a8c10edf64");
    assert_false(err.retryable);
    assert_string_equal(err.msg,
                        "DeleteConflict: Cannot delete entity, must detach all policies first. "
                        "(HTTP 409)");
}

static void test_aws_query_error_errors_layout(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(400, "text/xml",
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded"
                 "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example"
                 "</RequestID></Response>");
    struct idc_error err = {0};
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_string_equal(err.aws_code, "Throttling");
    assert_string_equal(err.request_id, "ea966190-f9aa-478e-9ede-example");
    assert_non_null(strstr(err.msg, "Throttling: Rate exceeded"));

    /* the header's request id wins over the body's */
    snprintf(resp.request_id, sizeof resp.request_id, "from-header");
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_string_equal(err.request_id, "from-header");
}

static void test_aws_query_error_in_a_200(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(200, "text/xml",
                 "<?xml version=\"1.0\"?>\n<!-- a gateway -->\n<ErrorResponse><Error><Type>Receiver"
                 "</Type><Code>ServiceFailure</Code><Message>Internal failure</Message></Error>"
                 "<RequestId>r-1</RequestId></ErrorResponse>");
    struct idc_error err = {0};
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_int_equal(err.http_status, 200);
    assert_string_equal(err.aws_code, "ServiceFailure");

    struct idc_http_response ok = response(200, "text/xml", list_users_example);
    struct idc_error untouched = {0};
    assert_false(idc_protocol_query.parse_error(&ok, &untouched));
    assert_int_equal(untouched.code, IDC_OK);
    struct idc_http_response empty_ok = response(200, "text/xml", "");
    assert_false(idc_protocol_query.parse_error(&empty_ok, NULL));
}

static void test_aws_query_error_html_page(void **state)
{
    (void)state;
    struct idc_http_response resp =
        response(502, "text/html",
                 "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\x01\xC3\xA9"
                 "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
    struct idc_error err = {0};
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_int_equal(err.code, IDC_ERR_AWS);
    assert_int_equal(err.http_status, 502);
    assert_string_equal(err.aws_code, "");
    assert_non_null(strstr(err.msg, "HTTP 502"));
    assert_non_null(strstr(err.msg, "text/html"));
    assert_non_null(strstr(err.msg, "<html>\\r\\n<head><title>502 Bad Gateway</title>"));
    assert_non_null(strstr(err.msg, "<body>\\x01\xC3\xA9<center>")); /* é kept */
    for (const char *p = err.msg; *p; p++) {
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    }
}

static void test_aws_query_error_empty_403(void **state)
{
    (void)state;
    struct idc_http_response resp = response(403, "", NULL);
    snprintf(resp.request_id, sizeof resp.request_id, "hdr-403");
    struct idc_error err = {0};
    assert_true(idc_protocol_query.parse_error(&resp, &err));
    assert_int_equal(err.code, IDC_ERR_AWS);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.aws_code, "");
    assert_string_equal(err.request_id, "hdr-403");
    assert_non_null(strstr(err.msg, "HTTP 403 with an empty body"));
    assert_non_null(strstr(err.msg, "Content-Type none"));
}

/* ---- request forms ----------------------------------------------------------------------- */

static void test_aws_query_form_encodes_values(void **state)
{
    (void)state;
    struct idc_dynbuf form = {0};
    struct idc_query_param params[] = {
        {"UserName", "j.doe+ops=1,dev@example-corp"},
        {"Marker", NULL}, /* left out */
        {"PathPrefix", "/a b/"},
        {"Tags.member.1.Value", "Zo\xC3\xAB~"},
    };
    assert_int_equal(idc_query_form(&form, "GetUser", "2010-05-08", params, 4, NULL), IDC_OK);
    idc_dynbuf_put(&form, "", 1);
    assert_string_equal(form.p, "Action=GetUser&Version=2010-05-08"
                                "&UserName=j.doe%2Bops%3D1%2Cdev%40example-corp"
                                "&PathPrefix=%2Fa%20b%2F&Tags.member.1.Value=Zo%C3%AB~");
    assert_null(strchr(form.p, '+'));
    idc_dynbuf_free(&form);

    assert_int_equal(idc_query_form(&form, "ListUsers", "2010-05-08", NULL, 0, NULL), IDC_OK);
    assert_int_equal(form.len, strlen("Action=ListUsers&Version=2010-05-08"));
    idc_dynbuf_free(&form);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_aws_query_walk_list_users_example),
    cmocka_unit_test(test_aws_query_walk_drops_namespace_prefixes),
    cmocka_unit_test(test_aws_query_walk_joins_split_text),
    cmocka_unit_test(test_aws_query_walk_depth_limit),
    cmocka_unit_test(test_aws_query_walk_reports_malformed_position),
    cmocka_unit_test(test_aws_query_walk_reports_truncated_input),
    cmocka_unit_test(test_aws_query_walk_refuses_empty_body),
    cmocka_unit_test(test_aws_query_walk_refuses_doctype),
    cmocka_unit_test(test_aws_query_walk_stops_when_asked),
    cmocka_unit_test(test_aws_query_error_delete_conflict),
    cmocka_unit_test(test_aws_query_error_errors_layout),
    cmocka_unit_test(test_aws_query_error_in_a_200),
    cmocka_unit_test(test_aws_query_error_html_page),
    cmocka_unit_test(test_aws_query_error_empty_403),
    cmocka_unit_test(test_aws_query_form_encodes_values),
};

UNIT_MAIN(tests)
