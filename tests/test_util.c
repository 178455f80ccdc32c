/*
 * test_util.c - Check suite for lib/util/buf.[ch] and lib/util/strset.[ch]:
 * buffer growth over many appends with the bytes checked, printf appends,
 * handing the bytes over, sizes near SIZE_MAX refused, typed arrays; the
 * string set with embedded NUL bytes, duplicates, growth past many
 * resizes, dense ids and clearing.
 */
#include "testutil.h"
#include "util/buf.h"
#include "util/strset.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_buf_growth) {
  tl_buf b = TL_BUF_INIT;
  size_t i;
  for (i = 0; i < 10000; i++) {
    char c = (char)('a' + i % 26);
    ck_assert_int_eq(tl_buf_append(&b, &c, 1), TL_OK);
    ck_assert_uint_eq(b.len, i + 1);
    ck_assert_uint_ge(b.cap, b.len + 1);
    ck_assert_int_eq(b.data[b.len], '\0');
  }
  for (i = 0; i < 10000; i++)
    ck_assert_int_eq(b.data[i], 'a' + (int)(i % 26));
  tl_buf_reset(&b);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(b.data, "");
  ck_assert_int_eq(tl_buf_append_str(&b, "kerja"), TL_OK);
  ck_assert_int_eq(tl_buf_append(&b, "\0sama", 5), TL_OK);
  ck_assert_uint_eq(b.len, 10);
  ck_assert_int_eq(memcmp(b.data, "kerja\0sama", 11), 0);
  ck_assert_int_eq(tl_buf_append(&b, NULL, 0), TL_OK);
  ck_assert_uint_eq(b.len, 10);
  tl_buf_free(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(test_buf_printf) {
  tl_buf b = TL_BUF_INIT;
  int i;
  ck_assert_int_eq(tl_buf_printf(&b, "%s=%d", "n", 42), TL_OK);
  ck_assert_str_eq(b.data, "n=42");
  for (i = 0; i < 1000; i++)
    ck_assert_int_eq(tl_buf_printf(&b, ",%04d", i), TL_OK);
  ck_assert_uint_eq(b.len, 4 + 1000 * 5);
  ck_assert_int_eq(memcmp(b.data + 4, ",0000,0001,0002", 15), 0);
  ck_assert_str_eq(b.data + b.len - 5, ",0999");
  tl_buf_free(&b);
}
END_TEST

START_TEST(test_buf_take) {
  tl_buf b = TL_BUF_INIT;
  size_t len = 99;
  char *p = tl_buf_take(&b, &len);
  ck_assert_ptr_nonnull(p);
  ck_assert_str_eq(p, "");
  ck_assert_uint_eq(len, 0);
  free(p);
  ck_assert_int_eq(tl_buf_append_str(&b, "negara-negara"), TL_OK);
  p = tl_buf_take(&b, &len);
  ck_assert_str_eq(p, "negara-negara");
  ck_assert_uint_eq(len, 13);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
  /* the buffer is usable again and no longer shares the taken bytes */
  ck_assert_int_eq(tl_buf_append_str(&b, "x"), TL_OK);
  ck_assert_str_eq(b.data, "x");
  ck_assert_str_eq(p, "negara-negara");
  free(p);
  tl_buf_free(&b);
}
END_TEST

START_TEST(test_buf_overflow) {
  tl_buf b = TL_BUF_INIT;
  ck_assert_int_eq(tl_buf_append_str(&b, "abc"), TL_OK);
  ck_assert_int_eq(tl_buf_reserve(&b, SIZE_MAX), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_buf_reserve(&b, SIZE_MAX - 3), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_buf_reserve(&b, SIZE_MAX - 4), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_buf_reserve(&b, SIZE_MAX / 2), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_buf_reserve(&b, SIZE_MAX / 2 - 3), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_buf_append(&b, "x", SIZE_MAX - 2), TL_ERR_NOMEM);
  /* unchanged by the failures */
  ck_assert_uint_eq(b.len, 3);
  ck_assert_str_eq(b.data, "abc");
  ck_assert_int_eq(tl_buf_append_str(&b, "d"), TL_OK);
  ck_assert_str_eq(b.data, "abcd");
  tl_buf_free(&b);
}
END_TEST

START_TEST(test_array_reserve) {
  double *v = NULL;
  size_t cap = 0, i, old;
  void *p;
  for (i = 0; i < 5000; i++) {
    ck_assert_int_eq(tl_array_reserve((void **)&v, &cap, i + 1, sizeof *v), TL_OK);
    ck_assert_uint_ge(cap, i + 1);
    v[i] = (double)i * 0.5;
  }
  for (i = 0; i < 5000; i++)
    ck_assert_double_eq(v[i], (double)i * 0.5);
  /* no change when the room is there */
  old = cap;
  p = v;
  ck_assert_int_eq(tl_array_reserve((void **)&v, &cap, 10, sizeof *v), TL_OK);
  ck_assert_uint_eq(cap, old);
  ck_assert_ptr_eq(v, p);
  /* sizes whose bytes exceed PTRDIFF_MAX fail and change nothing */
  ck_assert_int_eq(tl_array_reserve((void **)&v, &cap, SIZE_MAX / sizeof *v + 1, sizeof *v),
                   TL_ERR_NOMEM);
  ck_assert_int_eq(tl_array_reserve((void **)&v, &cap, SIZE_MAX, sizeof *v), TL_ERR_NOMEM);
  ck_assert_int_eq(tl_array_reserve((void **)&v, &cap, SIZE_MAX / 2 + 1, 2), TL_ERR_NOMEM);
  ck_assert_uint_eq(cap, old);
  ck_assert_ptr_eq(v, p);
  ck_assert_double_eq(v[4999], 4999 * 0.5);
  free(v);
}
END_TEST

START_TEST(test_set_basic) {
  tl_strset *s;
  size_t id = 99, len;
  int added = -1;
  const char *k;
  ck_assert_int_eq(tl_strset_create(&s), TL_OK);
  ck_assert_uint_eq(tl_strset_count(s), 0);
  ck_assert_int_eq(tl_strset_has(s, "a", 1, &id), 0);
  ck_assert_uint_eq(id, 99);
  ck_assert_int_eq(tl_strset_add(s, "ab\0cd", 5, &id, &added), TL_OK);
  ck_assert_int_eq(added, 1);
  ck_assert_uint_eq(id, 0);
  /* keys that differ only after or at a NUL are different keys */
  ck_assert_int_eq(tl_strset_has(s, "ab", 2, NULL), 0);
  ck_assert_int_eq(tl_strset_has(s, "ab\0ce", 5, NULL), 0);
  ck_assert_int_eq(tl_strset_has(s, "ab\0cd", 5, &id), 1);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(tl_strset_add(s, "ab", 2, &id, &added), TL_OK);
  ck_assert_int_eq(added, 1);
  ck_assert_uint_eq(id, 1);
  ck_assert_int_eq(tl_strset_add(s, "", 0, &id, &added), TL_OK);
  ck_assert_int_eq(added, 1);
  ck_assert_uint_eq(id, 2);
  ck_assert_int_eq(tl_strset_has(s, NULL, 0, &id), 1);
  ck_assert_uint_eq(id, 2);
  /* duplicates keep their first id */
  ck_assert_int_eq(tl_strset_add(s, "ab\0cd", 5, &id, &added), TL_OK);
  ck_assert_int_eq(added, 0);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(tl_strset_add(s, "ab", 2, NULL, NULL), TL_OK);
  ck_assert_uint_eq(tl_strset_count(s), 3);
  k = tl_strset_key(s, 0, &len);
  ck_assert_uint_eq(len, 5);
  ck_assert_int_eq(memcmp(k, "ab\0cd", 6), 0);
  k = tl_strset_key(s, 1, &len);
  ck_assert_uint_eq(len, 2);
  ck_assert_str_eq(k, "ab");
  ck_assert_str_eq(tl_strset_key(s, 2, NULL), "");
  tl_strset_free(s);
  tl_strset_free(NULL);
}
END_TEST

#define MANY 100000

START_TEST(test_set_many) {
  tl_strset *s;
  char key[32];
  const char *first;
  size_t i, id;
  int added;
  ck_assert_int_eq(tl_strset_create(&s), TL_OK);
  for (i = 0; i < MANY; i++) {
    int n = snprintf(key, sizeof key, "kata%zu", i * 7919);
    ck_assert_int_eq(tl_strset_add(s, key, (size_t)n, &id, &added), TL_OK);
    ck_assert_int_eq(added, 1);
    ck_assert_uint_eq(id, i);
  }
  first = tl_strset_key(s, 0, NULL);
  ck_assert_uint_eq(tl_strset_count(s), MANY);
  for (i = 0; i < MANY; i++) {
    int n = snprintf(key, sizeof key, "kata%zu", i * 7919);
    ck_assert_int_eq(tl_strset_has(s, key, (size_t)n, &id), 1);
    ck_assert_uint_eq(id, i);
    ck_assert_str_eq(tl_strset_key(s, i, NULL), key);
    /* a prefix of a key is not a key unless it was added */
    if (i * 7919 >= 10)
      ck_assert_int_eq(tl_strset_has(s, key, (size_t)n - 1, NULL), (i * 7919) / 10 % 7919 == 0);
  }
  ck_assert_int_eq(tl_strset_has(s, "kata1", 5, NULL), 0);
  ck_assert_int_eq(tl_strset_has(s, "kata7918", 8, NULL), 0);
  /* keys do not move while the set grows */
  ck_assert_str_eq(first, "kata0");
  for (i = 0; i < MANY; i += 1000) {
    int n = snprintf(key, sizeof key, "kata%zu", i * 7919);
    ck_assert_int_eq(tl_strset_add(s, key, (size_t)n, &id, &added), TL_OK);
    ck_assert_int_eq(added, 0);
    ck_assert_uint_eq(id, i);
  }
  ck_assert_uint_eq(tl_strset_count(s), MANY);
  tl_strset_free(s);
}
END_TEST

START_TEST(test_set_long_keys) {
  tl_strset *s;
  char *big = malloc(200000);
  size_t id, len;
  ck_assert_ptr_nonnull(big);
  memset(big, 'x', 200000);
  ck_assert_int_eq(tl_strset_create(&s), TL_OK);
  ck_assert_int_eq(tl_strset_add(s, big, 200000, &id, NULL), TL_OK);
  ck_assert_int_eq(tl_strset_add(s, big, 199999, NULL, NULL), TL_OK);
  ck_assert_int_eq(tl_strset_has(s, big, 200000, &id), 1);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(tl_strset_has(s, big, 199999, &id), 1);
  ck_assert_uint_eq(id, 1);
  ck_assert_int_eq(tl_strset_has(s, big, 199998, NULL), 0);
  ck_assert_int_eq(memcmp(tl_strset_key(s, 0, &len), big, 200000), 0);
  ck_assert_uint_eq(len, 200000);
  tl_strset_free(s);
  free(big);
}
END_TEST

START_TEST(test_set_clear) {
  tl_strset *s;
  char key[16];
  size_t i, id;
  int added;
  ck_assert_int_eq(tl_strset_create(&s), TL_OK);
  for (i = 0; i < 1000; i++) {
    int n = snprintf(key, sizeof key, "w%zu", i);
    ck_assert_int_eq(tl_strset_add(s, key, (size_t)n, NULL, NULL), TL_OK);
  }
  tl_strset_clear(s);
  ck_assert_uint_eq(tl_strset_count(s), 0);
  ck_assert_int_eq(tl_strset_has(s, "w0", 2, NULL), 0);
  ck_assert_int_eq(tl_strset_has(s, "w999", 4, NULL), 0);
  ck_assert_int_eq(tl_strset_add(s, "w5", 2, &id, &added), TL_OK);
  ck_assert_int_eq(added, 1);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(tl_strset_has(s, "w5", 2, &id), 1);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(tl_strset_has(s, "w6", 2, NULL), 0);
  ck_assert_uint_eq(tl_strset_count(s), 1);
  tl_strset_free(s);
}
END_TEST

/* Builds the suite. */
static Suite *util_suite(void) {
  Suite *s = suite_create("util");
  TCase *tc = tcase_create("util");
  tcase_add_test(tc, test_buf_growth);
  tcase_add_test(tc, test_buf_printf);
  tcase_add_test(tc, test_buf_take);
  tcase_add_test(tc, test_buf_overflow);
  tcase_add_test(tc, test_array_reserve);
  tcase_add_test(tc, test_set_basic);
  tcase_add_test(tc, test_set_many);
  tcase_add_test(tc, test_set_long_keys);
  tcase_add_test(tc, test_set_clear);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(util_suite());
}
