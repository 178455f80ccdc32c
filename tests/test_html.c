/*
 * test_html.c - Check suite for lib/text/html.[ch]: a news page with
 * navigation, scripts, styles and a footer whose words must not reach the
 * text; the title, date, canonical url and site name from their sources in
 * order of preference; headings that the passage splitter takes as headings.
 */
#include "testutil.h"
#include "text/html.h"
#include "text/passage.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* A page as a news site serves it. */
static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"id\"><head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>Judul Dari Tag Title | Situs</title>\n"
    "<meta property=\"og:title\" content=\"Banjir  Rendam\n Jakarta\">\n"
    "<meta property=\"og:site_name\" content=\"Kabar Kita\">\n"
    "<link rel=\"stylesheet\" href=\"/gaya.css\">\n"
    "<link rel=\"canonical\" href=\"https://www.kabar.example/berita/banjir\">\n"
    "<style>p { color: red } .IKLANGAYA {}</style>\n"
    "<script>var IKLANSKRIP = '<p>bukan teks</p>';</script>\n"
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
    "{\"@type\":\"WebSite\",\"name\":\"Kabar\"},"
    "{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-10-21T20:43:00+07:00\"}]}</script>\n"
    "</head><body>\n"
    "<header><p>KEPALAHALAMAN menu</p></header>\n"
    "<nav><ul><li>NAVIGASI Beranda</li><li>Nasional</li></ul></nav>\n"
    "<p>Teks LUARARTIKEL di body.</p>\n"
    "<article>\n"
    "  <h1>Banjir Rendam Jakarta</h1>\n"
    "  <p>Hujan deras sejak pagi\n   merendam <b>ratusan</b> rumah&nbsp;warga.</p>\n"
    "  <aside><p>BACAJUGA artikel lain</p></aside>\n"
    "  <h2>Pengungsian</h2>\n"
    "  <p>Warga mengungsi ke masjid.<script>IKLANDALAM()</script></p>\n"
    "  <ul><li>Kampung Melayu</li><li><p>Bidara Cina</p></li></ul>\n"
    "  <blockquote>Kami butuh bantuan.</blockquote>\n"
    "  <div>Teks DIVLEPAS tanpa paragraf.</div>\n"
    "  <form><p>FORMULIR komentar</p></form>\n"
    "  <noscript><p>TANPASKRIP</p></noscript>\n"
    "  <time datetime=\"2020-01-01\">dulu</time>\n"
    "</article>\n"
    "<footer><p>KAKIHALAMAN hak cipta</p></footer>\n"
    "</body></html>\n";

static const char want_text[] = "Banjir Rendam Jakarta\n\n"
                                "Hujan deras sejak pagi merendam ratusan rumah warga.\n\n"
                                "Pengungsian\n\n"
                                "Warga mengungsi ke masjid.\n\n"
                                "\xE2\x80\xA2 Kampung Melayu\n"
                                "\xE2\x80\xA2 Bidara Cina\n\n"
                                "Kami butuh bantuan.";

START_TEST(test_page) {
  static const char *const hidden[] = {"IKLANGAYA",   "IKLANSKRIP", "KEPALAHALAMAN", "NAVIGASI",
                                       "LUARARTIKEL", "BACAJUGA",   "IKLANDALAM",    "DIVLEPAS",
                                       "FORMULIR",    "TANPASKRIP", "KAKIHALAMAN",   "dulu"};
  tl_html_page p;
  tl_error err;
  size_t i;
  ck_assert_int_eq(tl_html_extract(page, sizeof page - 1, &p, &err), TL_OK);
  ck_assert_str_eq(p.title, "Banjir Rendam Jakarta");
  ck_assert_str_eq(p.text, want_text);
  ck_assert_uint_eq(p.text_len, strlen(want_text));
  for (i = 0; i < sizeof hidden / sizeof *hidden; i++)
    ck_assert_msg(!strstr(p.text, hidden[i]), "'%s' in the text", hidden[i]);
  /* JSON-LD wins over <time> */
  ck_assert_str_eq(p.date, "2025-10-21T20:43:00+07:00");
  ck_assert_str_eq(p.url, "https://www.kabar.example/berita/banjir");
  ck_assert_str_eq(p.source, "Kabar Kita");
  tl_html_page_free(&p);
  ck_assert_ptr_null(p.text);
  tl_html_page_free(NULL);
}
END_TEST

/* The headings come out as passages' headings. */
START_TEST(test_headings_as_passages) {
  tl_html_page p;
  tl_passage_list list;
  tl_error err;
  size_t i;
  int h1 = 0, h2 = 0;
  ck_assert_int_eq(tl_html_extract(page, sizeof page - 1, &p, &err), TL_OK);
  memset(&list, 0, sizeof list);
  ck_assert_int_eq(tl_passages_split(p.text, p.text_len, &list, &err), TL_OK);
  for (i = 0; i < list.count; i++) {
    const tl_passage *ps = &list.items[i];
    if (ps->heading_end > ps->heading_start) {
      const char *h = p.text + ps->heading_start;
      size_t n = ps->heading_end - ps->heading_start;
      int is1 = n == 21 && memcmp(h, "Banjir Rendam Jakarta", n) == 0;
      int is2 = n == 11 && memcmp(h, "Pengungsian", n) == 0;
      ck_assert_msg(is1 || is2, "heading '%.*s'", (int)n, h);
      h1 += is1;
      h2 += is2;
    } else {
      ck_assert_uint_eq(i, 0); /* only a passage before any heading has none */
    }
  }
  /* the paragraph under each heading, and the bullets and quote under the second */
  ck_assert_int_eq(h1, 1);
  ck_assert_int_ge(h2, 1);
  tl_passage_list_free(&list);
  tl_html_page_free(&p);
}
END_TEST

/* Without og:title, <title>; without an <article>, <main>, then <body>;
 * the date from the published-time meta, else the first <time>. */
START_TEST(test_fallbacks) {
  static const char main_page[] =
      "<html><head><title>\n  Judul   Biasa </title><meta property=\"og:title\" content=\"\">"
      "<meta property=\"article:published_time\" content=\"2025-10-21\">"
      "<script type=\"application/ld+json\">[{\"datePublished\":\"2001-01-01\"}]</script>"
      "</head><body><p>DILUAR main</p><main><p>Di dalam main.</p></main>"
      "<time datetime=\"1999-01-01\"></time></body></html>";
  static const char body_page[] = "<p>Satu.</p><p>  </p><h3>Dua</h3><time datetime=\"2024-05-06\">";
  static const char bad_ld[] = "<script type=\"application/ld+json\">{oops</script>"
                               "<link rel=\"Canonical\" href=\"/a\"><li>Butir</li>";
  tl_html_page p;
  tl_error err;
  ck_assert_int_eq(tl_html_extract(main_page, sizeof main_page - 1, &p, &err), TL_OK);
  ck_assert_str_eq(p.title, "Judul Biasa");
  ck_assert_str_eq(p.text, "Di dalam main.");
  ck_assert_str_eq(p.date, "2025-10-21");
  ck_assert_str_eq(p.url, "");
  ck_assert_str_eq(p.source, "");
  tl_html_page_free(&p);

  ck_assert_int_eq(tl_html_extract(body_page, sizeof body_page - 1, &p, &err), TL_OK);
  ck_assert_str_eq(p.title, "");
  ck_assert_str_eq(p.text, "Satu.\n\nDua");
  ck_assert_str_eq(p.date, "2024-05-06");
  tl_html_page_free(&p);

  /* malformed JSON-LD is passed over */
  ck_assert_int_eq(tl_html_extract(bad_ld, sizeof bad_ld - 1, &p, &err), TL_OK);
  ck_assert_str_eq(p.text, "\xE2\x80\xA2 Butir");
  ck_assert_str_eq(p.date, "");
  ck_assert_str_eq(p.url, "/a");
  tl_html_page_free(&p);

  /* nothing at all */
  ck_assert_int_eq(tl_html_extract("", 0, &p, &err), TL_OK);
  ck_assert_str_eq(p.title, "");
  ck_assert_str_eq(p.text, "");
  ck_assert_uint_eq(p.text_len, 0);
  tl_html_page_free(&p);
}
END_TEST

/* Nesting deeper than the walk goes does not crash; what is shallow stays. */
START_TEST(test_deep_nesting) {
  enum { DEPTH = 5000 };
  static char html[DEPTH * 5 + 64];
  tl_html_page p;
  tl_error err;
  size_t n = 0, i;
  n += (size_t)snprintf(html + n, sizeof html - n, "<p>Atas.</p>");
  for (i = 0; i < DEPTH; i++)
    n += (size_t)snprintf(html + n, sizeof html - n, "<div>");
  n += (size_t)snprintf(html + n, sizeof html - n, "<p>Dalam.</p>");
  ck_assert_int_eq(tl_html_extract(html, n, &p, &err), TL_OK);
  ck_assert_str_eq(p.text, "Atas.");
  tl_html_page_free(&p);
}
END_TEST

/* Deeper than TL_HTML_MAX_NESTING: refused before parsing (the parser's
 * time grows with the square of the depth), counted much as the parser nests
 * elements; what never encloses what follows it is not counted. */
START_TEST(test_nesting_limit) {
  static char html[1 << 22];
  static const char *const deep[] = {"<DIV class=\"x\">", /* plain nesting */
                                     "<div><p>x</p>",     /* an end tag of an element not counted */
                                     "<div></b>", /* an end tag with nothing open of its name */
                                     "<div/>",    /* no self-closing in HTML content */
                                     "<div title=\"a>b\">"}; /* a '>' in a quoted value */
  static const char *const flat[] = {
      "<p>kata<li>x<br><img src=a><svg><path d=m/></svg><span>s</span>", /* closed, void,
                                                                            optional end,
                                                                            foreign */
      "<!-- <div> --><script>var d = \"<div><b>\";</script><style>/* <div> */</style>",
      "<a href=x>y<h3>z<form>",                          /* never opened inside their own kind */
      "<a title=\"<div><div>\">x</a>",                   /* markup in a quoted value */
      "<textarea><div></textarea><title><div></title>"}; /* raw text */
  tl_html_page p;
  tl_error err;
  size_t n, i, k;
  for (k = 0; k < sizeof deep / sizeof *deep; k++) {
    /* also after a self-closed raw text element in SVG, which holds no raw text */
    n = k == 0 ? 0 : (size_t)snprintf(html, sizeof html, "<svg><script/></svg>");
    for (i = 0; i <= TL_HTML_MAX_NESTING; i++)
      n += (size_t)snprintf(html + n, sizeof html - n, "%s", deep[k]);
    ck_assert_msg(tl_html_extract(html, n, &p, &err) == TL_ERR_LIMIT, "%s", deep[k]);
    ck_assert_str_eq(err.msg, "elements nested deeper than 5000");
  }
  for (k = 0; k < sizeof flat / sizeof *flat; k++) {
    n = (size_t)snprintf(html, sizeof html, "<html><body><p>kata</p>");
    for (i = 0; i <= TL_HTML_MAX_NESTING; i++)
      n += (size_t)snprintf(html + n, sizeof html - n, "%s", flat[k]);
    n += (size_t)snprintf(html + n, sizeof html - n, "</body></html>");
    ck_assert_msg(tl_html_extract(html, n, &p, &err) == TL_OK, "%s: %s", flat[k], err.msg);
    ck_assert_ptr_nonnull(strstr(p.text, "kata"));
    tl_html_page_free(&p);
  }
  /* the rest of a page after <plaintext> is text */
  n = (size_t)snprintf(html, sizeof html, "<p>kata</p><plaintext>");
  for (i = 0; i <= TL_HTML_MAX_NESTING; i++)
    n += (size_t)snprintf(html + n, sizeof html - n, "<div>");
  ck_assert_int_eq(tl_html_extract(html, n, &p, &err), TL_OK);
  tl_html_page_free(&p);
}
END_TEST

static Suite *html_suite(void) {
  Suite *s = suite_create("html");
  TCase *tc = tcase_create("html");
  tcase_add_test(tc, test_page);
  tcase_add_test(tc, test_headings_as_passages);
  tcase_add_test(tc, test_fallbacks);
  tcase_add_test(tc, test_deep_nesting);
  tcase_add_test(tc, test_nesting_limit);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(html_suite());
}
