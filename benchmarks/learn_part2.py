"""ndflow.learn vs scikit-learn, part 2: fit + predict seconds and test scores side by side.

Run: ``python benchmarks/learn_part2.py`` (``--trees N`` changes the forest size, default 100;
``--only WORD`` keeps the rows whose name contains WORD). Each workload is a function in ``WORKLOADS``
that imports its estimators lazily and returns None when ndflow does not have them yet, so rows for other
modules (clustering, decomposition, ...) can be appended without touching the rest. Both libraries fit on
the same data, single-threaded, after a small warm-up fit.
"""
from __future__ import annotations

import argparse
import importlib
import time
import warnings
from typing import Callable

import numpy as np


def _classification_20k():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=25_000, n_features=20, n_informative=10, random_state=0)
    return X[:20_000], X[20_000:], y[:20_000], y[20_000:]


def _load(module: str, name: str):
    try:
        ours = getattr(importlib.import_module(f"ndflow.learn.{module}"), name)
    except (ImportError, AttributeError):
        return None
    return ours, getattr(importlib.import_module(f"sklearn.{module}"), name)


def _time_fit_predict(make: Callable, data) -> tuple[float, float]:
    X_train, X_test, y_train, y_test = data
    model = make()
    start = time.perf_counter()
    model.fit(X_train, y_train)
    accuracy = float(np.mean(model.predict(X_test) == y_test))
    return time.perf_counter() - start, 100.0 * accuracy


def _supervised(module: str, name: str, kwargs: dict, data):
    classes = _load(module, name)
    if classes is None:
        return None
    row = []
    for klass in classes:
        klass(**kwargs).fit(data[0][:300], data[2][:300])  # warm-up
        row.append(_time_fit_predict(lambda k=klass: k(**kwargs), data))
    return row


def decision_tree(data, trees):
    return _supervised("tree", "DecisionTreeClassifier", {"random_state": 0}, data)


def random_forest(data, trees):
    return _supervised("ensemble", "RandomForestClassifier", {"n_estimators": trees, "random_state": 0}, data)


def extra_trees(data, trees):
    return _supervised("ensemble", "ExtraTreesClassifier", {"n_estimators": trees, "random_state": 0}, data)


def gradient_boosting(data, trees):
    return _supervised("ensemble", "GradientBoostingClassifier", {"n_estimators": trees, "random_state": 0}, data)


def hist_gradient_boosting(data, trees):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # scikit-learn's histogram boosting is OpenMP-parallel
        return _supervised("ensemble", "HistGradientBoostingClassifier", {"random_state": 0}, data)


WORKLOADS = [
    (lambda trees: "DecisionTreeClassifier 20000x20", decision_tree),
    (lambda trees: f"RandomForestClassifier({trees}) 20000x20", random_forest),
    (lambda trees: f"ExtraTreesClassifier({trees}) 20000x20", extra_trees),
    (lambda trees: f"GradientBoostingClassifier({trees}) 20000x20", gradient_boosting),
    (lambda trees: "HistGradientBoostingClassifier 20000x20", hist_gradient_boosting),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    data = _classification_20k()
    print(f"{'workload':42s} {'ndflow s':>9s} {'sklearn s':>9s} {'ratio':>6s} {'ndflow %':>9s} {'sklearn %':>9s}")
    for title, run in WORKLOADS:
        name = title(args.trees)
        if args.only and args.only not in name:
            continue
        row = run(data, args.trees)
        if row is None:
            print(f"{name:42s} skipped (not in ndflow yet)")
            continue
        (ours_s, ours_acc), (theirs_s, theirs_acc) = row
        print(f"{name:42s} {ours_s:9.2f} {theirs_s:9.2f} {ours_s / theirs_s:6.2f} {ours_acc:9.2f} {theirs_acc:9.2f}",
              flush=True)


if __name__ == "__main__":
    main()
