/* date.c - ISO 8601, RFC 2822 and strptime dates to POSIX time (UTC). */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* strptime */
#endif
#include "text/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A broken-down time as read, before the zone is applied. */
typedef struct parts {
  int year, month, day, hour, minute, second;
  int offset; /* seconds east of UTC */
  int date_only;
} parts;

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *skip_space(const char *p) {
  while (is_space(*p))
    p++;
  return p;
}

/* Reads exactly n digits into *v; advances *p. Returns 1 on success. */
static int digits(const char **p, int n, int *v) {
  int i, x = 0;
  for (i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i]))
      return 0;
    x = x * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *v = x;
  return 1;
}

/* Reads a numeric zone: "+HH", "+HHMM" or "+HH:MM" (or "-"). */
static int numeric_zone(const char **p, int *offset) {
  const char *q = *p;
  int sign, h, m = 0;
  if (*q != '+' && *q != '-')
    return 0;
  sign = *q++ == '-' ? -1 : 1;
  if (!digits(&q, 2, &h))
    return 0;
  if (*q == ':')
    q++;
  if (isdigit((unsigned char)*q) && !digits(&q, 2, &m))
    return 0;
  if (h > 23 || m > 59)
    return 0;
  *offset = sign * (h * 3600 + m * 60);
  *p = q;
  return 1;
}

/* ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.f+]][Z|zone]]. */
static int parse_iso(const char *p, parts *t) {
  memset(t, 0, sizeof *t);
  if (!digits(&p, 4, &t->year) || *p++ != '-' || !digits(&p, 2, &t->month) || *p++ != '-' ||
      !digits(&p, 2, &t->day))
    return 0;
  if (*skip_space(p) == '\0') {
    t->date_only = 1;
    return 1;
  }
  if (*p != 'T' && *p != 't' && *p != ' ')
    return 0;
  p++;
  if (!digits(&p, 2, &t->hour) || *p++ != ':' || !digits(&p, 2, &t->minute))
    return 0;
  if (*p == ':') {
    p++;
    if (!digits(&p, 2, &t->second))
      return 0;
    if (*p == '.' || *p == ',') {
      p++;
      if (!isdigit((unsigned char)*p))
        return 0;
      while (isdigit((unsigned char)*p))
        p++;
    }
  }
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-') {
    if (!numeric_zone(&p, &t->offset))
      return 0;
  }
  return *skip_space(p) == '\0';
}

/* RFC 2822 section 3.3 and 4.3: [day-name ","] D Mon YYYY HH:MM[:SS] [zone]. */
static int parse_rfc2822(const char *p, parts *t) {
  static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const struct {
    const char *name;
    int hours;
  } zones[] = {{"UT", 0},   {"GMT", 0},  {"UTC", 0},  {"Z", 0},    {"WIB", 7},
               {"WITA", 8}, {"WIT", 9},  {"EST", -5}, {"EDT", -4}, {"CST", -6},
               {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
  size_t i, n;
  memset(t, 0, sizeof *t);
  for (i = 0; i < 7; i++)
    if (strncasecmp(p, days[i], 3) == 0) {
      p += 3;
      p = skip_space(p);
      if (*p++ != ',')
        return 0;
      p = skip_space(p);
      break;
    }
  if (!isdigit((unsigned char)*p))
    return 0;
  if (!digits(&p, isdigit((unsigned char)p[1]) ? 2 : 1, &t->day) || !is_space(*p))
    return 0;
  p = skip_space(p);
  for (i = 0; i < 12; i++)
    if (strncasecmp(p, months[i], 3) == 0)
      break;
  if (i == 12)
    return 0;
  t->month = (int)i + 1;
  p += 3;
  if (!is_space(*p))
    return 0;
  p = skip_space(p);
  if (digits(&p, 4, &t->year)) {
    if (isdigit((unsigned char)*p))
      return 0;
  } else if (digits(&p, 2, &t->year)) {
    t->year += t->year >= 50 ? 1900 : 2000;
  } else {
    return 0;
  }
  if (!is_space(*p))
    return 0;
  p = skip_space(p);
  if (!digits(&p, 2, &t->hour) || *p++ != ':' || !digits(&p, 2, &t->minute))
    return 0;
  if (*p == ':') {
    p++;
    if (!digits(&p, 2, &t->second))
      return 0;
  }
  p = skip_space(p);
  if (*p == '+' || *p == '-') {
    if (!numeric_zone(&p, &t->offset))
      return 0;
  } else if (*p) {
    for (n = 0; (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z'); n++)
      ;
    for (i = 0; i < sizeof zones / sizeof *zones; i++)
      if (strlen(zones[i].name) == n && strncasecmp(p, zones[i].name, n) == 0)
        break;
    if (n == 0 || i == sizeof zones / sizeof *zones)
      return 0;
    t->offset = zones[i].hours * 3600;
    p += n;
  }
  return *skip_space(p) == '\0';
}

/* Whether a strptime format reads a time of day. */
static int format_has_time(const char *format) {
  const char *p;
  for (p = format; (p = strchr(p, '%')) != NULL; p++) {
    p++;
    while (*p == 'E' || *p == 'O')
      p++;
    if (*p && strchr("HIMSTRrcskl", *p))
      return 1;
    if (!*p)
      break;
  }
  return 0;
}

static int parse_format(const char *text, const char *format, parts *t) {
  struct tm tm;
  const char *end;
  memset(&tm, 0, sizeof tm);
  memset(t, 0, sizeof *t);
  tm.tm_mday = 1;
  end = strptime(text, format, &tm);
  if (!end || *skip_space(end) != '\0')
    return 0;
  t->year = tm.tm_year + 1900;
  t->month = tm.tm_mon + 1;
  t->day = tm.tm_mday;
  t->hour = tm.tm_hour;
  t->minute = tm.tm_min;
  t->second = tm.tm_sec;
  t->offset = (int)tm.tm_gmtoff; /* set by %z, else 0 */
  t->date_only = !format_has_time(format);
  return 1;
}

/* Checks the ranges and converts to POSIX time; 1 on success. */
static int to_seconds(const parts *t, int64_t *out) {
  struct tm tm, back;
  time_t day;
  if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 ||
      t->hour > 23 || t->minute > 59 || t->second > 60)
    return 0;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = t->year - 1900;
  tm.tm_mon = t->month - 1;
  tm.tm_mday = t->day;
  /* timegm normalises day 31 of April to May 1: a day that does not come
   * back unchanged does not exist */
  day = timegm(&tm);
  if (!gmtime_r(&day, &back) || back.tm_mday != t->day || back.tm_mon != t->month - 1)
    return 0;
  *out = (int64_t)day + (int64_t)t->hour * 3600 + t->minute * 60 + t->second - t->offset;
  return 1;
}

int tl_date_parse(const char *text, const char *format, tl_date *out, tl_error *err) {
  const char *p = skip_space(text);
  parts t;
  int64_t s;
  if ((format && *format && parse_format(p, format, &t) && to_seconds(&t, &s)) ||
      (parse_iso(p, &t) && to_seconds(&t, &s)) || (parse_rfc2822(p, &t) && to_seconds(&t, &s))) {
    out->seconds = s;
    out->date_only = t.date_only;
    return TL_OK;
  }
  return tl_error_set(err, TL_ERR_FORMAT, "date \"%.64s%s\" not understood", text,
                      strlen(text) > 64 ? "..." : "");
}

size_t tl_date_format(const tl_date *d, char *buf, size_t cap) {
  struct tm tm;
  time_t t = (time_t)d->seconds;
  int n;
  if (cap > 0)
    buf[0] = '\0';
  if (cap < TL_DATE_TEXT_MAX || !gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1 ||
      tm.tm_year + 1900 > 9999)
    return 0;
  if (d->date_only)
    n = snprintf(buf, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  else
    n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return n > 0 ? (size_t)n : 0;
}

int tl_date_bound(const char *text, size_t len, int end, int64_t *out, tl_error *err) {
  const char *p = text;
  parts t;
  int64_t s;
  memset(&t, 0, sizeof t);
  t.month = t.day = 1;
  int ok = len >= 4 && digits(&p, 4, &t.year);
  if (ok && len > 4)
    ok = len >= 7 && *p++ == '-' && digits(&p, 2, &t.month);
  if (ok && len > 7)
    ok = len == 10 && *p++ == '-' && digits(&p, 2, &t.day);
  if (ok && (size_t)(p - text) == len && to_seconds(&t, &s)) {
    if (end) { /* the last second of the year, month or day */
      struct tm tm;
      time_t next;
      memset(&tm, 0, sizeof tm);
      tm.tm_year = t.year - 1900 + (len == 4);
      tm.tm_mon = t.month - 1 + (len == 7);
      tm.tm_mday = t.day + (len == 10);
      next = timegm(&tm);
      s = (int64_t)next - 1;
    }
    *out = s;
    return TL_OK;
  }
  return tl_error_set(err, TL_ERR_USAGE,
                      "date '%.*s' not understood: give YYYY, YYYY-MM or YYYY-MM-DD",
                      len > 64 ? 64 : (int)len, text);
}
