/*
 * search: prints the article ids of the best passages for a query, one a
 * line, in the order telusur-query ranks them.
 *
 *   cc search.c $(pkg-config --cflags --libs telusur) -o search
 *   ./search telusur.db "kerjasama bilateral"
 */
#include <telusur/search.h>

#include <stdio.h>

int main(int argc, char **argv) {
  tl_searcher *s;
  tl_results *res;
  tl_error err;
  size_t i;

  if (argc != 3) {
    fputs("usage: search DB QUERY\n", stderr);
    return 2;
  }
  if (tl_searcher_open(argv[1], NULL, NULL, &s, &err) != TL_OK) { /* NULL: the defaults */
    fprintf(stderr, "search: %s\n", err.msg);
    return 2;
  }
  if (tl_search(s, argv[2], 0, 10, 0, &res, &err) != TL_OK) {
    fprintf(stderr, "search: %s\n", err.msg);
    tl_searcher_close(s);
    return 2;
  }
  for (i = 0; i < res->count; i++)
    puts(res->items[i].article_id);
  tl_results_free(res);
  tl_searcher_close(s);
  return 0;
}
