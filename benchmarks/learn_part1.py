"""ndflow.learn vs scikit-learn, side by side: fit + predict wall time and test scores.

Run: ``python benchmarks/learn_part1.py``. Each workload is fitted once per library on the same data
after a small warm-up fit (so import costs are not timed). Scores are test accuracy or R² in percent
(the ColumnTransformer row reports the largest output difference instead). Rows whose ndflow module
is missing are skipped with a note.
"""
from __future__ import annotations

import importlib
import time
import warnings

import numpy as np
from learn_table import print_table


def _classification(n, p, seed, n_informative=10):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    w = np.zeros(p)
    w[:n_informative] = rng.randn(n_informative)
    y = (X @ w + 0.5 * rng.randn(n) > 0).astype(int)
    return X, y


def _nonlinear(n, p, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    y = ((X[:, :5] ** 2).sum(1) + rng.randn(n) > 5).astype(int)
    return X, y


def _regression(n, p, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    w = rng.randn(p) * (rng.rand(p) < 0.3)
    return X, X @ w + 0.5 * rng.randn(n)


def _split(X, y, n_test):
    return X[:-n_test], X[-n_test:], y[:-n_test], y[-n_test:]


def _accuracy(model, X, y):
    return 100.0 * float(np.mean(model.predict(X) == y))


def _r2(model, X, y):
    residual = y - model.predict(X)
    return 100.0 * (1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def _timed(make, X_train, y_train, X_test, y_test, score):
    model = make()
    start = time.perf_counter()
    model.fit(X_train, y_train)
    result = score(model, X_test, y_test)
    return time.perf_counter() - start, result


def _supervised(name, module, cls, kwargs, data, score, n_test):
    """One row: the same estimator class from both libraries on the same split."""
    X, y = data
    X_train, X_test, y_train, y_test = _split(X, y, n_test)
    try:
        ours_cls = getattr(importlib.import_module(f"ndflow.learn.{module}"), cls)
    except (ImportError, AttributeError):
        return name, None, f"ndflow.learn.{module}.{cls} missing"
    theirs_cls = getattr(importlib.import_module(f"sklearn.{module}"), cls)
    row = []
    for klass in (ours_cls, theirs_cls):
        klass(**kwargs).fit(X_train[:200], y_train[:200])  # warm-up: imports, caches
        row.append(_timed(lambda k=klass: k(**kwargs), X_train, y_train, X_test, y_test, score))
    return name, row, ""


def _column_transformer():
    name = "StandardScaler+OneHot ColumnTransformer 100k"
    try:
        from ndflow.learn.compose import ColumnTransformer as OursCT
        from ndflow.learn.preprocessing import OneHotEncoder as OursOH
        from ndflow.learn.preprocessing import StandardScaler as OursSS
    except ImportError:
        return name, None, "ndflow.learn.compose/preprocessing missing"
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(0)
    n = 100_000
    X = np.column_stack([rng.randn(n, 5), rng.randint(0, 20, (n, 3)).astype(float)])
    outputs, row = [], []
    for ct, ss, oh in ((OursCT, OursSS, OursOH), (ColumnTransformer, StandardScaler, OneHotEncoder)):
        def make(ct=ct, ss=ss, oh=oh):
            return ct([("num", ss(), [0, 1, 2, 3, 4]), ("cat", oh(sparse_output=False), [5, 6, 7])])

        make().fit_transform(X[:200])
        start = time.perf_counter()
        out = make().fit_transform(X)
        row.append([time.perf_counter() - start, 0.0])
        outputs.append(np.asarray(out.toarray() if hasattr(out, "toarray") else out))
    diff = float(np.abs(outputs[0] - outputs[1]).max()) if outputs[0].shape == outputs[1].shape else np.inf
    row[0][1] = row[1][1] = diff
    return name, row, "score column = max |output difference|"


def _grid_search():
    name = "GridSearchCV 12 candidates (LogReg, 5k x 20, cv=3)"
    try:
        from ndflow.learn.linear_model import LogisticRegression as OursLR
        from ndflow.learn.model_selection import GridSearchCV as OursGS
    except ImportError:
        return name, None, "ndflow.learn.model_selection missing"
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    X, y = _classification(5000, 20, 5)
    grid = {"C": list(np.logspace(-3, 2, 6)), "fit_intercept": [True, False]}
    row = []
    for gs, lr in ((OursGS, OursLR), (GridSearchCV, LogisticRegression)):
        start = time.perf_counter()
        search = gs(lr(), grid, cv=3).fit(X, y)
        row.append((time.perf_counter() - start, 100.0 * float(search.best_score_)))
    return name, row, ""


def main() -> None:
    warnings.simplefilter("ignore")
    rows = [
        _supervised("LogisticRegression 20k x 50", "linear_model", "LogisticRegression", {},
                    _classification(25_000, 50, 0), _accuracy, 5_000),
        _supervised("SGDClassifier 20k x 50", "linear_model", "SGDClassifier", {"random_state": 0},
                    _classification(25_000, 50, 1), _accuracy, 5_000),
        _supervised("Ridge 20k x 50", "linear_model", "Ridge", {"alpha": 1.0},
                    _regression(25_000, 50, 2), _r2, 5_000),
        _supervised("Lasso 20k x 50", "linear_model", "Lasso", {"alpha": 0.05},
                    _regression(25_000, 50, 3), _r2, 5_000),
        _supervised("SVC rbf 5k x 20", "svm", "SVC", {}, _nonlinear(6_000, 20, 4), _accuracy, 1_000),
        _supervised("KNeighborsClassifier 10k x 20, 2k queries", "neighbors", "KNeighborsClassifier", {},
                    _nonlinear(12_000, 20, 6), _accuracy, 2_000),
        _column_transformer(),
        _grid_search(),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
