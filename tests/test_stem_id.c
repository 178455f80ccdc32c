/*
 * test_stem_id.c - Check suite for the dictionary-aware Indonesian stemmer
 * (lib/text/stem_id.c): the handed cases, the judged gold roots, conflation and
 * non-conflation groups, reduplication, lexicon errors and the cache.
 */
#include "testutil.h"
#include "text/stem_id.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Minimum share of gold roots that must come out right. */
#define GOLD_MIN_RATE 0.995

/** Creates a stemmer on the source tree's lexicon; fails the test if not. */
static tl_idstem *make_stemmer(void) {
  tl_idstem *s = NULL;
  tl_error err;
  int rc = tl_idstem_create(tu_source_dir(), &s, &err);
  ck_assert_msg(rc == TL_OK, "tl_idstem_create: %s", err.msg);
  return s;
}

/** Stems a NUL-terminated word into buf (capacity n). */
static const char *stem(tl_idstem *s, const char *w, char *buf, size_t n) {
  size_t len;
  const char *r = tl_idstem_stem(s, w, strlen(w), &len);
  ck_assert_uint_lt(len, n);
  memcpy(buf, r, len);
  buf[len] = '\0';
  return buf;
}

/**
 * Splits the next line of *p (modified in place) into up to max
 * tab-separated fields; returns the field count, -1 at the end.
 */
static int next_line(char **p, char **f, int max) {
  char *line = *p, *end;
  int n = 0;
  if (!line || !*line)
    return -1;
  end = strchr(line, '\n');
  if (end) {
    *end = '\0';
    *p = end + 1;
  } else {
    *p = line + strlen(line);
  }
  while (n < max) {
    char *tab = strchr(line, '\t');
    f[n++] = line;
    if (!tab)
      break;
    *tab = '\0';
    line = tab + 1;
  }
  return n;
}

/** Reads a file under the source tree; fails the test if missing. */
static char *read_case(const char *rel) {
  char path[4096];
  char *data;
  snprintf(path, sizeof path, "%s/%s", tu_source_dir(), rel);
  data = tu_read_file(path, NULL);
  ck_assert_msg(data != NULL, "cannot read %s", path);
  return data;
}

START_TEST(test_handed_cases) {
  tl_idstem *s = make_stemmer();
  char *data = read_case("tests/cases/stems.tsv"), *p = data, *f[3];
  char buf[256];
  int n, checked = 0;
  while ((n = next_line(&p, f, 3)) >= 0) {
    if (n < 2 || f[0][0] == '#' || !f[0][0])
      continue;
    ck_assert_msg(strcmp(stem(s, f[0], buf, sizeof buf), f[1]) == 0, "%s -> %s, expected %s", f[0],
                  buf, f[1]);
    checked++;
  }
  ck_assert_int_ge(checked, 40);
  free(data);
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_gold_rate) {
  tl_idstem *s = make_stemmer();
  char *data = read_case("tests/cases/gold/stems.tsv"), *p = data, *f[3];
  char buf[256];
  int n, total = 0, right = 0, rtotal = 0, rright = 0;
  double rate;
  while ((n = next_line(&p, f, 3)) >= 0) {
    int ok;
    if (n < 2 || strcmp(f[0], "word") == 0)
      continue;
    ok = strcmp(stem(s, f[0], buf, sizeof buf), f[1]) == 0;
    total++;
    right += ok;
    if (n == 3 && strcmp(f[2], "redup") == 0) {
      rtotal++;
      rright += ok;
    }
    if (!ok)
      printf("gold miss: %s -> %s (expected %s, %s)\n", f[0], buf, f[1], n == 3 ? f[2] : "");
  }
  rate = total ? (double)right / total : 0.0;
  printf("gold roots right: %d/%d = %.2f%% (redup %d/%d)\n", right, total, 100.0 * rate, rright,
         rtotal);
  ck_assert_int_ge(total, 1000);
  ck_assert_msg(rate >= GOLD_MIN_RATE, "gold rate %.4f below %.2f", rate, GOLD_MIN_RATE);
  free(data);
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_conflation_groups) {
  tl_idstem *s = make_stemmer();
  char *data = read_case("tests/cases/gold/conflation.tsv"), *p = data, *f[2];
  char group[64] = "", first[256] = "", firstw[256] = "", buf[256];
  int n, groups = 0, forms = 0, skipped = 0;
  while ((n = next_line(&p, f, 2)) >= 0) {
    if (n < 2 || strcmp(f[0], "group_id") == 0)
      continue;
    if (strchr(f[1], ' ')) { /* multiword: the analyzer's job */
      printf("conflation: skipped multiword form '%s' (%s)\n", f[1], f[0]);
      skipped++;
      continue;
    }
    if (strcmp(group, f[0]) != 0) {
      snprintf(group, sizeof group, "%s", f[0]);
      snprintf(firstw, sizeof firstw, "%s", f[1]);
      stem(s, f[1], first, sizeof first);
      groups++;
    } else {
      ck_assert_msg(strcmp(stem(s, f[1], buf, sizeof buf), first) == 0,
                    "group %s: %s -> %s but %s -> %s", group, f[1], buf, firstw, first);
    }
    forms++;
  }
  printf("conflation: %d groups, %d single-word forms, %d multiword skipped\n", groups, forms,
         skipped);
  ck_assert_int_ge(groups, 40);
  free(data);
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_nonconflation_pairs) {
  tl_idstem *s = make_stemmer();
  char *data = read_case("tests/cases/gold/nonconflation.tsv"), *p = data;
  char *f[2], a[256], b[256];
  int n, pairs = 0;
  while ((n = next_line(&p, f, 2)) >= 0) {
    if (n < 2 || strcmp(f[0], "form_a") == 0)
      continue;
    stem(s, f[0], a, sizeof a);
    stem(s, f[1], b, sizeof b);
    ck_assert_msg(strcmp(a, b) != 0, "%s and %s share the stem %s", f[0], f[1], a);
    pairs++;
  }
  ck_assert_int_ge(pairs, 20);
  free(data);
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_reduplication_and_hyphens) {
  static const char *const cases[][2] = {
      {"negara-negara", "negara"},
      {"bersama-sama", "sama"},
      {"sebaik-baiknya", "baik"},
      {"meniru-nirukan", "tiru"},
      {"di-phk", "phk"},
      {"kerja-sama", "kerjasama"},
      {"anak-anaknya", "anak"},
      {"kata-kata", "kata"},
      {"malaikat-malaikat-nya", "malaikat"},
      /* a part that echoes the other (the same rhyme, consonants, or
       * vowels and ending; an affixed or infixed form) is a reduplication;
       * two words that do not are a compound, kept whole, even when they
       * share a few letters */
      {"sayur-mayur", "sayur"},
      {"lauk-pauk", "lauk"},
      {"gotong-royong", "gotong"},
      {"hiruk-pikuk", "hiruk"},
      {"bolak-balik", "bolak"},
      {"tunggang-langgang", "tunggang"},
      {"jari-jemari", "jari"},
      {"keabu-abuan", "abu"},
      {"besar-besaran", "besar"},
      {"sayur-mayurnya", "sayur"},
      {"dibolak-balik", "bolak"},
      /* affixed reduplications of a base found only reduplicated */
      {"mengiming-imingi", "iming"},
      {"diiming-imingi", "iming"},
      {"mewanti-wanti", "wanti"},
      {"ketidakhati-hatian", "hati"},
      /* partial reduplication: the first consonant copied with e */
      {"reruntuhan", "runtuh"},
      {"rerumputan", "rumput"},
      {"jejaring", "jaring"},
      {"wewenang", "wenang"},
      {"dedaunan", "daun"},
      {"pepohonan", "pohon"},
      {"tetangga", "tetangga"},
      {"gegabah", "gegabah"},
      {"terang-benderang", "terang"},
      {"tulang-belulang", "tulang"},
      {"afrika-amerika", "afrika-amerika"},
      {"januari-februari", "januari-februari"},
      {"tanah-longsor", "tanah-longsor"},
      {"rumah-sakit", "rumah-sakit"},
      {"ekspor-impor", "ekspor-impor"},
      {"indonesia-malaysia", "indonesia-malaysia"},
      {"hutan-tanaman", "hutan-tanaman"},
      {"asia-malaysia", "asia-malaysia"}};
  tl_idstem *s = make_stemmer();
  char buf[256];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_str_eq(stem(s, cases[i][0], buf, sizeof buf), cases[i][1]);
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_affix_rules) {
  static const char *const cases[][2] = {
      {"menyapu", "sapu"},
      {"memukul", "pukul"},
      {"mengebom", "bom"},
      {"pertanggungjawaban", "tanggungjawab"},
      {"bekerjasama", "kerjasama"},
      {"pemrograman", "program"},
      {"relawan", "relawan"},
      {"kuambil", "ambil"},
      {"kaubawa", "bawa"},
      {"bukukah", "buku"},
      {"rumahmu", "rumah"},
      {"syutingnya", "syuting"},
      {"pantai", "pantai"},
      {"nilai", "nilai"},
      /* issue roots: a function word, keluar as its own root, the negated
       * confix ke-tidak-...-an, and pe(N)- before sy */
      {"adalah", "adalah"},
      {"keluarkan", "keluar"},
      {"mengeluarkan", "keluar"},
      {"ketidakjelasan", "jelas"},
      {"ketidakadilan", "adil"},
      {"penyair", "syair"},
      {"kediri", "diri"},
      /* the proclitics ku-, kau- take verbs, alone or with a suffix, not
       * nouns or names (kukang, a loris; kusumo) */
      {"kulihat", "lihat"},
      {"kaulihat", "lihat"},
      {"kukerjakan", "kerja"},
      {"kukang", "kukang"},
      {"kusumo", "kusumo"},
      {"kumaha", "kumaha"},
      /* the gazetteer's other place names stay whole in lower case too */
      {"bekasi", "bekasi"},
      {"maluku", "maluku"},
      {"semeru", "semeru"},
      {"bekasinya", "bekasi"},
      /* hunspell-id entries that are KBBI sub-entries (exceptions.txt) */
      {"perhatian", "hati"},
      {"ketahui", "tahu"},
      {"ketidakseimbangan", "imbang"},
      /* me- keeps no nasal only before l, r, w, y: megawati is a name */
      {"megawati", "megawati"},
      {"pemecatan", "pecat"},
      {"melihat", "lihat"},
      {"mewarnai", "warna"},
      {"tapi", "tapi"},
      {"selasa", "selasa"},
      {"pasukannya", "pasukan"},
      {"pemasukan", "masuk"},
      {"kejari", "kejari"},
      {"mengejari", "kejar"},
      /* ministries and ministers by their short names stay whole */
      {"kemenkes", "kemenkes"},
      {"menpora", "menpora"},
      {"kementan", "kementan"},
      {"kejagung", "kejagung"},
      {"perpres", "perpres"},
      /* clitics never change a word's root: the word with them stems as
       * the word alone, unless a root holds the clitic's letters */
      {"peluangnya", "peluang"},
      {"meriahnya", "meriah"},
      {"mediasinya", "mediasi"},
      {"merekalah", "mereka"},
      {"sesuatupun", "suatu"},
      {"seseorang", "orang"},
      {"menikah", "nikah"},
      {"memangku", "pangku"},
      {"berilmu", "ilmu"},
      {"selangkah", "langkah"},
      /* ke- inside another prefix takes a suffix (di-ke-tahu-i), or is
       * "ke" before a noun of direction (ter-ke-muka) */
      {"diketuai", "ketua"},
      {"berkerangka", "kerangka"},
      {"mengejari", "kejar"},
      {"diketahui", "tahu"},
      {"berkelanjutan", "lanjut"},
      {"terkemuka", "muka"},
      {"mengedepankan", "depan"},
      /* peN- makes nouns with -an: its -kan is a misspelling, below a
       * reading with -an (the doubled k of penegakkan is the rule's) */
      {"penumpukan", "tumpuk"},
      {"penegakkan", "tegak"},
      {"penyampaikan", "sampai"},
      /* KBBI roots where hunspell-id lists another */
      {"mengembara", "kembara"},
      {"pengembaraan", "kembara"},
      {"diperagakan", "peraga"},
      {"penobatan", "nobat"},
      {"bermula", "mula"},
      {"dipenyet", "penyet"},
      /* verbs take no peN- inside di- or meN-: pecat, not pe-cat */
      {"dipecat", "pecat"},
      {"memecat", "pecat"},
      /* menge- only before one syllable; tu-a is two: meng-ketua-i */
      {"mengetuai", "ketua"},
      {"mengebom", "bom"},
      /* syllabic acronyms and names kept from a common word's root */
      {"mentan", "mentan"},
      {"peruri", "peruri"},
      {"asian", "asian"},
      {"barack", "barack"}};
  tl_idstem *s = make_stemmer();
  char buf[256];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_str_eq(stem(s, cases[i][0], buf, sizeof buf), cases[i][1]);
  tl_idstem_free(s);
}
END_TEST

/* Spelling variants conflate (old spellings, loanword forms, a lost doubled
 * k or n) without joining distinct words. */
START_TEST(test_spelling_variants) {
  static const char *const same[][2] = {{"djakarta", "jakarta"},
                                        {"tjinta", "cinta"},
                                        {"oentoek", "untuk"},
                                        {"masjarakat", "masyarakat"},
                                        {"achir", "akhir"},
                                        {"njawa", "nyawa"},
                                        {"sjukur", "syukur"},
                                        {"tjahaja", "cahaya"},
                                        {"njanji", "nyanyi"},
                                        {"analisa", "analisis"},
                                        {"menganalisa", "menganalisis"},
                                        {"praktek", "praktik"},
                                        {"dipraktekkan", "praktik"},
                                        {"aktifitas", "aktivitas"},
                                        {"positip", "positif"},
                                        {"memasukan", "memasukkan"},
                                        {"dikoordinir", "koordinasi"},
                                        {"terisolir", "isolasi"},
                                        {"memproklamirkan", "memproklamasikan"},
                                        {"merespon", "merespons"},
                                        {"meletakan", "meletakkan"},
                                        {"menaikan", "menaikkan"},
                                        /* a lost doubled n before -nya */
                                        {"pekerjaanya", "pekerjaannya"},
                                        {"kemungkinanya", "kemungkinan"},
                                        {"menempatkanya", "menempatkan"},
                                        {"dipimpinya", "memimpin"},
                                        {"tujuanya", "tujuan"},
                                        {"kekuatanya", "kekuatan"},
                                        {"memberikanya", "memberikan"},
                                        {"keberadaanya", "keberadaan"},
                                        {"disahkanya", "disahkan"},
                                        {"lainya", "lainnya"},
                                        {"puteranya", "putra"},
                                        {"puteri", "putri"},
                                        {"kwalitas", "kualitas"},
                                        {"merubah", "mengubah"},
                                        {"dirubah", "diubah"},
                                        {"kaos", "kaus"},
                                        {"cabe", "cabai"},
                                        {"berlobang", "lubang"},
                                        {"mesjid", "masjid"},
                                        {"dihandalkan", "diandalkan"},
                                        {"pembaharuan", "pembaruan"},
                                        {"menelpon", "menelepon"},
                                        {"menyebrang", "menyeberang"},
                                        {"soekarno", "sukarno"},
                                        {"jogja", "yogyakarta"},
                                        {"kyai", "kiai"},
                                        {"samudera", "samudra"},
                                        {"hadist", "hadis"},
                                        {"kesusasteraan", "kesusastraan"},
                                        {"menghembuskan", "mengembuskan"},
                                        {"milyar", "miliar"},
                                        /* loan endings (loan_endings) */
                                        {"geomorfologis", "geomorfologi"},
                                        {"kriptografis", "kriptografi"},
                                        {"homeostatis", "homeostasis"},
                                        {"epigenetika", "epigenetik"},
                                        {"matematik", "matematika"},
                                        {"antibiotika", "antibiotik"},
                                        {"herbivora", "herbivor"},
                                        {"omnivora", "omnivor"},
                                        /* loan letters (loan_letters) */
                                        {"fitamin", "vitamin"},
                                        {"fariasi", "variasi"},
                                        {"aktifis", "aktivis"},
                                        {"motiv", "motif"},
                                        {"hapal", "hafal"},
                                        {"menghapal", "menghafal"},
                                        {"konpirmasi", "konfirmasi"},
                                        {"profinsi", "provinsi"},
                                        {"kwartal", "kuartal"},
                                        {"rejeki", "rezeki"},
                                        {"katholik", "katolik"},
                                        {"ethiopia", "etiopia"},
                                        /* English spellings of loans (english_form) */
                                        {"music", "musik"},
                                        {"industry", "industri"},
                                        {"university", "universitas"},
                                        {"information", "informasi"},
                                        {"international", "internasional"},
                                        {"technology", "teknologi"},
                                        {"electronic", "elektronik"},
                                        {"alternative", "alternatif"},
                                        {"structure", "struktur"},
                                        {"oxigen", "oksigen"},
                                        {"vocal", "vokal"},
                                        {"kebon", "kebun"},
                                        {"otentikasi", "autentikasi"},
                                        {"diketik", "mengetik"},
                                        {"vocalnya", "vokal"}};
  static const char *const apart[][2] = {{"mengenakan", "mengenakkan"}, /* kena, enak */
                                         {"rubah", "ubah"},             /* a fox */
                                         {"seyogyanya", "yogyakarta"},
                                         /* -nya after a word as written */
                                         {"jalanya", "jalannya"},
                                         {"bahasanya", "bahasan"},
                                         {"kenya", "ken"},
                                         {"perdanya", "dan"},
                                         {"tetanganya", "tangan"},
                                         /* a name or loan with -nya, no prefix */
                                         {"sabunya", "sabun"},
                                         {"kolakanya", "kolak"},
                                         {"lisanya", "lisan"},
                                         {"beraunya", "raun"},
                                         {"merapikan", "rapik"},
                                         {"perombakan", "ombak"},
                                         {"goes", "gus"},
                                         {"koefisien", "kufisien"},
                                         /* words of their own with a loan ending */
                                         {"fisik", "fisika"},
                                         {"kritis", "krisis"},
                                         {"praktis", "praksis"},
                                         /* names and English words kept from
                                          * the roots a respelling would give */
                                         {"kevin", "pin"},
                                         {"kenneth", "net"},
                                         {"vedanta", "danta"},
                                         {"khurasan", "kuras"},
                                         {"idham", "idam"},
                                         {"farah", "parah"},
                                         {"rizal", "rijal"},
                                         {"firing", "piring"},
                                         {"director", "rektor"},
                                         {"policy", "polisi"},
                                         {"center", "senter"},
                                         {"color", "kolor"},
                                         {"direction", "direksi"},
                                         {"chemistry", "mistri"},
                                         {"barry", "bari"},
                                         {"pemenntah", "mentah"},
                                         /* j is y only beside another old sign */
                                         {"jatim", "yatim"},
                                         {"menjabut", "sabut"},
                                         {"chat", "khat"},
                                         /* c alone is no sign of a loan:
                                          * an Indonesian c stays (kecapi) */
                                         {"kacapi", "kakap"}};
  tl_idstem *s = make_stemmer();
  char a[256], b[256];
  size_t i;
  for (i = 0; i < sizeof same / sizeof same[0]; i++) {
    stem(s, same[i][0], a, sizeof a);
    stem(s, same[i][1], b, sizeof b);
    ck_assert_msg(strcmp(a, b) == 0, "%s -> %s but %s -> %s", same[i][0], a, same[i][1], b);
  }
  for (i = 0; i < sizeof apart / sizeof apart[0]; i++) {
    stem(s, apart[i][0], a, sizeof a);
    stem(s, apart[i][1], b, sizeof b);
    ck_assert_msg(strcmp(a, b) != 0, "%s and %s share the stem %s", apart[i][0], apart[i][1], a);
  }
  ck_assert_str_eq(stem(s, "memasukan", a, sizeof a), "masuk");
  ck_assert_str_eq(stem(s, "analisa", a, sizeof a), "analisis");
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_cache_is_stable) {
  tl_idstem *s = make_stemmer();
  char a[256], b[256];
  int i;
  for (i = 0; i < 3; i++) { /* first call fills the cache, then hits */
    stem(s, "pengiriman", a, sizeof a);
    stem(s, "menulis", b, sizeof b);
    ck_assert_str_eq(a, "kirim");
    ck_assert_str_eq(b, "tulis");
  }
  tl_idstem_free(s);
}
END_TEST

START_TEST(test_missing_lexicon_is_error) {
  tl_idstem *s = NULL;
  tl_error err;
  char *dir = tu_tmpdir();
  int rc;
  ck_assert_ptr_nonnull(dir);
  rc = tl_idstem_create(dir, &s, &err);
  ck_assert_int_eq(rc, TL_ERR_NOTFOUND);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, dir) != NULL, "message lacks path: %s", err.msg);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* A list that cannot be read (a directory) is an error naming it, not an
 * empty list. */
START_TEST(test_unreadable_lexicon_is_error) {
  tl_idstem *s = NULL;
  tl_error err;
  setenv("TELUSUR_HUNSPELL_DIC", "/", 1);
  ck_assert_int_eq(tl_idstem_create(tu_source_dir(), &s, &err), TL_ERR_IO);
  unsetenv("TELUSUR_HUNSPELL_DIC");
  ck_assert_ptr_null(s);
  ck_assert_str_eq(err.msg, "/: Is a directory");
}
END_TEST

START_TEST(test_missing_hunspell_is_error) {
  tl_idstem *s = NULL;
  tl_error err;
  int rc;
  setenv("TELUSUR_HUNSPELL_DIC", "/nonexistent/id_ID.dic", 1);
  rc = tl_idstem_create(tu_source_dir(), &s, &err);
  unsetenv("TELUSUR_HUNSPELL_DIC");
  ck_assert_int_eq(rc, TL_ERR_NOTFOUND);
  ck_assert_ptr_null(s);
  ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/id_ID.dic"));
  tl_idstem_free(NULL);
}
END_TEST

/** Builds the suite. */
static Suite *stem_id_suite(void) {
  Suite *su = suite_create("stem_id");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_handed_cases);
  tcase_add_test(tc, test_gold_rate);
  tcase_add_test(tc, test_conflation_groups);
  tcase_add_test(tc, test_nonconflation_pairs);
  tcase_add_test(tc, test_reduplication_and_hyphens);
  tcase_add_test(tc, test_affix_rules);
  tcase_add_test(tc, test_spelling_variants);
  tcase_add_test(tc, test_cache_is_stable);
  tcase_add_test(tc, test_missing_lexicon_is_error);
  tcase_add_test(tc, test_missing_hunspell_is_error);
  tcase_add_test(tc, test_unreadable_lexicon_is_error);
  suite_add_tcase(su, tc);
  return su;
}

/** Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(stem_id_suite());
}
