"""Best-first growth of one tree on gradient/hessian histograms (the node with the largest gain splits next)."""
from __future__ import annotations

import heapq

import numpy as np

from .histogram import HistogramBuilder
from .predictor import TreePredictor
from .splitting import Splitter


class _Node:
    __slots__ = ("depth", "sample_indices", "sum_gradients", "sum_hessians", "value", "histogram", "split",
                 "left", "right", "is_leaf", "children_bounds", "allowed_features", "constraint_groups")

    def __init__(self, depth, sample_indices, sum_gradients, sum_hessians, value):
        self.depth, self.sample_indices = depth, sample_indices
        self.sum_gradients, self.sum_hessians, self.value = sum_gradients, sum_hessians, value
        self.histogram = self.split = self.left = self.right = None
        self.is_leaf = False
        self.children_bounds = (-np.inf, np.inf)  # range of the children's values (monotonic constraints)
        self.allowed_features = self.constraint_groups = None  # interaction constraints

    @property
    def n_samples(self) -> int:
        return self.sample_indices.shape[0]

    def __lt__(self, other: _Node) -> bool:  # heapq pops the node with the largest gain first
        return self.split.gain > other.split.gain


class TreeGrower:
    """Grows one regression tree on the gradients (and hessians) of the current boosting iteration.

    Args:
        X_binned: feature-major uint8 codes (n_features, n_samples).
        histograms: a builder over ``X_binned`` shared by the trees of a fit (made here when None).
        gradients, hessians: float32 per sample; ``hessians=None`` means a constant hessian of 1.
        shrinkage: learning rate multiplied into the leaf values at the end.
        monotonic_cst: per feature, +1 / −1 for values increasing / decreasing along it, 0 for no constraint.
        interaction_cst: groups of features allowed to interact (each branch only uses features of the groups
            that contain all the features split on above it).
        is_categorical: per feature, whether its bins are unordered categories.
    """

    def __init__(self, X_binned: np.ndarray, gradients: np.ndarray, hessians: np.ndarray | None, *, n_bins: int,
                 histograms: HistogramBuilder | None = None, n_bins_non_missing: np.ndarray,
                 has_missing_values: np.ndarray, max_leaf_nodes: int | None = None,
                 max_depth: int | None = None, min_samples_leaf: int = 20, l2_regularization: float = 0.0,
                 feature_fraction: float = 1.0, rng=None, shrinkage: float = 1.0,
                 monotonic_cst: np.ndarray | None = None, interaction_cst: list[set] | None = None,
                 is_categorical: np.ndarray | None = None):
        self.X_binned = X_binned
        self.has_missing_values = has_missing_values
        self.histograms = HistogramBuilder(X_binned, n_bins) if histograms is None else histograms
        self.histograms.set_gradients(gradients, hessians)
        self.splitter = Splitter(n_bins_non_missing, has_missing_values, n_bins, min_samples_leaf=min_samples_leaf,
                                 l2_regularization=l2_regularization, constant_hessian=hessians is None,
                                 feature_fraction=feature_fraction, rng=rng, monotonic_cst=monotonic_cst,
                                 is_categorical=is_categorical)
        self.monotonic_cst = None if monotonic_cst is None or not np.any(monotonic_cst) else monotonic_cst
        self.interaction_cst = interaction_cst
        self.max_leaf_nodes, self.max_depth = max_leaf_nodes, max_depth
        self.min_samples_leaf, self.shrinkage = min_samples_leaf, shrinkage
        self.splittable: list[_Node] = []
        self.leaves: list[_Node] = []
        self._init_root(X_binned.shape[1])

    def _init_root(self, n_samples: int) -> None:
        hist = self.histograms.build(None)
        sum_hessians = float(n_samples) if self.histograms.hessians is None else float(hist[1, 0].sum())
        self.root = root = _Node(0, np.arange(n_samples), float(hist[0, 0].sum()), sum_hessians, 0.0)
        if n_samples < 2 * self.min_samples_leaf or sum_hessians < self.splitter.min_hessian:
            self._make_leaf(root)
            return
        root.histogram = hist
        if self.interaction_cst is not None:
            root.constraint_groups = list(range(len(self.interaction_cst)))
            root.allowed_features = np.array(sorted(set().union(*self.interaction_cst)), dtype=np.intp)
        self._find_splits_and_push([root], hist[None])

    def _make_leaf(self, node: _Node) -> None:
        node.is_leaf = True
        node.histogram = None
        self.leaves.append(node)

    def _find_splits_and_push(self, nodes: list[_Node], block: np.ndarray) -> None:
        """Finds the best split of ``nodes`` (histograms stacked in ``block``); splittable ones go on the heap."""
        bounds = None
        if self.monotonic_cst is not None:
            bounds = ([n.children_bounds[0] for n in nodes], [n.children_bounds[1] for n in nodes])
        allowed = None if self.interaction_cst is None else [n.allowed_features for n in nodes]
        splits = self.splitter.find_node_splits(block, [n.n_samples for n in nodes],
                                                [n.sum_gradients for n in nodes], [n.sum_hessians for n in nodes],
                                                [n.value for n in nodes], bounds, allowed)
        for node, split in zip(nodes, splits):
            node.split = split
            if split.gain <= 0:
                self._make_leaf(node)
            else:
                heapq.heappush(self.splittable, node)

    def grow(self) -> TreeGrower:
        while self.splittable:
            self._split_next()
        for leaf in self.leaves:
            leaf.value *= self.shrinkage
        return self

    def _split_next(self) -> None:
        node = heapq.heappop(self.splittable)
        split = node.split
        codes = self.X_binned[split.feature].take(node.sample_indices)
        missing = self.histograms.n_bins - 1
        if split.left_categories is not None:
            goes_left = split.left_categories[codes]
        else:
            goes_left = codes <= split.bin_idx
            if split.missing_go_to_left:
                goes_left |= codes == missing
        depth = node.depth + 1
        # ``take`` of the positions is several times faster than boolean-mask indexing here
        left = node.left = _Node(depth, node.sample_indices.take(np.flatnonzero(goes_left)),
                                 split.sum_gradient_left, split.sum_hessian_left, split.value_left)
        right = node.right = _Node(depth, node.sample_indices.take(np.flatnonzero(~goes_left)),
                                   split.sum_gradient_right, split.sum_hessian_right, split.value_right)
        if self.interaction_cst is not None:
            groups = [i for i in node.constraint_groups if split.feature in self.interaction_cst[i]]
            allowed = np.array(sorted(set().union(*(self.interaction_cst[i] for i in groups))), dtype=np.intp)
            for child in (left, right):
                child.constraint_groups, child.allowed_features = groups, allowed
        if not self.has_missing_values[split.feature]:
            # unseen missing values at predict time follow the larger child
            split.missing_go_to_left = left.n_samples > right.n_samples
        n_leaves = len(self.leaves) + len(self.splittable) + 2
        if self.max_leaf_nodes is not None and n_leaves == self.max_leaf_nodes:
            self._make_leaf(left)
            self._make_leaf(right)
            while self.splittable:
                self._make_leaf(self.splittable.pop())
        if self.max_depth is not None and depth == self.max_depth:
            for child in (left, right):
                if not child.is_leaf:
                    self._make_leaf(child)
        for child in (left, right):
            if not child.is_leaf and child.n_samples < 2 * self.min_samples_leaf:
                self._make_leaf(child)
        if self.monotonic_cst is not None:
            self._bound_children(node, left, right)
        growing = [i for i, child in enumerate((left, right)) if not child.is_leaf]
        if growing:
            # the smaller child's histogram from its samples, the larger one's by subtraction from the parent
            block = np.empty((2,) + node.histogram.shape)
            i_small = 0 if left.n_samples < right.n_samples else 1
            self.histograms.build((left, right)[i_small].sample_indices, out=block[i_small])
            np.subtract(node.histogram, block[i_small], out=block[1 - i_small])
            for i in growing:
                (left, right)[i].histogram = block[i]
            self._find_splits_and_push([(left, right)[i] for i in growing],
                                       block if len(growing) == 2 else block[growing[0]:growing[0] + 1])
        node.histogram = None

    def leaf_values_per_sample(self, n_samples: int) -> np.ndarray:
        """The value of the leaf each training sample ended in (0 for samples outside the tree)."""
        values = np.zeros(n_samples)
        for leaf in self.leaves:
            values[leaf.sample_indices] = leaf.value
        return values

    def _bound_children(self, node: _Node, left: _Node, right: _Node) -> None:
        """Bounds the values below a split on a constrained feature by the midpoint of the two children."""
        lower, upper = node.children_bounds
        cst = self.monotonic_cst[node.split.feature]
        if cst == 0:
            left.children_bounds = right.children_bounds = (lower, upper)
            return
        mid = (left.value + right.value) / 2
        if cst == 1:
            left.children_bounds, right.children_bounds = (lower, mid), (mid, upper)
        else:
            left.children_bounds, right.children_bounds = (mid, upper), (lower, mid)

    def make_predictor(self, bin_thresholds: list, n_bins_non_missing: np.ndarray) -> TreePredictor:
        """Flattens the tree (depth-first, left before right) with raw-value thresholds."""
        nodes: list[dict] = []

        def add(node: _Node) -> int:
            idx = len(nodes)
            record = {"depth": node.depth, "count": node.n_samples, "value": node.value if node.is_leaf else 0.0,
                      "is_leaf": node.is_leaf, "feature": 0, "num_threshold": 0.0, "bin_threshold": 0,
                      "missing_go_to_left": False, "left": 0, "right": 0, "gain": -1.0, "left_categories": None}
            nodes.append(record)
            if not node.is_leaf:
                split = node.split
                last_bin = split.bin_idx == n_bins_non_missing[split.feature] - 1
                record.update(feature=split.feature, bin_threshold=split.bin_idx, gain=split.gain,
                              missing_go_to_left=split.missing_go_to_left, left_categories=split.left_categories,
                              num_threshold=np.inf if last_bin else bin_thresholds[split.feature][split.bin_idx])
                record["left"] = add(node.left)
                record["right"] = add(node.right)
            return idx

        add(self.root)
        return TreePredictor(nodes)
