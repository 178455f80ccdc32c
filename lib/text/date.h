/*
 * date.h - article dates: text to seconds since the epoch (UTC) and back.
 *
 * Understood forms:
 *  - ISO 8601: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS[.fff...]]" with "Z",
 *    "+HH:MM", "+HHMM", "+HH" (or "-") or no zone (UTC); a space may stand
 *    for the "T". Fractions of a second are dropped.
 *  - RFC 2822 (RSS, e-mail): "[Tue, ]21 Oct 2025 20:43[:00] +0700", the
 *    zone numeric or named: UT, GMT, UTC, Z, WIB (+0700), WITA (+0800),
 *    WIT (+0900) and the US zones of RFC 2822 section 4.3 (EST, EDT, CST,
 *    CDT, MST, MDT, PST, PDT). Month and day names in English, any case;
 *    a two-digit year is 19YY from 50 on, else 20YY (RFC 2822 section 4.3).
 *  - a strptime(3) format given by the caller (e.g. "%m/%d/%Y %H:%M"),
 *    read in the C locale's names; without %z the time is UTC.
 * Leading and trailing white space is ignored. Conversion to UTC uses
 * timegm(3), which follows the proleptic Gregorian calendar.
 */
#ifndef TELUSUR_DATE_H
#define TELUSUR_DATE_H

#include "telusur/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A point in time, to the second. */
typedef struct tl_date {
  int64_t seconds; /**< seconds since 1970-01-01T00:00:00Z, leap seconds not
                        counted (POSIX time) */
  int date_only;   /**< 1 when the text gave a day and no time of day: seconds
                        is that day's 00:00:00 UTC */
} tl_date;

/** Bytes tl_date_format() needs, the NUL included. */
#define TL_DATE_TEXT_MAX 32

/**
 * Parses text (NUL-terminated) into *out. format: a strptime(3) format
 * tried first, or NULL; then ISO 8601, then RFC 2822 are tried. Years 1 to
 * 9999 only. Returns TL_OK, or TL_ERR_FORMAT (no form matched the whole
 * text, or a field is out of range such as month 13, hour 24, day 31 of
 * April) with a one-line message in err quoting the text (at most its first
 * 64 bytes); *out is then unchanged.
 */
int tl_date_parse(const char *text, const char *format, tl_date *out, tl_error *err);

/**
 * Writes d as ISO 8601 in UTC into buf (cap bytes, at least
 * TL_DATE_TEXT_MAX): "2025-10-21T13:43:00Z", or "2025-10-21" when
 * d->date_only. Returns the length written (NUL excluded), or 0 when cap is
 * too small or the year is outside 1 to 9999 (buf then holds "").
 */
size_t tl_date_format(const tl_date *d, char *buf, size_t cap);

/**
 * Reads len bytes at text as a day, a month or a year of a date range,
 * "YYYY-MM-DD", "YYYY-MM" or "YYYY" (UTC), into *out: its first second
 * (POSIX time) when end is 0, its last second when end is 1 (so that
 * "2025-10" as an end means through October 31, 23:59:59). Returns TL_OK,
 * or TL_ERR_USAGE (another form, or a day that does not exist) with a
 * one-line message quoting the text.
 */
int tl_date_bound(const char *text, size_t len, int end, int64_t *out, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
