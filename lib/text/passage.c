/* passage.c - paragraphs, headings, bullet runs and long-paragraph splits. */
#include "text/passage.h"

#include "util/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

enum line_kind { LINE_BLANK, LINE_TEXT, LINE_HEADING, LINE_BULLET };

typedef struct line {
  size_t start, end; /* trimmed content */
  int indented;      /* blank space before the content */
  enum line_kind kind;
} line;

enum para_kind { PARA_TEXT, PARA_HEADING, PARA_BULLETS };

typedef struct para {
  size_t start, end;
  enum para_kind kind;
} para;

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a bullet marker (with its space) at s, or 0. */
static size_t bullet_len(const char *s, size_t n) {
  static const char *const marks[] = {
      "\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xC2\xB7", "-", "*", "+"};
  size_t i;
  for (i = 0; i < sizeof marks / sizeof *marks; i++) {
    size_t m = strlen(marks[i]);
    if (n > m && memcmp(s, marks[i], m) == 0 && (s[m] == ' ' || s[m] == '\t'))
      return m + 1;
    if (n == m && memcmp(s, marks[i], m) == 0 && m > 1)
      return m;
  }
  return 0;
}

static size_t count_words(const char *s, size_t n) {
  size_t i, words = 0;
  int in = 0;
  for (i = 0; i < n; i++) {
    int sp = is_space(s[i]) || s[i] == '\n';
    if (!sp && !in)
      words++;
    in = !sp;
  }
  return words;
}

/* Whether the last character of s[0..n) ends a sentence or clause. */
static int ends_sentence(const char *s, size_t n) {
  unsigned char c;
  while (n > 0) {
    c = (unsigned char)s[n - 1];
    /* Closing quotes and brackets: look at what they close. */
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      n--;
      continue;
    }
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
        ((unsigned char)s[n - 1] == 0x9D || (unsigned char)s[n - 1] == 0x99)) {
      n -= 3; /* ” or ’ */
      continue;
    }
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
        (unsigned char)s[n - 1] == 0xA6)
      return 1; /* … */
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ',';
  }
  return 0;
}

/* Whether a line opens with a capital letter or a digit. */
static int starts_capital(const char *s, size_t n) {
  int32_t i = 0;
  UChar32 c;
  if (n == 0)
    return 0;
  U8_NEXT((const uint8_t *)s, i, (int32_t)(n < 8 ? n : 8), c);
  return c >= 0 && (u_isupper(c) || u_istitle(c) || u_isdigit(c));
}

static int push(tl_passage_list *list, size_t start, size_t end, size_t hs, size_t he) {
  tl_passage *p;
  if (tl_array_reserve((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items) !=
      TL_OK)
    return TL_ERR_NOMEM;
  p = &list->items[list->count++];
  p->ordinal = list->count;
  p->start = start;
  p->end = end;
  p->heading_start = hs;
  p->heading_end = he;
  return TL_OK;
}

/* Paragraphs longer than this many bytes are split a window at a time. */
#define SPLIT_WINDOW ((size_t)64 << 10)

/* Splits the paragraph text[start..end) at sentence boundaries into parts
 * of at most about TL_PASSAGE_MAX_WORDS words. */
static int push_split(const char *text, size_t start, size_t end, size_t hs, size_t he,
                      tl_passage_list *list, tl_error *err) {
  size_t words = count_words(text + start, end - start);
  size_t parts, target, n16 = 0, i, part_start, part_words = 0;
  UChar *u16 = NULL;
  size_t *off = NULL;
  UBreakIterator *bi = NULL;
  UErrorCode status = U_ZERO_ERROR;
  int32_t b, prev;
  int rc = TL_OK;

  if (end - start > SPLIT_WINDOW) {
    /* A huge paragraph is split window by window, each cut at blank space
     * (else at a character boundary), so that memory stays bounded (the
     * UTF-16 copy and offsets take 10 bytes per byte of text) and no
     * passage, even one without sentence ends, outgrows a window. */
    while (start < end) {
      size_t cut = end, e;
      if (end - start > SPLIT_WINDOW) {
        cut = start + SPLIT_WINDOW;
        while (cut > start + SPLIT_WINDOW / 2 && !is_space(text[cut - 1]) && text[cut - 1] != '\n')
          cut--;
        if (cut == start + SPLIT_WINDOW / 2)
          for (cut = start + SPLIT_WINDOW; ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
            ;
      }
      for (e = cut; e > start && (is_space(text[e - 1]) || text[e - 1] == '\n'); e--)
        ;
      if ((rc = push_split(text, start, e, hs, he, list, err)) != TL_OK)
        return rc;
      for (start = cut; start < end && (is_space(text[start]) || text[start] == '\n'); start++)
        ;
    }
    return TL_OK;
  }
  if (words <= TL_PASSAGE_MAX_WORDS || end - start > INT32_MAX / 2)
    return push(list, start, end, hs, he) == TL_OK
               ? TL_OK
               : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  parts = (words + TL_PASSAGE_MAX_WORDS - 1) / TL_PASSAGE_MAX_WORDS;
  target = (words + parts - 1) / parts;
  u16 = malloc((end - start + 1) * sizeof *u16);
  off = malloc((end - start + 2) * sizeof *off);
  if (!u16 || !off) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (i = start; i < end;) {
    int32_t k = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)text + i, k, (int32_t)(end - i < 4 ? end - i : 4), c);
    if (c < 0)
      c = 0xFFFD;
    else if (c == '\n' || c == '\r')
      c = ' '; /* a wrapped line end, not a paragraph separator for ICU */
    off[n16] = i;
    if (U16_LENGTH(c) == 2) {
      u16[n16++] = U16_LEAD(c);
      off[n16] = i;
      u16[n16++] = U16_TRAIL(c);
    } else {
      u16[n16++] = (UChar)c;
    }
    i += (size_t)k;
  }
  off[n16] = end;
  bi = ubrk_open(UBRK_SENTENCE, "id", u16, (int32_t)n16, &status);
  if (U_FAILURE(status)) {
    rc = tl_error_set(err, TL_ERR_ICU, "sentence break: %s", u_errorName(status));
    goto done;
  }
  part_start = start;
  prev = 0;
  for (b = ubrk_next(bi); b != UBRK_DONE; prev = b, b = ubrk_next(bi)) {
    size_t s0 = off[prev], s1 = off[b];
    size_t w = count_words(text + s0, s1 - s0);
    /* cut at the sentence boundary nearest to the target length */
    if (part_words > 0 && part_words + w / 2 > target) {
      size_t e = s0;
      while (e > part_start && (is_space(text[e - 1]) || text[e - 1] == '\n'))
        e--;
      if (push(list, part_start, e, hs, he) != TL_OK) {
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto done;
      }
      part_start = s0;
      part_words = 0;
    }
    part_words += w;
  }
  while (end > part_start && (is_space(text[end - 1]) || text[end - 1] == '\n'))
    end--;
  if (push(list, part_start, end, hs, he) != TL_OK)
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
done:
  if (bi)
    ubrk_close(bi);
  free(u16);
  free(off);
  return rc;
}

/* Splits text into classified lines. */
static int split_lines(const char *text, size_t len, line **out, size_t *count) {
  size_t i = 0, n = 0, cap = 0;
  line *lines = NULL;
  while (i < len) {
    size_t s = i, e, raw = i;
    while (i < len && text[i] != '\n')
      i++;
    e = i;
    if (i < len)
      i++;
    /* blank space and non-breaking spaces (C2 A0) at either end */
    for (;;) {
      if (s < e && is_space(text[s]))
        s++;
      else if (e - s >= 2 && (unsigned char)text[s] == 0xC2 && (unsigned char)text[s + 1] == 0xA0)
        s += 2;
      else
        break;
    }
    for (;;) {
      if (e > s && is_space(text[e - 1]))
        e--;
      else if (e - s >= 2 && (unsigned char)text[e - 2] == 0xC2 &&
               (unsigned char)text[e - 1] == 0xA0)
        e -= 2;
      else
        break;
    }
    if (tl_array_reserve((void **)&lines, &cap, n + 1, sizeof *lines) != TL_OK) {
      free(lines);
      return TL_ERR_NOMEM;
    }
    lines[n].start = s;
    lines[n].end = e;
    lines[n].indented = s > raw;
    lines[n].kind = s == e ? LINE_BLANK : bullet_len(text + s, e - s) ? LINE_BULLET : LINE_TEXT;
    n++;
  }
  *out = lines;
  *count = n;
  return TL_OK;
}

/* Whether the line's last word is a preposition or conjunction: such a
 * line is cut mid-sentence by wrapping, never a heading. */
static int ends_with_function_word(const char *text, const line *l) {
  static const char *const words[] = {"ke",    "di",     "dari", "dan",     "yang",    "untuk",
                                      "pada",  "dengan", "atau", "oleh",    "dalam",   "bagi",
                                      "serta", "bahwa",  "akan", "sebagai", "tentang", "para"};
  size_t e = l->end, s = e, i;
  while (s > l->start && !is_space(text[s - 1]))
    s--;
  for (i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == e - s && strncasecmp(text + s, words[i], e - s) == 0)
      return 1;
  return 0;
}

static int short_unpunctuated(const char *text, const line *l) {
  size_t n = l->end - l->start;
  return l->kind == LINE_TEXT && n <= 160 &&
         count_words(text + l->start, n) <= TL_HEADING_MAX_WORDS &&
         !ends_sentence(text + l->start, n) && !ends_with_function_word(text, l);
}

/* Marks heading lines: short, unpunctuated, and either alone between blank
 * lines or, between one-line paragraphs, starting with a capital. */
static void mark_headings(const char *text, line *lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    int blank_before = i == 0 || lines[i - 1].kind == LINE_BLANK;
    int blank_after = i + 1 == n || lines[i + 1].kind == LINE_BLANK;
    int prev_ends = i == 0 || lines[i - 1].kind != LINE_TEXT ||
                    ends_sentence(text + lines[i - 1].start, lines[i - 1].end - lines[i - 1].start);
    if (!short_unpunctuated(text, &lines[i]))
      continue;
    if ((blank_before && blank_after) ||
        (prev_ends && !blank_after && lines[i + 1].kind != LINE_BULLET &&
         starts_capital(text + lines[i].start, lines[i].end - lines[i].start) &&
         starts_capital(text + lines[i + 1].start, lines[i + 1].end - lines[i + 1].start)))
      lines[i].kind = LINE_HEADING;
  }
}

int tl_passages_split(const char *text, size_t len, tl_passage_list *list, tl_error *err) {
  line *lines = NULL;
  size_t nlines = 0, i;
  size_t hs = 0, he = 0;                   /* current section heading */
  size_t orphan_start = 0, orphan_end = 0; /* headings not yet used */
  int have_heading = 0, have_orphans = 0, heading_used = 0;
  int last_was_text = 0; /* the last passage is a paragraph that bullets may join */
  int rc = TL_OK;

  list->count = 0;
  if (split_lines(text, len, &lines, &nlines) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  mark_headings(text, lines, nlines);

  for (i = 0; i < nlines && rc == TL_OK;) {
    line *l = &lines[i];
    if (l->kind == LINE_BLANK) {
      i++;
      continue;
    }
    if (l->kind == LINE_HEADING) {
      if (have_heading && !heading_used) {
        /* the previous heading had no paragraph: keep its text */
        if (!have_orphans)
          orphan_start = hs;
        orphan_end = he;
        have_orphans = 1;
      }
      hs = l->start;
      he = l->end;
      have_heading = 1;
      heading_used = 0;
      last_was_text = 0;
      i++;
      continue;
    }
    if (have_orphans) {
      rc = push(list, orphan_start, orphan_end, 0, 0) == TL_OK
               ? TL_OK
               : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      have_orphans = 0;
      if (rc != TL_OK)
        break;
    }
    heading_used = 1;
    if (l->kind == LINE_BULLET) {
      /* a run of bullet items, with their wrapped continuation lines */
      size_t s = l->start, e = l->end;
      for (i++; i < nlines; i++) {
        /* an item, or wrapped item text indented under it */
        if (lines[i].kind == LINE_BULLET ||
            (lines[i].kind == LINE_TEXT && lines[i].indented && lines[i - 1].kind != LINE_BLANK &&
             !ends_sentence(text + lines[i - 1].start, lines[i - 1].end - lines[i - 1].start)))
          e = lines[i].end;
        else if (lines[i].kind == LINE_BLANK && i + 1 < nlines && lines[i + 1].kind == LINE_BULLET)
          continue;
        else
          break;
      }
      if (last_was_text && list->count > 0) {
        list->items[list->count - 1].end = e;
      } else if (push(list, s, e, have_heading ? hs : 0, have_heading ? he : 0) != TL_OK) {
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      }
      last_was_text = 0;
      continue;
    }
    /* a paragraph: this line and its wrapped continuation lines */
    {
      size_t s = l->start, e = l->end;
      for (i++; i < nlines && lines[i].kind == LINE_TEXT &&
                !ends_sentence(text + lines[i - 1].start, lines[i - 1].end - lines[i - 1].start);
           i++)
        e = lines[i].end;
      rc = push_split(text, s, e, have_heading ? hs : 0, have_heading ? he : 0, list, err);
      last_was_text = 1;
    }
  }
  if (rc == TL_OK && have_heading && !heading_used) {
    /* headings at the end with no paragraph below them */
    if (push(list, have_orphans ? orphan_start : hs, he, 0, 0) != TL_OK)
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  free(lines);
  return rc;
}

void tl_passage_list_free(tl_passage_list *list) {
  free(list->items);
  list->items = NULL;
  list->count = list->cap = 0;
}
