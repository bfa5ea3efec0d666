"""The fitted tree structure (``Tree``) and the builders that grow it.

Nodes are numbered as scikit-learn numbers them: depth-first (left child first) when growing without a
leaf budget, in creation order when growing best-first with ``max_leaf_nodes``. Features are drawn with
scikit-learn's xorshift generator and Fisher-Yates scheme, so that with the same ``random_state`` the same
features are tried in the same order and ties break the same way.

The split search of one node is vectorised: each candidate feature is sorted once and cumulative sums of the
criterion's per-sample statistics score every threshold of every feature at once. With additive statistics
(every criterion but absolute error) the best splitter sorts every feature once per tree instead -- or once per
ensemble, when the caller passes ``feature_order`` -- and nodes keep their samples sorted by each feature
through stable partitions. Forests grow their trees together (``_splitter_lockstep``).
"""
from __future__ import annotations

import heapq

import numpy as np

from ._criterion import EPSILON, AbsoluteErrorCriterion, ClassificationCriterion

TREE_LEAF = -1
TREE_UNDEFINED = -2
FEATURE_THRESHOLD = 1e-7
RAND_R_MAX = 0x7FFFFFFF
_CHUNK_ELEMENTS = 8_000_000
_PRESORT_ELEMENTS = 8_000_000  # largest (samples x features) a tree presorts


class RandR:
    """scikit-learn's xorshift32 generator (``rand_r``), so feature draws match its trees."""

    def __init__(self, seed: int):
        self.state = int(seed) & 0xFFFFFFFF

    def _next(self) -> int:
        s = self.state or 1
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.state = s
        return s % (RAND_R_MAX + 1)

    def randint(self, low: int, high: int) -> int:
        return low + self._next() % (high - low)

    def uniform(self, low: float, high: float) -> float:
        return (high - low) * float(self._next()) / RAND_R_MAX + low


class Tree:
    """Array representation of a binary decision tree (scikit-learn's ``tree_``).

    Node ``i`` splits on ``feature[i] <= threshold[i]``; leaves have ``children_left == -1`` and
    ``feature == threshold == -2``. ``value[i]`` holds class fractions (classifiers) or target means.
    """

    def __init__(self, n_features: int, n_classes: np.ndarray, n_outputs: int):
        self.n_features = n_features
        self.n_classes = np.asarray(n_classes, dtype=np.intp)
        self.n_outputs = n_outputs
        self.max_n_classes = int(np.max(self.n_classes))
        self._set_nodes([], [], [], [], [], [], [], [], np.zeros((0, n_outputs, self.max_n_classes)))

    def _set_nodes(self, left, right, feature, threshold, impurity, n_samples, weighted, missing_left,
                   value) -> None:
        self.children_left = np.asarray(left, dtype=np.intp)
        self.children_right = np.asarray(right, dtype=np.intp)
        self.feature = np.asarray(feature, dtype=np.intp)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        self.impurity = np.asarray(impurity, dtype=np.float64)
        self.n_node_samples = np.asarray(n_samples, dtype=np.intp)
        self.weighted_n_node_samples = np.asarray(weighted, dtype=np.float64)
        self.missing_go_to_left = np.asarray(missing_left, dtype=np.uint8)
        self.value = np.asarray(value, dtype=np.float64)
        self.node_count = self.capacity = len(self.children_left)
        self.max_depth = int(self.compute_node_depths().max()) - 1 if self.node_count else 0

    @property
    def n_leaves(self) -> int:
        return int(np.sum(self.children_left == TREE_LEAF))

    def compute_node_depths(self) -> np.ndarray:
        """Depth of every node, the root having depth 1 (as scikit-learn counts here)."""
        depth = np.zeros(self.node_count, dtype=np.int64)
        level = np.zeros(min(self.node_count, 1), dtype=np.intp)
        d = 1
        while level.size:  # one level of the tree at a time
            depth[level] = d
            level = level[self.children_left[level] != TREE_LEAF]
            level = np.concatenate([self.children_left[level], self.children_right[level]])
            d += 1
        return depth

    def _preorder(self) -> list[int]:
        order, stack = [], [0] if self.node_count else []
        left, right = self.children_left.tolist(), self.children_right.tolist()
        while stack:
            node = stack.pop()
            order.append(node)
            if left[node] != TREE_LEAF:
                stack.append(right[node])
                stack.append(left[node])
        return order

    def _paths(self, X: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Leaf of every row and the node visited at each level (descending all rows at once)."""
        node = np.zeros(X.shape[0], dtype=np.intp)
        rows = np.arange(X.shape[0])
        levels = [node.copy()]
        for _ in range(self.max_depth):
            feat = self.feature[node]
            internal = feat >= 0
            if not internal.any():
                break
            go_left = X[rows, np.where(internal, feat, 0)] <= self.threshold[node]
            child = np.where(go_left, self.children_left[node], self.children_right[node])
            node = np.where(internal, child, node)
            levels.append(np.where(internal, node, -1))
        return node, levels

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Index of the leaf that each row of ``X`` (float32) reaches."""
        X = np.ascontiguousarray(X)
        flat, n_features = X.ravel(), X.shape[1]
        leaf = np.zeros(X.shape[0], dtype=np.intp)
        rows = np.arange(X.shape[0])
        node = leaf[rows]
        while rows.size:  # descend the rows that have not reached a leaf yet
            feat = self.feature[node]
            inner = feat >= 0
            if not inner.all():
                leaf[rows[~inner]] = node[~inner]
                rows, node, feat = rows[inner], node[inner], feat[inner]
            go_left = flat[rows * n_features + feat] <= self.threshold[node]
            node = np.where(go_left, self.children_left[node], self.children_right[node])
        return leaf

    def decision_path(self, X: np.ndarray):
        """CSR indicator matrix, ``[i, j] = 1`` when row ``i`` passes through node ``j``."""
        from scipy import sparse

        _, levels = self._paths(X)
        nodes = np.stack(levels, axis=1)
        mask = nodes >= 0
        indptr = np.concatenate([[0], np.cumsum(mask.sum(axis=1))])
        indices = nodes[mask]
        data = np.ones(indices.size, dtype=np.intp)
        return sparse.csr_matrix((data, indices, indptr), shape=(X.shape[0], self.node_count))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """``value`` of the leaf each row reaches, shape (n_samples, n_outputs, max_n_classes)."""
        return self.value[self.apply(X)]

    def compute_feature_importances(self, normalize: bool = True) -> np.ndarray:
        """Total weighted impurity decrease brought by each feature (normalised to sum to one)."""
        internal = np.flatnonzero(self.children_left != TREE_LEAF)
        wi = self.weighted_n_node_samples * self.impurity
        gain = wi[internal] - wi[self.children_left[internal]] - wi[self.children_right[internal]]
        importances = np.bincount(self.feature[internal], weights=gain, minlength=self.n_features)
        importances = importances / self.weighted_n_node_samples[0]
        if normalize and importances.sum() > 0:
            importances = importances / importances.sum()
        return importances


def presort_features(X: np.ndarray) -> np.ndarray:
    """Row ``f`` lists the samples sorted (stably) by feature ``f``: ``TreeBuilder.build``'s ``feature_order``."""
    return np.argsort(np.ascontiguousarray(X.T), axis=1, kind="stable")


class _NodeRecords:
    """Growing per-node lists, turned into a ``Tree`` at the end."""

    def __init__(self):
        self.left, self.right, self.feature, self.threshold = [], [], [], []
        self.impurity, self.n_samples, self.weighted, self.missing, self.value = [], [], [], [], []

    def add(self, parent: int, is_left: bool, n: int, w: float, impurity: float, value: np.ndarray) -> int:
        node = len(self.left)
        if parent >= 0:
            (self.left if is_left else self.right)[parent] = node
        self.left.append(TREE_LEAF)
        self.right.append(TREE_LEAF)
        self.feature.append(TREE_UNDEFINED)
        self.threshold.append(float(TREE_UNDEFINED))
        self.impurity.append(impurity)
        self.n_samples.append(n)
        self.weighted.append(w)
        self.missing.append(0)
        self.value.append(value)
        return node

    def set_split(self, node: int, split: dict) -> None:
        self.feature[node] = split["feature"]
        self.threshold[node] = split["threshold"]
        self.missing[node] = int(split["n_left"] > split["n_right"])

    def to_tree(self, tree: Tree) -> None:
        value = np.stack(self.value) if self.value else np.zeros((0, tree.n_outputs, tree.max_n_classes))
        if value.shape[-1] < tree.max_n_classes:  # regression values have one column
            value = value[..., :1]
        tree._set_nodes(self.left, self.right, self.feature, self.threshold, self.impurity, self.n_samples,
                        self.weighted, self.missing, value)


class TreeBuilder:
    """Grows a tree depth-first, or best-first when ``max_leaf_nodes`` is set.

    Args:
        criterion: a criterion from ``_criterion``.
        splitter: ``"best"`` (all thresholds) or ``"random"`` (one random threshold per feature).
        seed: seed of the ``rand_r`` generator that draws features (and random thresholds).
    """

    def __init__(self, criterion, splitter: str, max_features: int, min_samples_split: int,
                 min_samples_leaf: int, min_weight_leaf: float, max_depth: int, max_leaf_nodes: int,
                 min_impurity_decrease: float, seed: int):
        self.criterion = criterion
        self.splitter = splitter
        self.max_features = max_features
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        self.max_depth = max_depth
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.rng = RandR(seed)

    def build(self, tree: Tree, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray,
              feature_order: np.ndarray | None = None) -> None:
        """Fits ``tree`` to float32 ``X``, encoded float ``y`` (n_samples, n_outputs) and weights.

        ``feature_order`` (optional) is ``presort_features(X)``, shared by the trees of an ensemble fitted on
        the same ``X`` so that each tree does not sort the features again.
        """
        self.X = X
        self.sw = sample_weight
        self.unit_weights = bool(np.all(sample_weight == 1.0))
        # integer class counts sum exactly in any order; other sums are redone per node in the node's own
        # sample order, which keeps scikit-learn's rounding (and so its choice between tied splits)
        self.exact_sums = isinstance(self.criterion, ClassificationCriterion) and bool(
            np.all(sample_weight == np.round(sample_weight)))
        self.stats = self.criterion.sample_stats(y, sample_weight)
        # the split search only needs the statistics the proxy reads; inexact sums are redone per child anyway
        n_proxy = getattr(self.criterion, "n_proxy_stats", self.stats.shape[1])
        sliced = not self.exact_sums and n_proxy < self.stats.shape[1]
        self.split_stats = np.ascontiguousarray(self.stats[:, :n_proxy]) if sliced else self.stats
        self.n_features = X.shape[1]
        self.features = list(range(self.n_features))
        self.constant_features = list(range(self.n_features))
        root = np.flatnonzero(sample_weight != 0)
        self.positive_weights = bool(np.all(sample_weight[root] > 0))
        self.criterion_is_mae = isinstance(self.criterion, AbsoluteErrorCriterion)
        self.total_weight = float(sample_weight[root].sum())
        self.presort = self.presorts(root.size, self.n_features)
        root_order = None
        if self.presort:
            if feature_order is None:
                root_order = np.stack([root[np.argsort(X[root, f], kind="stable")] for f in range(self.n_features)])
            elif root.size == X.shape[0]:
                root_order = feature_order
            else:  # drop the zero-weight samples from every sorted row
                in_root = sample_weight != 0
                root_order = feature_order[in_root[feature_order]].reshape(self.n_features, root.size)
            self._mark = np.zeros(X.shape[0], dtype=bool)
        records = _NodeRecords()
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.max_leaf_nodes > 0:
                self._build_best_first(records, root, root_order)
            else:
                self._build_depth_first(records, root, root_order)
        records.to_tree(tree)

    def presorts(self, n_samples: int, n_features: int) -> bool:
        """Whether ``build`` sorts each feature once (and so uses a ``feature_order``) for data of this size.

        Nodes then keep their samples sorted by every feature through stable partitions; tied samples stay in
        index order, which only changes how inexact sums round.
        """
        return (self.splitter == "best" and not isinstance(self.criterion, AbsoluteErrorCriterion)
                and 2 * self.max_features >= n_features and n_samples * n_features <= _PRESORT_ELEMENTS)

    # -- node bookkeeping -------------------------------------------------------------------------------

    def _node_summary(self, idx: np.ndarray) -> tuple[np.ndarray, float]:
        tot = self.stats[idx].sum(axis=0)
        w = float(idx.size) if self.unit_weights else float(self.sw[idx].sum())
        return tot, w

    def _impurity(self, idx: np.ndarray, tot: np.ndarray, w: float) -> float:
        if isinstance(self.criterion, AbsoluteErrorCriterion):
            return self.criterion.node_impurity(self.stats[idx])
        return self.criterion.node_impurity(tot, w)

    def _value(self, idx: np.ndarray, tot: np.ndarray, w: float) -> np.ndarray:
        if isinstance(self.criterion, AbsoluteErrorCriterion):
            return self.criterion.value(self.stats[idx], w)
        return self.criterion.value(tot, w)

    def _try_split(self, idx: np.ndarray, depth: int, tot: np.ndarray, w: float, impurity: float,
                   n_constant: int, order: np.ndarray | None = None):
        """The chosen split of a node (or None for a leaf) and the constant-feature count for children.

        ``order`` (presorting only) holds the node's samples sorted by each feature, one row per feature, or
        the ``(parent_order, parent_left_samples, is_left)`` it is cut from when the node turns out to split.
        """
        n = idx.size
        if (depth >= self.max_depth or n < self.min_samples_split or n < 2 * self.min_samples_leaf
                or w < 2 * self.min_weight_leaf or impurity <= EPSILON):
            return None, n_constant
        if isinstance(order, tuple):
            order = self._child_order(*order)
        split, n_constant = self._node_split(idx, tot, w, impurity, n_constant, order)
        if split is None or split["improvement"] + EPSILON < self.min_impurity_decrease:
            return None, n_constant
        return split, n_constant

    def _build_depth_first(self, records: _NodeRecords, root: np.ndarray, root_order: np.ndarray | None) -> None:
        tot, w = self._node_summary(root)
        stack = [(root, tot, w, 0, TREE_UNDEFINED, False, self._impurity(root, tot, w), 0, root_order)]
        while stack:
            idx, tot, w, depth, parent, is_left, impurity, n_constant, order = stack.pop()
            split, n_constant = self._try_split(idx, depth, tot, w, impurity, n_constant, order)
            node = records.add(parent, is_left, idx.size, w, impurity, self._value(idx, tot, w))
            if split is not None:
                records.set_split(node, split)
                stack.append((split["right"], split["stats_right"], split["w_right"], depth + 1, node, False,
                              split["impurity_right"], n_constant, split.get("right_order")))
                stack.append((split["left"], split["stats_left"], split["w_left"], depth + 1, node, True,
                              split["impurity_left"], n_constant, split.get("left_order")))

    def _build_best_first(self, records: _NodeRecords, root: np.ndarray, root_order: np.ndarray | None) -> None:
        frontier: list = []
        counter = 0

        def add(idx, tot, w, depth, parent, is_left, impurity, order):
            nonlocal counter
            split, _ = self._try_split(idx, depth, tot, w, impurity, 0, order)
            node = records.add(parent, is_left, idx.size, w, impurity, self._value(idx, tot, w))
            improvement = 0.0 if split is None else split["improvement"]
            heapq.heappush(frontier, (-improvement, counter, node, depth, split))
            counter += 1

        tot, w = self._node_summary(root)
        add(root, tot, w, 0, TREE_UNDEFINED, False, self._impurity(root, tot, w), root_order)
        max_split_nodes = self.max_leaf_nodes - 1
        while frontier:
            _, _, node, depth, split = heapq.heappop(frontier)
            if split is None or max_split_nodes <= 0:
                continue
            records.set_split(node, split)
            max_split_nodes -= 1
            add(split["left"], split["stats_left"], split["w_left"], depth + 1, node, True, split["impurity_left"],
                split.get("left_order"))
            add(split["right"], split["stats_right"], split["w_right"], depth + 1, node, False,
                split["impurity_right"], split.get("right_order"))

    # -- split search ------------------------------------------------------------------------------------

    def _draw_features(self, idx: np.ndarray, n_known: int, order: np.ndarray | None = None):
        """scikit-learn's Fisher-Yates feature draw with constant-feature bookkeeping.

        Returns the non-constant features in the order they were visited, their random thresholds (random
        splitter), the number of constant features known for the children, and the node's rows of ``X``
        (None for very large nodes).
        """
        feats, rng = self.features, self.rng
        # gather the whole node once when small; for big nodes only the drawn columns are read
        cheap = idx.size * self.n_features <= _CHUNK_ELEMENTS and (
            idx.size <= 2000 or 2 * self.max_features >= self.n_features)
        Xn = None
        if order is not None:  # the first and last samples of each sorted row
            every = np.arange(self.n_features)
            lo, hi = self.X[order[:, 0], every].tolist(), self.X[order[:, -1], every].tolist()
            cheap = True
        elif cheap:
            Xn = self.X[idx]
            lo, hi = Xn.min(axis=0).tolist(), Xn.max(axis=0).tolist()
        f_i = self.n_features
        n_visited = n_found = n_drawn = 0
        n_total = n_known
        visited, ranges = [], []
        while f_i > n_total and (n_visited < self.max_features or n_visited <= n_found + n_drawn):
            n_visited += 1
            f_j = rng.randint(n_drawn, f_i - n_found)
            if f_j < n_known:
                feats[n_drawn], feats[f_j] = feats[f_j], feats[n_drawn]
                n_drawn += 1
                continue
            f_j += n_found
            f = feats[f_j]
            if cheap:
                f_min, f_max = lo[f], hi[f]
            else:
                column = self.X[idx, f]
                f_min, f_max = float(column.min()), float(column.max())
            if f_max <= f_min + FEATURE_THRESHOLD:
                feats[f_j], feats[n_total] = feats[n_total], feats[f_j]
                n_found += 1
                n_total += 1
                continue
            f_i -= 1
            feats[f_i], feats[f_j] = feats[f_j], feats[f_i]
            visited.append(f)
            if self.splitter == "random":
                threshold = rng.uniform(f_min, f_max)
                ranges.append(f_min if threshold == f_max else threshold)
        feats[:n_known] = self.constant_features[:n_known]
        self.constant_features[n_known:n_total] = feats[n_known:n_total]
        return visited, ranges, n_total, Xn

    def _node_split(self, idx: np.ndarray, tot: np.ndarray, w: float, impurity: float, n_constant: int,
                    order: np.ndarray | None = None):
        visited, thresholds, n_constant, Xn = self._draw_features(idx, n_constant, order)
        if not visited:
            return None, n_constant
        if self.splitter == "random":
            split = self._random_split(idx, visited, thresholds, tot, w, Xn)
        else:
            split = self._best_split(idx, visited, tot, w, Xn, order)
        if split is None:
            return None, n_constant
        crit = self.criterion
        if isinstance(crit, AbsoluteErrorCriterion):
            imp_l = crit.node_impurity(self.stats[split["left"]])
            imp_r = crit.node_impurity(self.stats[split["right"]])
        else:
            imp_l = crit.node_impurity(split["stats_left"], split["w_left"])
            imp_r = crit.node_impurity(split["stats_right"], split["w_right"])
        split["impurity_left"], split["impurity_right"] = imp_l, imp_r
        split["improvement"] = (w / self.total_weight) * (
            impurity - split["w_right"] / w * imp_r - split["w_left"] / w * imp_l)
        return split, n_constant

    def _valid_sizes(self, n_left: np.ndarray, n: int, w_left: np.ndarray, w: float) -> np.ndarray:
        ok = (n_left >= self.min_samples_leaf) & (n - n_left >= self.min_samples_leaf)
        if self.min_weight_leaf > 0:
            ok = ok & (w_left >= self.min_weight_leaf) & (w - w_left >= self.min_weight_leaf)
        return ok

    def _best_split(self, idx: np.ndarray, visited: list[int], tot: np.ndarray, w: float, Xn: np.ndarray | None,
                    order: np.ndarray | None = None):
        n = idx.size
        lo, hi = self.min_samples_leaf - 1, n - self.min_samples_leaf  # allowed rows of the (n-1) positions
        stats = self.split_stats
        sliced = stats is not self.stats
        tot_split = tot[:stats.shape[1]]
        per_chunk = max(1, _CHUNK_ELEMENTS // max(1, n * stats.shape[1]))
        best_proxy, best = -np.inf, None
        for start in range(0, len(visited), per_chunk):
            feats = visited[start:start + per_chunk]
            if order is not None:
                sidx = order[feats].T
                xs = self.X[sidx, feats].astype(np.float64)
            else:
                Xs = Xn[:, feats] if Xn is not None else self.X[idx[:, None], feats]
                rank = Xs.argsort(axis=0, kind="stable")
                xs = Xs[rank, np.arange(len(feats))].astype(np.float64)
                sidx = idx[rank]
            valid = xs[1:] > xs[:-1] + FEATURE_THRESHOLD
            valid[:lo] = False
            valid[hi:] = False
            left = None
            if not isinstance(self.criterion, AbsoluteErrorCriterion):
                left = stats[sidx].cumsum(axis=0)[:-1]
            if self.unit_weights:
                w_left = np.arange(1.0, n)[:, None]
            elif self.exact_sums and self.criterion.n_outputs == 1:
                w_left = left.sum(axis=-1)  # integer class counts add up to the exact weight
            else:
                w_left = self.sw[sidx].cumsum(axis=0)[:-1]
            if self.min_weight_leaf > 0:
                valid &= (w_left >= self.min_weight_leaf) & (w - w_left >= self.min_weight_leaf)
            if left is None:
                proxy = self._absolute_error_proxies(sidx, w_left, w)
            else:
                proxy = self.criterion.proxy(left, w_left, tot_split - left, w - w_left)
            if not self.positive_weights:
                valid &= proxy == proxy  # zero-weight children give NaN
            proxy[~valid] = -np.inf
            top = proxy.max()
            if not top > best_proxy:
                continue
            # the first feature (in draw order) reaching the maximum, at its first position
            j = int(np.argmax((proxy == top).any(axis=0)))
            p = int(np.argmax(proxy[:, j] == top)) + 1
            best_proxy = top
            w_l = float(w_left[p - 1, 0] if self.unit_weights else w_left[p - 1, j])
            best = {"feature": feats[j], "threshold": xs[p - 1, j] / 2.0 + xs[p, j] / 2.0,
                    "left": sidx[:p, j], "right": sidx[p:, j], "w_left": w_l,
                    "stats_left": None if left is None or sliced else left[p - 1, j]}
        if best is None:
            return None
        if order is not None:  # children cut their sorted rows from ours only if they split (leaves never do)
            best["left_order"] = (order, best["left"], True)
            best["right_order"] = (order, best["left"], False)
        return self._finish(best, w, tot)

    def _child_order(self, parent_order: np.ndarray, parent_left: np.ndarray, is_left: bool) -> np.ndarray:
        """A child's samples sorted by every feature: a stable partition of each of the parent's rows."""
        self._mark[parent_left] = True
        goes_left = self._mark[parent_order]
        self._mark[parent_left] = False
        if not is_left:
            goes_left = ~goes_left
        return parent_order[goes_left].reshape(self.n_features, -1)

    def _absolute_error_proxies(self, sidx: np.ndarray, w_left: np.ndarray, w: float) -> np.ndarray:
        w_left = np.broadcast_to(w_left, (sidx.shape[0] - 1, sidx.shape[1]))
        out = np.empty(w_left.shape)
        for j in range(sidx.shape[1]):
            imp_l, imp_r = self.criterion.split_impurities(self.stats[sidx[:, j]])
            out[:, j] = -(w - w_left[:, j]) * imp_r - w_left[:, j] * imp_l
        return out

    def _random_split(self, idx: np.ndarray, visited: list[int], thresholds: list[float], tot: np.ndarray,
                      w: float, Xn: np.ndarray | None):
        n = idx.size
        Xs = Xn[:, visited] if Xn is not None else self.X[np.ix_(idx, visited)]
        goes_left = Xs <= np.asarray(thresholds)
        n_left = goes_left.sum(axis=0)
        weights = self.sw[idx]
        w_left = n_left.astype(np.float64) if self.unit_weights else weights @ goes_left
        valid = self._valid_sizes(n_left, n, w_left, w)
        crit = self.criterion
        if isinstance(crit, AbsoluteErrorCriterion):
            proxy = np.full(len(visited), -np.inf)
            for j in np.flatnonzero(valid):
                mask = goes_left[:, j]
                proxy[j] = -(crit.node_impurity(self.stats[idx[~mask]]) * (w - w_left[j])
                             + crit.node_impurity(self.stats[idx[mask]]) * w_left[j])
        else:
            left = goes_left.T.astype(np.float64) @ self.stats[idx]
            proxy = crit.proxy(left, w_left, tot - left, w - w_left)
        proxy = np.where(valid & ~np.isnan(proxy), proxy, -np.inf)
        j = int(np.argmax(proxy))
        if proxy[j] == -np.inf:
            return None
        mask = goes_left[:, j]
        best = {"feature": visited[j], "threshold": float(thresholds[j]), "left": idx[mask], "right": idx[~mask],
                "w_left": float(w_left[j]), "stats_left": None if self.criterion_is_mae else left[j]}
        return self._finish(best, w, tot)

    def _finish(self, best: dict, w: float, tot: np.ndarray) -> dict:
        best["w_right"] = w - best["w_left"]
        if best.get("stats_left") is None or not self.exact_sums:
            best["stats_left"] = self.stats[best["left"]].sum(axis=0)
            best["stats_right"] = self.stats[best["right"]].sum(axis=0)
            if not self.unit_weights:  # summed row by row like the children's own totals
                best["w_left"] = float(self.sw[best["left"], None].sum(axis=0)[0])
                best["w_right"] = float(self.sw[best["right"], None].sum(axis=0)[0])
        else:
            best["stats_right"] = tot - best["stats_left"]
        best["n_left"], best["n_right"] = best["left"].size, best["right"].size
        return best


def prune_tree(tree: Tree, ccp_alpha: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Minimal cost-complexity (weakest link) pruning.

    Returns the mask of nodes kept, the mask of kept nodes that are leaves, and the pruning path
    (``ccp_alphas``, ``impurities``) up to ``ccp_alpha`` -- the whole path when ``ccp_alpha`` is None.
    """
    n = tree.node_count
    left, right = tree.children_left, tree.children_right
    r_node = tree.weighted_n_node_samples * tree.impurity / tree.weighted_n_node_samples[0]
    order = tree._preorder()
    parent = np.full(n, TREE_UNDEFINED, dtype=np.intp)
    internal = left != TREE_LEAF
    parent[left[internal]] = np.flatnonzero(internal)
    parent[right[internal]] = np.flatnonzero(internal)
    position = np.empty(n, dtype=np.intp)
    position[order] = np.arange(n)
    order = np.asarray(order)
    size = np.ones(n, dtype=np.intp)
    for node in order[::-1]:
        if internal[node]:
            size[node] += size[left[node]] + size[right[node]]
    is_leaf = ~internal
    r_branch = np.where(is_leaf, r_node, 0.0)
    leaf_count = is_leaf.astype(np.intp)
    for node in order[::-1]:  # children before parents
        if internal[node]:
            r_branch[node] = r_branch[left[node]] + r_branch[right[node]]
            leaf_count[node] = leaf_count[left[node]] + leaf_count[right[node]]
    n_leaves = np.where(is_leaf, 0, leaf_count)  # leaves below each internal node, 0 at leaves
    candidate = internal.copy()
    in_subtree = np.ones(n, dtype=bool)
    leaves_in = is_leaf.copy()
    alphas, impurities = [0.0], [r_branch[0]]
    while candidate[0]:
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(candidate, (r_node - r_branch) / (n_leaves - 1), np.inf)
        node = int(np.argmin(alpha))
        effective = float(alpha[node])
        if ccp_alpha is not None and ccp_alpha < effective:
            break
        sub = order[position[node]:position[node] + size[node]]
        in_subtree[sub] = candidate[sub] = leaves_in[sub] = False
        in_subtree[node] = leaves_in[node] = True
        pruned = n_leaves[node] - 1
        n_leaves[node] = 0
        diff = r_node[node] - r_branch[node]
        r_branch[node] = r_node[node]
        up = parent[node]
        while up != TREE_UNDEFINED:
            n_leaves[up] -= pruned
            r_branch[up] += diff
            up = parent[up]
        alphas.append(effective)
        impurities.append(r_branch[0])
    return in_subtree, leaves_in, np.asarray(alphas), np.asarray(impurities)


def pruned_copy(tree: Tree, keep: np.ndarray, leaves: np.ndarray) -> Tree:
    """A new ``Tree`` with the kept nodes renumbered depth-first, ``leaves`` made leaves."""
    records = _NodeRecords()
    stack = [(0, TREE_UNDEFINED, False)]
    while stack:
        old, parent, is_left = stack.pop()
        node = records.add(parent, is_left, int(tree.n_node_samples[old]), float(tree.weighted_n_node_samples[old]),
                           float(tree.impurity[old]), tree.value[old])
        if not leaves[old]:
            records.feature[node] = int(tree.feature[old])
            records.threshold[node] = float(tree.threshold[old])
            records.missing[node] = int(tree.missing_go_to_left[old])
            stack.append((int(tree.children_right[old]), node, False))
            stack.append((int(tree.children_left[old]), node, True))
    out = Tree(tree.n_features, tree.n_classes, tree.n_outputs)
    records.to_tree(out)
    return out
