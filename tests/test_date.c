/*
 * test_date.c - Check suite for lib/text/date.[ch]: every accepted form
 * with its exact POSIX time (the expected numbers were computed with
 * Python's datetime, not with this code), the date-only flag, rejected
 * texts with their message, and the ISO 8601 formatter.
 */
#include "testutil.h"
#include "text/date.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* Parses text (with format, may be NULL), which must succeed. */
static void expect_date(const char *text, const char *format, int64_t seconds, int date_only) {
  tl_date d = {0, 0};
  tl_error err;
  int rc = tl_date_parse(text, format, &d, &err);
  ck_assert_msg(rc == TL_OK, "'%s': %s", text, rc == TL_OK ? "" : err.msg);
  ck_assert_msg(d.seconds == seconds, "'%s': want %lld got %lld", text, (long long)seconds,
                (long long)d.seconds);
  ck_assert_int_eq(d.date_only, date_only);
}

/* Parsing text must fail with a message quoting it; *out is untouched. */
static void expect_bad(const char *text, const char *format) {
  tl_date d = {12345, 7};
  tl_error err;
  ck_assert_msg(tl_date_parse(text, format, &d, &err) == TL_ERR_FORMAT, "'%s' accepted", text);
  ck_assert_int_eq(err.code, TL_ERR_FORMAT);
  ck_assert_msg(strstr(err.msg, "not understood"), "%s", err.msg);
  ck_assert_ptr_null(strchr(err.msg, '\n'));
  ck_assert_int_eq(d.seconds, 12345);
  ck_assert_int_eq(d.date_only, 7);
}

START_TEST(test_iso) {
  expect_date("2025-10-21", NULL, 1761004800, 1);
  expect_date("  2025-10-21 \n", NULL, 1761004800, 1);
  expect_date("2025-10-21T13:43", NULL, 1761054180, 0);
  expect_date("2025-10-21T13:43Z", NULL, 1761054180, 0);
  expect_date("2025-10-21 13:43", NULL, 1761054180, 0);
  expect_date("2025-10-21T13:43:07", NULL, 1761054187, 0);
  expect_date("2025-10-21t13:43:07z", NULL, 1761054187, 0);
  expect_date("2025-10-21T13:43:07.123Z", NULL, 1761054187, 0);
  expect_date("2025-10-21T13:43:07.999999+00:00", NULL, 1761054187, 0);
  /* 20:43 at +07:00 is 13:43Z, in every zone spelling */
  expect_date("2025-10-21T20:43:00+07:00", NULL, 1761054180, 0);
  expect_date("2025-10-21T20:43:00+0700", NULL, 1761054180, 0);
  expect_date("2025-10-21T20:43:00+07", NULL, 1761054180, 0);
  expect_date("2025-10-21 20:43+07:00", NULL, 1761054180, 0);
  expect_date("2025-10-21T08:43:00-05:00", NULL, 1761054180, 0);
  expect_date("2025-10-21T20:43:00+05:30", NULL, 1761059580, 0);
  /* a leap day, the last second before the epoch, the ends of the range */
  expect_date("2024-02-29T23:59:59Z", NULL, 1709251199, 0);
  expect_date("1969-12-31T23:59:59Z", NULL, -1, 0);
  expect_date("0001-01-01", NULL, -62135596800LL, 1);
  expect_date("9999-12-31T23:59:59Z", NULL, 253402300799LL, 0);
}
END_TEST

START_TEST(test_rfc2822) {
  expect_date("Tue, 21 Oct 2025 20:43:00 +0700", NULL, 1761054180, 0);
  expect_date("21 Oct 2025 20:43:00 +0700", NULL, 1761054180, 0);
  expect_date("tue, 21 oct 2025 20:43 +0700", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 13:43:00 GMT", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 13:43:00 UTC", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 13:43:00 UT", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 13:43:00", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 20:43:00 WIB", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 20:43:00 WITA", NULL, 1761050580, 0);
  expect_date("Tue, 21 Oct 2025 20:43:00 WIT", NULL, 1761046980, 0);
  expect_date("Tue, 21 Oct 2025 08:43:00 EST", NULL, 1761054180, 0);
  expect_date("Tue, 21 Oct 2025 08:43:00 -0500", NULL, 1761054180, 0);
  /* a one-digit day, a two-digit year (RFC 2822 4.3: 99 is 1999) */
  expect_date("Fri, 5 Mar 99 01:02:03 +0000", NULL, 920595723, 0);
}
END_TEST

START_TEST(test_strptime_format) {
  /* the detik.com form: month/day/year, UTC when no zone is given */
  expect_date("10/21/2025 13:43", "%m/%d/%Y %H:%M", 1761054180, 0);
  expect_date("10/21/2025", "%m/%d/%Y", 1761004800, 1);
  expect_date("21.10.2025 20:43 +0700", "%d.%m.%Y %H:%M %z", 1761054180, 0);
  /* the format is tried first; the standard forms still work with it */
  expect_date("2025-10-21T13:43:00Z", "%m/%d/%Y %H:%M", 1761054180, 0);
  expect_bad("10/21/2025 13:43 extra", "%m/%d/%Y %H:%M");
  expect_bad("21/10/2025 13:43", "%m/%d/%Y %H:%M"); /* month 21 */
  expect_bad("02/30/2025 13:43", "%m/%d/%Y %H:%M"); /* no 30 February */
}
END_TEST

START_TEST(test_bad_dates) {
  expect_bad("", NULL);
  expect_bad("   ", NULL);
  expect_bad("kemarin", NULL);
  expect_bad("10/21/2025 20:43", NULL); /* needs a format */
  expect_bad("2025-13-01", NULL);
  expect_bad("2025-04-31", NULL);
  expect_bad("2025-02-29", NULL); /* 2025 is no leap year */
  expect_bad("2025-10-21T24:00", NULL);
  expect_bad("2025-10-21T13:60", NULL);
  expect_bad("2025-10-21T13:43:07.", NULL);
  expect_bad("2025-10-21T13:43+25:00", NULL);
  expect_bad("2025-10-21T13:43 Z", NULL);
  expect_bad("2025-10-21X13:43", NULL);
  expect_bad("2025-1-21", NULL);
  expect_bad("0000-01-01", NULL);
  expect_bad("Tue, 21 Oct 2025 20:43:00 XYZ", NULL);
  expect_bad("Tue, 21 Okt 2025 20:43:00 +0700", NULL);
  expect_bad("Tue 21 Oct 2025 20:43:00 +0700", NULL);
  expect_bad("Tue, 32 Oct 2025 20:43:00 +0700", NULL);
  expect_bad("Tue, 21 Oct 2025 +0700", NULL);
  {
    /* a long text is quoted cut, on one line */
    char big[300];
    tl_date d;
    tl_error err;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(tl_date_parse(big, NULL, &d, &err), TL_ERR_FORMAT);
    ck_assert_uint_lt(strlen(err.msg), 120);
    ck_assert_ptr_nonnull(strstr(err.msg, "xxx..."));
  }
}
END_TEST

START_TEST(test_format) {
  char buf[TL_DATE_TEXT_MAX];
  tl_date d = {1761054180, 0};
  ck_assert_uint_eq(tl_date_format(&d, buf, sizeof buf), 20);
  ck_assert_str_eq(buf, "2025-10-21T13:43:00Z");
  d.date_only = 1;
  d.seconds = 1761004800;
  ck_assert_uint_eq(tl_date_format(&d, buf, sizeof buf), 10);
  ck_assert_str_eq(buf, "2025-10-21");
  d.date_only = 0;
  d.seconds = -1;
  ck_assert_uint_eq(tl_date_format(&d, buf, sizeof buf), 20);
  ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
  /* too small a buffer, a year past 9999 */
  ck_assert_uint_eq(tl_date_format(&d, buf, 10), 0);
  ck_assert_str_eq(buf, "");
  d.seconds = 253402300800LL;
  ck_assert_uint_eq(tl_date_format(&d, buf, sizeof buf), 0);
  ck_assert_str_eq(buf, "");
  /* parse and format agree */
  ck_assert_int_eq(tl_date_parse("Tue, 21 Oct 2025 20:43:00 +0700", NULL, &d, NULL), TL_OK);
  tl_date_format(&d, buf, sizeof buf);
  ck_assert_str_eq(buf, "2025-10-21T13:43:00Z");
}
END_TEST

static Suite *date_suite(void) {
  Suite *s = suite_create("date");
  TCase *tc = tcase_create("date");
  tcase_add_test(tc, test_iso);
  tcase_add_test(tc, test_rfc2822);
  tcase_add_test(tc, test_strptime_format);
  tcase_add_test(tc, test_bad_dates);
  tcase_add_test(tc, test_format);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(date_suite());
}
