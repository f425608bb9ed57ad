"""scikit-learn's answers for the evaluation tests: a JSON list of cases on stdin, a JSON list of answers on stdout."""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics


def roc_auc(y_true, proba, k):
    if k == 2:
        return float(metrics.roc_auc_score(y_true, proba[:, 1])) if len(set(y_true)) == 2 else None
    if len(set(y_true)) == k:
        return float(metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=list(range(k))))
    # sklearn refuses OvR when a class is absent; average the classes where the binary AUC is defined.
    defined = [metrics.roc_auc_score(y_true == c, proba[:, c]) for c in range(k) if 0 < np.sum(y_true == c) < len(y_true)]
    return float(np.mean(defined)) if defined else None


def classification(case):
    k = len(case["labels"])
    labels = list(range(k))
    y_true = np.array(case["actual"])
    y_pred = np.array(case["predicted"])
    dtype = np.float32 if case["float32"] else np.float64
    proba = np.array(case["probabilities"], dtype=dtype).reshape(len(y_true), k)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "balancedAccuracy": metrics.balanced_accuracy_score(y_true, y_pred),
        "logLoss": float(metrics.log_loss(y_true, proba, labels=labels)),
        "macroF1": metrics.f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
        "weightedF1": metrics.f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0),
        "rocAuc": roc_auc(y_true, proba, k),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "support": support.tolist(),
        "confusion": metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def regression(case):
    y_true = np.array(case["actual"], dtype=np.float64)
    y_pred = np.array(case["predicted"], dtype=np.float64)
    return {
        "rmse": metrics.mean_squared_error(y_true, y_pred, squared=False),
        "mae": metrics.mean_absolute_error(y_true, y_pred),
        "r2": metrics.r2_score(y_true, y_pred),
        "medianAbsoluteError": metrics.median_absolute_error(y_true, y_pred),
    }


warnings.simplefilter("ignore")
answers = [classification(c) if c["kind"] == "classification" else regression(c) for c in json.load(sys.stdin)]
json.dump(answers, sys.stdout, default=float)
