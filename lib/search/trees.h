/*
 * trees.h - a gradient-boosted tree ensemble (LambdaMART) over the
 * reranker's features, evaluated as XGBoost predicts.
 *
 * The model is a text file bench/rerank-trees.py writes from an XGBoost
 * model (rank:ndcg; Burges 2010, "From RankNet to LambdaRank to
 * LambdaMART: An Overview", MSR-TR-2010-82; Chen & Guestrin 2016,
 * "XGBoost: A Scalable Tree Boosting System"):
 *
 *   telusur-trees 1
 *   features N         the feature vector's length
 *   base B             the model's base score
 *   linear W           weight of the linear score added (0: none)
 *   trees T
 *   then T times: "tree M" and M node lines, node 0 the root:
 *     s F THRESHOLD YES NO DEFAULT   a split: feature F < THRESHOLD goes to
 *                                    node YES, else NO; a NaN to DEFAULT
 *     l VALUE                        a leaf
 *
 * The prediction is B + the sum over trees of the leaf reached, with the
 * features and thresholds compared as floats (XGBoost's float32), plus
 * W times the linear score the caller passes.
 */
#ifndef TELUSUR_TREES_H
#define TELUSUR_TREES_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_trees tl_trees;

/**
 * Reads the model at path into *out (free with tl_trees_free()).
 * nfeatures: the feature vector's length the caller will pass; the model
 * must declare it. Errors: TL_ERR_NOTFOUND (no such file), TL_ERR_IO
 * (unreadable), TL_ERR_FORMAT (a malformed model: the message names the
 * file and line, or the tree; a node out of range, a cycle, a node the
 * child of two splits, a feature >= nfeatures), TL_ERR_USAGE (nfeatures
 * over 65,535), TL_ERR_NOMEM.
 */
int tl_trees_load(const char *path, size_t nfeatures, tl_trees **out, tl_error *err);

/** Frees the model; NULL is allowed. */
void tl_trees_free(tl_trees *t);

/** The prediction for the feature vector x (the model's nfeatures values)
 * whose linear score is linear (used when the model's W is not 0). */
double tl_trees_predict(const tl_trees *t, const double *x, double linear);

/**
 * The predictions for n feature vectors at once: x holds n rows of the
 * model's nfeatures values, linear n linear scores; out (n doubles, which
 * may be linear itself) receives what tl_trees_predict gives for each row,
 * to the last bit (the same sums in the same order), evaluated a tree at a
 * time over up to 64 rows so that each tree is read from memory once, each
 * row stepping down for the tree's depth without branches (rows holding a
 * NaN or an infinity are walked node by node instead).
 */
void tl_trees_predict_rows(const tl_trees *t, const double *x, size_t n, const double *linear,
                           double *out);

/** The model's W (weight of the linear score). */
double tl_trees_linear_weight(const tl_trees *t);

#ifdef __cplusplus
}
#endif

#endif
