/* telusur-analyze: show how telusur analyzes text, term by term. */
#include "index/documents.h"
#include "telusur/analysis.h"
#include "telusur/error.h"
#include "util/buf.h"
#include "xapian/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: telusur-analyze [OPTION]... [TEXT]...\n"
    "       telusur-analyze --stem [OPTION]... < WORDS\n"
    "Show how telusur analyzes TEXT (or standard input when no TEXT is given):\n"
    "one line per indexed term, with the word's position, its byte range in the\n"
    "input (0-based, end exclusive), the text, the kind of term, the term, and\n"
    "flags. Kinds: word (the normalized form, indexed with its position), stem\n"
    "(indexed as Z+stem), joined (a hyphenated word or an open compound as one\n"
    "word), joined-stem.\n"
    "With --stem, read one word a line and print one stem a line, in order: the\n"
    "form the index uses for it (for a hyphenated word or an open compound, the\n"
    "stem of the whole).\n"
    "\n"
    "  -d, --db=DB          use the stemmer the index DB was built with\n"
    "      --stemmer=NAME   indonesian (default), snowball or none\n"
    "      --stem           one word a line in, one stem a line out\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit status: 0 success; 2 error (bad usage, unknown stemmer, missing\n"
    "lexicon, unreadable index).\n";

typedef struct show_ctx {
  const char *text;
} show_ctx;

static int show_term(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                     unsigned pos) {
  show_ctx *c = vctx;
  const char *kind = (flags & TL_TERM_JOINED) ? ((flags & TL_TERM_STEM) ? "joined-stem" : "joined")
                     : (flags & TL_TERM_STEM) ? "stem"
                                              : "word";
  printf("%u\t%zu-%zu\t%.*s\t%s\t%.*s", pos, start, end, (int)(end - start), c->text + start, kind,
         (int)len, term);
  if (flags & TL_TERM_ACRONYM)
    fputs("\tacronym", stdout);
  if (flags & TL_TERM_NUMBER)
    fputs("\tnumber", stdout);
  if (flags & TL_TERM_STOPWORD)
    fputs("\tstopword", stdout);
  if (flags & TL_TERM_COMPOUND)
    fputs("\tcompound", stdout);
  putchar('\n');
  return 0;
}

/* The stem the index keeps for a whole line. */
typedef struct stem_ctx {
  size_t len;   /* bytes of the line */
  char *whole;  /* a joined stem spanning the whole line */
  tl_buf words; /* the stems of the words, space separated */
  int failed;
} stem_ctx;

static int stem_term(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                     unsigned pos) {
  stem_ctx *c = vctx;
  (void)pos;
  if (!(flags & TL_TERM_STEM))
    return 0;
  if (flags & TL_TERM_JOINED) {
    if (!c->whole && end - start >= c->len - 0 && start == 0) {
      c->whole = strndup(term, len);
      c->failed |= !c->whole;
    }
    return 0;
  }
  if ((c->words.len && tl_buf_append(&c->words, " ", 1) != TL_OK) ||
      tl_buf_append(&c->words, term, len) != TL_OK)
    return c->failed = 1;
  return 0;
}

static int run_stem(tl_analyzer *a) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  tl_error err;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    stem_ctx c;
    size_t s = 0;
    while (n > 0 && strchr("\r\n \t", line[n - 1]))
      line[--n] = '\0';
    while (line[s] == ' ' || line[s] == '\t')
      s++;
    memset(&c, 0, sizeof c);
    c.len = (size_t)n - s;
    if (tl_analyzer_run(a, line + s, c.len, 1, stem_term, &c, NULL, &err) != TL_OK || c.failed) {
      fprintf(stderr, "telusur-analyze: %s\n", c.failed ? "out of memory" : err.msg);
      free(c.whole);
      tl_buf_free(&c.words);
      free(line);
      return 2;
    }
    puts(c.whole ? c.whole : c.words.data ? c.words.data : "");
    free(c.whole);
    tl_buf_free(&c.words);
  }
  free(line);
  return fflush(stdout) == 0 ? 0 : 2;
}

static int run_show(tl_analyzer *a, const char *text, size_t len) {
  show_ctx c = {text};
  tl_error err;
  if (tl_analyzer_run(a, text, len, 1, show_term, &c, NULL, &err) != TL_OK) {
    fprintf(stderr, "telusur-analyze: %s\n", err.msg);
    return 2;
  }
  return 0;
}

int main(int argc, char **argv) {
  enum { OPT_STEMMER = 256, OPT_STEM };
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},  {"stemmer", required_argument, NULL, OPT_STEMMER},
      {"stem", no_argument, NULL, OPT_STEM}, {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},   {NULL, 0, NULL, 0}};
  const char *db = NULL, *stemmer = NULL;
  char *from_db = NULL;
  int c, stem_mode = 0, status = 0;
  tl_analyzer_options ao;
  tl_analyzer *a;
  tl_error err;
  while ((c = getopt_long(argc, argv, "d:hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case OPT_STEMMER: stemmer = optarg; break;
    case OPT_STEM: stem_mode = 1; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': printf("telusur-analyze %s\n", TELUSUR_VERSION); return 0;
    default: fputs("Try 'telusur-analyze --help' for more information.\n", stderr); return 2;
    }
  }
  if (db) {
    tl_store *st;
    if (tl_store_open(db, TL_STORE_READ, &st, &err) != TL_OK ||
        tl_store_get_metadata(st, TL_META_STEMMER, &from_db, &err) != TL_OK) {
      fprintf(stderr, "telusur-analyze: %s\n", err.msg);
      return 2;
    }
    tl_store_close(st);
    if (*from_db)
      stemmer = from_db;
  }
  memset(&ao, 0, sizeof ao);
  ao.stemmer = stemmer;
  if (tl_analyzer_create(&ao, &a, &err) != TL_OK) {
    fprintf(stderr, "telusur-analyze: %s\n", err.msg);
    free(from_db);
    return 2;
  }
  if (stem_mode) {
    status = run_stem(a);
  } else if (optind < argc) {
    int i;
    for (i = optind; i < argc && status == 0; i++)
      status = run_show(a, argv[i], strlen(argv[i]));
  } else {
    tl_buf in = TL_BUF_INIT;
    size_t r;
    for (;;) {
      if (tl_buf_reserve(&in, 65536) != TL_OK) {
        fputs("telusur-analyze: out of memory\n", stderr);
        status = 2;
        break;
      }
      r = fread(in.data + in.len, 1, in.cap - 1 - in.len, stdin);
      in.len += r;
      in.data[in.len] = '\0';
      if (r == 0)
        break;
    }
    if (status == 0)
      status = run_show(a, in.data ? in.data : "", in.len);
    tl_buf_free(&in);
  }
  tl_analyzer_free(a);
  free(from_db);
  return status;
}
