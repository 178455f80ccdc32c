/* telusur-analyze: show how telusur analyzes text, term by term. */
#include "telusur/analysis.h"
#include "telusur/error.h"
#include "telusur/index.h"

#include <errno.h>
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
  if (flags & TL_TERM_NAME)
    fputs("\tname", stdout);
  putchar('\n');
  return 0;
}

/* The stem the index keeps for a whole line. */
typedef struct stem_ctx {
  size_t len;  /* bytes of the line */
  char *whole; /* a joined stem spanning the whole line */
  FILE *words; /* the stems of the words, space separated (open_memstream) */
  char *wbuf;
  size_t wlen;
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
  if ((ftell(c->words) > 0 && fputc(' ', c->words) == EOF) || fwrite(term, 1, len, c->words) != len)
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
    if (!(c.words = open_memstream(&c.wbuf, &c.wlen))) {
      fputs("telusur-analyze: out of memory\n", stderr);
      free(line);
      return 2;
    }
    if (tl_analyzer_run(a, line + s, c.len, 1, stem_term, &c, NULL, &err) != TL_OK || c.failed) {
      fprintf(stderr, "telusur-analyze: %s\n", c.failed ? "out of memory" : err.msg);
      free(c.whole);
      fclose(c.words);
      free(c.wbuf);
      free(line);
      return 2;
    }
    fclose(c.words);
    puts(c.whole ? c.whole : c.wbuf);
    free(c.whole);
    free(c.wbuf);
  }
  free(line);
  return 0;
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
  char from_db[64] = "";
  int c, stem_mode = 0, status = 0;
  tl_analyzer_options ao;
  tl_analyzer *a;
  tl_error err;
  argv[0] = (char *)"telusur-analyze"; /* getopt names the tool so, not its path */
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
    if (tl_index_read_stemmer(db, from_db, sizeof from_db, &err) != TL_OK) {
      fprintf(stderr, "telusur-analyze: %s\n", err.msg);
      return 2;
    }
    if (*from_db)
      stemmer = from_db;
  }
  memset(&ao, 0, sizeof ao);
  ao.stemmer = stemmer;
  if (tl_analyzer_create(&ao, &a, &err) != TL_OK) {
    fprintf(stderr, "telusur-analyze: %s\n", err.msg);
    return 2;
  }
  if (stem_mode) {
    status = run_stem(a);
  } else if (optind < argc) {
    int i;
    for (i = optind; i < argc && status == 0; i++)
      status = run_show(a, argv[i], strlen(argv[i]));
  } else {
    char *in = NULL, chunk[65536];
    size_t len = 0, r;
    FILE *f = open_memstream(&in, &len);
    while (f && (r = fread(chunk, 1, sizeof chunk, stdin)) > 0)
      if (fwrite(chunk, 1, r, f) != r)
        break;
    if (!f || fclose(f) != 0) {
      fputs("telusur-analyze: out of memory\n", stderr);
      status = 2;
    } else
      status = run_show(a, in, len);
    free(in);
  }
  tl_analyzer_free(a);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "telusur-analyze: error writing output: %s\n", strerror(errno));
    status = 2;
  }
  return status;
}
