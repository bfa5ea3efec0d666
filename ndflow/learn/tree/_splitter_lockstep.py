"""Growing many independent trees in lock-step: one node of every tree per step.

Every tree of a forest has its own ``rand_r`` stream and grows depth-first exactly as ``TreeBuilder`` grows
it; the trees only share the work. Step ``s`` pops the top of every tree's stack and draws features, scores
candidate splits and partitions samples for all those nodes with one set of NumPy calls, so the Python cost
of a node is divided by the number of trees grown together.

Feature draws are first made assuming that no drawn feature is constant in its node (the usual case), all
nodes at once; nodes where that guess fails redo their draws with the exact step-by-step scheme. Random splits
of unit-weight samples (ExtraTrees without bootstrap) take a leaner path with fewer NumPy calls per step.

Nodes go into one append-only log (an array row per field; a step appends its children with slice
assignments); each tree's stack is a fixed block of rows of one array, so a step pops and pushes every tree's
records with one gather and one scatter.

This path covers single-output gini classification grown depth-first with integer sample weights (bootstrap
counts): class counts are then exact in any summation order, so the trees are identical to those of
``TreeBuilder`` (and scikit-learn) whatever order the samples of a node are kept in. It also covers
single-output squared-error regression (best and random splitters) with integer sample weights; there the
weighted target sums may round differently from scikit-learn's running sums, so in rare near-ties another split
wins (with integer targets the sums are exact and the trees identical).
"""
from __future__ import annotations

import numpy as np

from ..utils._ragged import ragged_arange
from ._criterion import EPSILON, ClassificationCriterion, SquaredErrorCriterion, gini
from ._tree import FEATURE_THRESHOLD, RAND_R_MAX, TREE_LEAF, TREE_UNDEFINED, Tree, TreeBuilder

# fields of the stack records (columns), and of the node log's integer (class weights last) and float rows
_START, _NODE, _NCONST, _DEPTH = range(4)
_N, _LEFT, _RIGHT, _FEATURE, _MISSING, _TOT = range(6)
_IMP, _THRESHOLD, _STATS = range(3)  # regression nodes keep (w, w·y, w·y²) in the float rows from _STATS
_STEP_SAMPLES = 1 << 15  # samples handled by one set of NumPy calls, at most about
_STEP_BYTES = 16 << 20  # about the most memory the temporaries of a step take
_STACK_DEPTH = 64  # stack records per tree to start with (doubled when a tree grows deeper)


def lockstep_supported(builder: TreeBuilder, y: np.ndarray, sample_weight: np.ndarray) -> bool:
    """Whether ``build_lockstep`` grows the same tree as ``builder.build`` would for these inputs."""
    crit = builder.criterion
    if isinstance(crit, ClassificationCriterion):
        kind_ok = crit.name == "gini" and builder.splitter in ("best", "random")
    else:
        kind_ok = isinstance(crit, SquaredErrorCriterion) and builder.splitter in ("best", "random")
    return (kind_ok and crit.n_outputs == 1 and y.shape[1] == 1 and builder.max_leaf_nodes <= 0
            and bool(np.all(sample_weight >= 0)) and bool(np.all(sample_weight == np.round(sample_weight)))
            and float(np.sum(sample_weight)) < 2**31)  # class weights are kept as int32


def _xorshift(s: np.ndarray) -> np.ndarray:
    s = s ^ (s << np.uint32(13))
    s ^= s >> np.uint32(17)
    return s ^ (s << np.uint32(5))


class _RandStreams:
    """``rand_r`` streams of many trees, ``size`` outputs computed ahead with one jump table.

    xorshift is linear over GF(2), so the state ``k`` steps ahead is the XOR of a table entry per byte.
    """

    def __init__(self, seeds: np.ndarray, size: int):
        self.size = size
        basis = (np.arange(256, dtype=np.uint32)[None, :] << (8 * np.arange(4, dtype=np.uint32))[:, None])
        self.table = np.empty((4, 256, size), dtype=np.uint32)
        for k in range(size):
            basis = _xorshift(basis)
            self.table[:, :, k] = basis
        self.state = np.where(seeds == 0, 1, seeds).astype(np.uint32)  # state before the buffer
        self.out = np.empty((seeds.size, size), dtype=np.int64)
        self.states = np.empty((seeds.size, size), dtype=np.uint32)
        self.ptr = np.zeros(seeds.size, dtype=np.int64)
        self._fill(np.arange(seeds.size))

    def _fill(self, trees: np.ndarray) -> None:
        s = self.state[trees]
        t = self.table
        states = t[0, s & 0xFF] ^ t[1, (s >> 8) & 0xFF] ^ t[2, (s >> 16) & 0xFF] ^ t[3, s >> 24]
        self.states[trees] = states
        self.out[trees] = states & RAND_R_MAX
        self.ptr[trees] = 0

    def reserve(self, trees: np.ndarray, n: int) -> None:
        """Makes sure each of ``trees`` has ``n`` outputs left in its buffer."""
        low = trees[self.ptr[trees] + n > self.size]
        if low.size:
            used = self.ptr[low]
            self.state[low] = np.where(used > 0, self.states[low, np.maximum(used - 1, 0)], self.state[low])
            self._fill(low)

    def peek(self, trees: np.ndarray, offset) -> np.ndarray:
        return self.out[trees, self.ptr[trees] + offset]

    def ahead(self, trees: np.ndarray, n: int) -> np.ndarray:
        """The next ``n`` outputs of each of ``trees`` (trees x n), left unconsumed."""
        ptr = self.ptr.take(trees)
        if (ptr + n > self.size).any():
            self.reserve(trees, n)
            ptr = self.ptr.take(trees)
        return self.out.ravel().take((trees * self.size + ptr)[:, None] + np.arange(n))


class _Forest:
    """Per-tree state of trees grown together: RNG streams, feature permutations, stacks and nodes.

    The nodes of all trees go into one log in creation order (a node's id is its position there; the roots come
    first); each tree's stack holds the ids of its nodes still to split, with their depth, where their samples
    start and how many constant features they know. Nodes are renumbered depth-first (scikit-learn's order) at
    the end.
    """

    def __init__(self, builders: list[TreeBuilder], X: np.ndarray, y: np.ndarray, weights: list[np.ndarray]):
        # glibc's malloc gives freed memory back to the system (and faults it in again, page by page) once
        # twice its mmap threshold is free; freeing one big block raises that threshold to the block's size, so
        # the steps' temporaries then stay mapped from one step to the next
        np.empty(_STEP_BYTES, dtype=np.uint8)
        b = builders[0]
        self.b, self.X = b, X
        self.X_flat = np.ascontiguousarray(X).ravel()
        self.T, self.F = len(builders), X.shape[1]
        self.regression = not isinstance(b.criterion, ClassificationCriterion)
        self.K = 3 if self.regression else b.criterion.max_n_classes  # columns of a node's statistics
        self.random = b.splitter == "random"
        self.rng = _RandStreams(np.array([r.rng.state for r in builders], dtype=np.uint32), max(256, 4 * self.F + 4))
        self.feats = np.tile(np.arange(self.F, dtype=np.int64), (self.T, 1))
        self.const = self.feats.copy()
        self.y = y[:, 0].astype(np.float64 if self.regression else np.int64)  # target or class of every sample
        # every tree's samples of nonzero weight, one block per tree; random splits keep each node's samples
        # grouped by class (stable partitions keep the grouping): with unit weights, left class counts are then
        # sums over each class's block
        sizes = np.array([np.count_nonzero(w) for w in weights], dtype=np.int64)
        self.samples, self.wts = np.empty(int(sizes.sum()), dtype=np.int64), np.empty(int(sizes.sum()))
        root_tot, self.total_weight = np.empty((self.T, self.K)), np.empty(self.T)
        for t, (w, at) in enumerate(zip(weights, np.cumsum(sizes) - sizes)):
            rows = np.flatnonzero(w)
            cls = self.y.take(rows)
            if self.random and not self.regression:
                order = np.argsort(cls.astype(np.uint16) if self.K <= 1 << 16 else cls, kind="stable")
                rows, cls = rows.take(order), cls.take(order)
            wt = w.take(rows)
            self.samples[at:at + rows.size], self.wts[at:at + rows.size] = rows, wt
            if self.regression:
                wy = cls * wt
                root_tot[t] = wt.sum(), wy.sum(), (wy * cls).sum()
            else:
                root_tot[t] = np.bincount(cls, weights=wt, minlength=self.K)
            self.total_weight[t] = wt.sum()
        self.unit_weights = bool(np.all(self.wts == 1.0))
        self.class_blocks = self.random and self.unit_weights and not self.regression
        self.fast = (self.random and self.unit_weights and b.min_weight_leaf <= 0 and X.dtype == np.float32
                     and (self.class_blocks or self.regression))
        if self.class_blocks:
            self.wts = None  # never read
        if self.fast:  # a feature's values side by side (gathers from big nodes touch less memory), as int32 keys
            self.XT_keys = _float32_keys(np.ascontiguousarray(X.T).ravel())  # (integer min/max are faster)
            key_type = np.uint8 if 2 * self.T <= 256 else np.uint16 if 2 * self.T <= 65536 else np.int64
            self.side_keys = np.arange(0, 2 * self.T, 2, dtype=key_type)  # stable sorts of small keys: radix sorts
            draws = np.arange(b.max_features)
            self.draw_range, self.draw_last = self.F - draws, self.F - 1 - draws
        if not self.random:  # dense per-feature ranks: sorting by rank sorts by value
            ranks = np.empty(X.shape, dtype=np.int32)
            for f in range(self.F):
                ranks[:, f] = np.unique(X[:, f], return_inverse=True)[1]
            self.ranks_flat = ranks.ravel()
        # a tree of n samples has at most 2n - 1 nodes; zeroed memory takes no room until it is written
        capacity = 2 * self.samples.size + self.T
        ids_type = np.int32 if capacity < 2**31 else np.int64
        n_int, n_float = (0, self.K) if self.regression else (self.K, 0)
        self.log_i = np.zeros((_TOT + n_int, capacity), dtype=ids_type)  # a row per column
        self.log_f = np.zeros((_STATS + n_float, capacity))
        self.n_nodes = self.T
        self.arange_cache = np.arange(0)
        self.depth_cap = _STACK_DEPTH
        # row tree * depth_cap + level of tree's stack; children that do not split go to the last row, unread
        self.stack = np.zeros((self.T * self.depth_cap + 1, 4), dtype=np.int64)
        self.sp = np.zeros(self.T, dtype=np.int64)
        self.sp_bound = 1  # no stack is deeper (a step deepens a stack by one at most)
        every = np.arange(self.T)
        root_imp = self._impurity(root_tot, self.total_weight)
        self.log_i[_N, every], self._stats_log()[:, every] = sizes, root_tot.T
        self.log_f[_IMP, every] = root_imp
        ok = self._splittable(sizes, root_imp, 0, self.total_weight)
        roots = np.zeros((self.T, 4), dtype=np.int64)
        roots[:, _START], roots[:, _NODE] = np.cumsum(sizes) - sizes, every
        self.stack[every[ok] * self.depth_cap] = roots[ok]
        self.sp[ok] = 1

    def _stats_log(self) -> np.ndarray:
        """The rows of the node log that hold the nodes' statistics (class weights, or w, w·y and w·y²)."""
        return self.log_f[_STATS:] if self.regression else self.log_i[_TOT:]

    def _weight(self, stats: np.ndarray) -> np.ndarray:
        return stats[:, 0] if self.regression else stats.sum(axis=1)

    def _impurity(self, stats: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Gini impurity, or the weighted variance as ``SquaredErrorCriterion.node_impurity`` computes it."""
        if not self.regression:
            return gini(stats, w)
        mean = stats[:, 1] / w
        return stats[:, 2] / w - mean * mean

    def _take(self, rows: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """``X[rows[i], feats[j, i]]``, shape (features x samples); a flat ``take`` beats 2-axis indexing.

        ``feats`` must be a temporary: it is overwritten with the flat indices.
        """
        feats += rows * self.F
        return np.take(self.X_flat, feats)

    def _sort_keys(self, seg, n, rows, cand_feat):
        """Per candidate, keys that sort the step's samples by value within each node (ranks offset by node)."""
        N = self.X.shape[0]
        key_type = np.int32 if n.size * N < 2**31 else np.int64
        key = np.take(self.ranks_flat, (rows * self.F)[None, :] + np.repeat(cand_feat.T, n, axis=1))
        key = key.astype(key_type, copy=False)
        key += (seg * N).astype(key_type)[None, :]
        return key

    def _swap(self, feats: np.ndarray, rows: np.ndarray, a: np.ndarray, c: np.ndarray) -> None:
        va, vc = feats[rows, a], feats[rows, c]
        feats[rows, a] = vc
        feats[rows, c] = va

    # -- one step ----------------------------------------------------------------------------------------

    def _splittable(self, n, imp, depth, w) -> np.ndarray:
        b = self.b
        ok = (depth < b.max_depth) & (n >= max(b.min_samples_split, 2 * b.min_samples_leaf)) & (imp > EPSILON)
        if b.min_weight_leaf > 0:
            ok &= w >= 2 * b.min_weight_leaf
        return ok

    def _commit(self, trees, node, start, n, depth, n_left, left, right, imp_l, imp_r, nconst, feature, thr):
        """Records the splits of ``node`` (of ``trees``) and their children, and stacks the children that can
        split, the left one on top. ``left`` and ``right`` are the children's statistics (class weights, or w,
        w·y and w·y²); ``nconst`` is 0 or per node."""
        k, base = trees.size, self.n_nodes
        self.n_nodes = end = base + 2 * k
        ids = np.arange(base, end)  # right children, then left ones
        n_right = n - n_left
        log_i, log_f = self.log_i[:, base:end], self.log_f[:, base:end]
        log_i[_N, :k], log_i[_N, k:] = n_right, n_left
        log_s = self._stats_log()[:, base:end]
        log_s[:, :k], log_s[:, k:] = right.T, left.T
        log_f[_IMP, :k], log_f[_IMP, k:] = imp_r, imp_l
        # the parents' fields: a row of the log, then a 1-D fancy write (quicker than a 2-D one)
        self.log_i[_LEFT][node], self.log_i[_RIGHT][node] = ids[k:], ids[:k]
        self.log_i[_FEATURE][node], self.log_i[_MISSING][node] = feature, n_left > n_right
        self.log_f[_THRESHOLD][node] = thr
        depth = depth + 1
        ok = self._splittable(log_i[_N], log_f[_IMP], np.concatenate([depth, depth]),
                              np.concatenate([self._weight(right), self._weight(left)]) if self.b.min_weight_leaf > 0
                              else None)
        sp = self.sp.take(trees)
        rows = np.empty(2 * k, dtype=np.int64)
        np.add(trees * self.depth_cap, sp, out=rows[:k])  # the right child's row, the left one above it
        np.add(rows[:k], ok[:k], out=rows[k:])
        record = np.zeros((2 * k, 4), dtype=np.int64)
        record[:k, _START], record[k:, _START] = start + n_left, start
        record[:, _NODE] = ids
        record[:k, _DEPTH], record[k:, _DEPTH] = depth, depth
        if not np.isscalar(nconst):
            record[:k, _NCONST], record[k:, _NCONST] = nconst, nconst
        self.stack[np.where(ok, rows, self.stack.shape[0] - 1)] = record
        self.sp[trees] = sp + ok[:k] + ok[k:]

    def step(self) -> bool:
        active = np.flatnonzero(self.sp)
        if not active.size:
            return False
        if self.sp_bound >= self.depth_cap:
            self._deepen_stacks()
        self.sp_bound += 1
        top = self.sp.take(active) - 1
        self.sp[active] = top
        record = self.stack.take(active * self.depth_cap + top, axis=0)
        node, depth = record[:, _NODE], record[:, _DEPTH]
        ints = self.log_i.take(node, axis=1)
        n = ints[_N].astype(np.int64)
        tot = self._stats_log().take(node, axis=1).T if self.regression else ints[_TOT:].T
        imp = self.log_f[_IMP].take(node)
        ends = np.cumsum(n)
        groups = [slice(None)]
        if ends[-1] > _STEP_SAMPLES:
            # the trees are independent: huge steps (the first ones) go in groups of trees, which bounds the
            # temporaries' memory (touching fresh memory is slow)
            cuts = np.flatnonzero(np.diff(ends // _STEP_SAMPLES)) + 1
            groups = np.split(np.arange(active.size), cuts)
        for g in groups:
            args = (active[g], node[g], record[g, _START], n[g], depth[g], tot[g], imp[g])
            nconst = record[g, _NCONST]
            if not (self.fast and not nconst.any() and self._split_fast(*args)):
                self._split(*args, nconst)
        return True

    def _deepen_stacks(self) -> None:
        self.sp_bound = int(self.sp.max())
        if self.sp_bound < self.depth_cap:
            return
        stacks = self.stack[:-1].reshape(self.T, self.depth_cap, -1)
        self.depth_cap *= 2
        self.stack = np.zeros((self.T * self.depth_cap + 1, stacks.shape[2]), dtype=np.int64)
        self.stack[:-1].reshape(self.T, self.depth_cap, -1)[:, :stacks.shape[1]] = stacks

    def _split_fast(self, trees, node, start, n, depth, tot, imp) -> bool:
        """``_split`` for random splits of unit-weight samples (kept in class blocks for classification), with
        no known constant features: fewer NumPy calls. Returns False, having changed nothing, when a node draws a
        constant feature.
        """
        m, F, K, k = trees.size, self.F, self.K, self.b.max_features
        ends = np.cumsum(n)
        seg_starts, M = ends - n, int(ends[-1])
        steps = self._arange(M)
        pos = steps + np.repeat(start - seg_starts, n)
        rows = self.samples.take(pos)
        # scikit-learn's Fisher-Yates draws: visited features go to the end of each tree's permutation
        r = self.rng.ahead(trees, 2 * k)
        perm = self.feats.take(trees, axis=0)
        every = self._arange(m)
        flat, base = perm.ravel(), every[:, None] * F
        drawn = _fisher_yates(flat, base + r[:, ::2] % self.draw_range, base + self.draw_last).T
        idx = np.repeat(drawn * self.X.shape[0], n, axis=1)
        idx += rows
        values = self.XT_keys.take(idx)  # (features x samples)
        bounds = np.empty((2, k, m), dtype=np.int32)
        np.minimum.reduceat(values, seg_starts, axis=1, out=bounds[0])
        np.maximum.reduceat(values, seg_starts, axis=1, out=bounds[1])
        lo, hi = _keys_float32(bounds).astype(np.float64)
        if not (hi > lo + FEATURE_THRESHOLD).all():
            return False
        self.feats[trees] = perm
        self.rng.ptr[trees] += 2 * k
        thr = _random_thresholds(lo, hi, r[:, 1::2].T)
        goes_left = values <= np.repeat(_float32_keys(_comparable(thr, np.dtype(np.float32))), n, axis=1)
        w = n.astype(np.float64)
        if self.regression:
            n_left = np.add.reduceat(goes_left, seg_starts, axis=1, dtype=np.int64)
            sum_left = np.add.reduceat(np.where(goes_left, self.y.take(rows), 0.0), seg_starts, axis=1)
            w_left = n_left.astype(np.float64)
            proxy = self.b.criterion.proxy(sum_left[..., None], w_left, (tot[:, 1] - sum_left)[..., None], w - w_left)
        else:
            left = _class_block_sums(goes_left, tot, np.int32).reshape(k, m, K)
            n_left = left.sum(axis=2)
            left = left.astype(np.float64)
            tot = tot.astype(np.float64)
            right = tot - left
            w_left = n_left.astype(np.float64)
            w_right = w - w_left
            imp_l, imp_r = gini(left, w_left), gini(right, w_right)
            proxy = -w_right * imp_r - w_left * imp_l  # ``ClassificationCriterion.proxy``
        proxy = np.where(self._valid_sizes(n_left, n), proxy, -np.inf)  # (empty sides give NaN)
        j = np.argmax(proxy, axis=0)
        best = j * m + every
        has = proxy.ravel().take(best) > -np.inf
        chosen = goes_left.ravel().take(np.repeat(j * M, n) + steps)  # the samples going left, node by node
        n_left = n_left.ravel().take(best)
        if self.regression:  # the children's statistics summed afresh, as ``_split`` sums them
            left, right = self._children_stats(chosen, seg_starts, pos, rows)
            w_left, w_right = left[:, 0], right[:, 0]
            imp_l, imp_r = self._impurity(left, w_left), self._impurity(right, w_right)
        else:
            left, right = left.reshape(k * m, K).take(best, axis=0), right.reshape(k * m, K).take(best, axis=0)
            w_left, w_right = w_left.ravel().take(best), w_right.ravel().take(best)
            imp_l, imp_r = imp_l.ravel().take(best), imp_r.ravel().take(best)
        improvement = (w / self.total_weight[trees]) * (imp - w_right / w * imp_r - w_left / w * imp_l)
        has &= improvement + EPSILON >= self.b.min_impurity_decrease
        if not has.any():
            return True
        # stable partition of every node's samples, left side first (class blocks stay grouped)
        key = np.repeat(self.side_keys[:m], n)
        key += ~chosen
        self.samples[pos] = rows.take(np.argsort(key, kind="stable"))
        s = slice(None) if has.all() else np.flatnonzero(has)
        self._commit(trees[s], node[s], start[s], n[s], depth[s], n_left[s], left[s], right[s], imp_l[s],
                     imp_r[s], 0, drawn.ravel().take(best)[s], thr.ravel().take(best)[s])
        return True

    def _split(self, trees, node, start, n, depth, tot, imp, nconst) -> None:
        m = trees.size
        tot = tot.astype(np.float64)
        w = self._weight(tot)
        seg_starts = np.cumsum(n) - n
        pos = ragged_arange(start, n, seg_starts)
        rows = self.samples.take(pos)
        self.rng.reserve(trees, 2 * self.F + 2)
        cand_feat, cand_thr, cand_ok, n_total, Xc = self._draw(trees, nconst, rows, seg_starts, n)
        if Xc is None:
            Xc = self._take(rows, np.repeat(cand_feat.T, n, axis=1))
        if self.random:
            has, col, thr, left, goes_left, n_left = self._eval_random(seg_starts, n, pos, rows, Xc, tot, w,
                                                                        cand_thr, cand_ok)
        else:
            seg = np.repeat(np.arange(m), n)
            if self.regression:
                has, col, thr, goes_left = self._eval_best_regression(seg, seg_starts, n, pos, rows, Xc, w,
                                                                      tot[:, 1], cand_feat, cand_ok)
            else:
                has, col, thr, left = self._eval_best(seg, seg_starts, n, pos, rows, Xc, tot, w, cand_feat,
                                                      cand_ok)
                goes_left = _pick_rows(Xc, col, n) <= np.repeat(thr, n)
            n_left = np.add.reduceat(goes_left, seg_starts, dtype=np.int64)
        if self.regression:
            left, right = self._children_stats(goes_left, seg_starts, pos, rows)
            left_w, right_w = left[:, 0], right[:, 0]
        else:
            left_w = left.sum(axis=1)
            right, right_w = tot - left, w - left_w
        imp_l, imp_r = self._impurity(left, left_w), self._impurity(right, right_w)
        improvement = (w / self.total_weight[trees]) * (imp - right_w / w * imp_r - left_w / w * imp_l)
        has &= improvement + EPSILON >= self.b.min_impurity_decrease
        if not has.any():
            return
        s = slice(None) if has.all() else np.flatnonzero(has)  # a slice (views) in the usual case
        self._partition(start, n, pos, rows, goes_left, n_left)
        self._commit(trees[s], node[s], start[s], n[s], depth[s], n_left[s], left[s], right[s], imp_l[s],
                     imp_r[s], n_total[s], cand_feat[np.arange(m), col][s], thr[s])

    def _partition(self, start, n, pos, rows, goes_left, n_left) -> None:
        """Stable partition of the samples of every node (left side first); ``n_left`` counts ``goes_left``.

        Nodes that do not split get partitioned too, harmlessly: a leaf's sample order is never read.
        """
        left_idx, right_idx = np.flatnonzero(goes_left), np.flatnonzero(~goes_left)
        n_right = n - n_left
        # a node's left samples go to its start onwards, its right ones after them, both in their order
        to_left, to_right = ragged_arange(start, n_left), ragged_arange(start + n_left, n_right)
        self.samples[to_left] = rows.take(left_idx)
        self.samples[to_right] = rows.take(right_idx)
        if not self.unit_weights:
            wts = self.wts.take(pos)
            self.wts[to_left] = wts.take(left_idx)
            self.wts[to_right] = wts.take(right_idx)

    # -- feature draws -------------------------------------------------------------------------------------

    def _draw(self, trees, n_known, rows, seg_starts, n):
        """scikit-learn's Fisher-Yates feature draws of every node (see ``TreeBuilder._draw_features``).

        Returns per node the visited features and random thresholds (padded to a common width), which
        entries are real, the number of constant features known for the children, and the values of the
        visited features (features x samples) when every node kept its first guess (else None).
        """
        m, F, k = trees.size, self.F, self.b.max_features
        per = 2 if self.random else 1  # rand_r outputs per visited feature
        guess = np.flatnonzero(n_known == 0)
        feat = np.zeros((m, max(k, 1)), dtype=np.int64)
        thr = np.zeros((m, max(k, 1)))
        good = np.zeros(m, dtype=bool)
        if guess.size:
            tg = trees[guess]
            perm = self.feats[tg]
            r = self.rng.peek(tg[:, None], np.arange(per * k))
            flat, base = perm.ravel(), np.arange(guess.size) * F  # flat indices beat 2-axis indexing here
            draws = np.arange(k)
            drawn = _fisher_yates(flat, base[:, None] + r[:, :per * k:per] % (F - draws),
                                  base[:, None] + (F - 1 - draws))
            lo, hi, values = self._min_max(rows, seg_starts, n, guess, drawn)
            ok = (hi > lo + FEATURE_THRESHOLD).all(axis=1)
            if guess.size == m and ok.all():  # the usual case, without the bookkeeping of failed guesses
                self.feats[tg] = perm
                self.rng.ptr[tg] += per * k
                if self.random:
                    thr = _random_thresholds(lo, hi, r[:, 1::2])
                return drawn, thr, np.ones(drawn.shape, dtype=bool), n_known.copy(), values
            feat[guess, :k] = drawn
            g = guess[ok]
            good[g] = True
            self.feats[tg[ok]] = perm[ok]
            self.rng.ptr[tg[ok]] += per * k
            if self.random:
                thr[g] = _random_thresholds(lo[ok], hi[ok], r[ok][:, 1::2])
        n_total = n_known.copy()
        cand_ok = np.zeros(feat.shape, dtype=bool)
        cand_ok[good] = True
        slow = np.flatnonzero(~good)
        if not slow.size:
            return feat, thr, cand_ok, n_total, values
        s_feat, s_thr, s_ok, n_total[slow] = self._draw_exact(trees[slow], n_known[slow], rows, seg_starts, n, slow)
        width = max(feat.shape[1], s_feat.shape[1])
        feat, thr, cand_ok = (np.pad(a, ((0, 0), (0, width - a.shape[1]))) for a in (feat, thr, cand_ok))
        feat[slow], thr[slow], cand_ok[slow] = 0, 0.0, False
        c = s_feat.shape[1]
        feat[slow, :c], thr[slow, :c], cand_ok[slow, :c] = s_feat, s_thr, s_ok
        return feat, thr, cand_ok, n_total, None

    def _min_max(self, rows, seg_starts, n, nodes, feats):
        """Min and max (float64, nodes x features) of ``feats[i]`` over the samples of ``nodes[i]``, and the
        gathered values (features x samples)."""
        if nodes.size < n.size:
            n = n[nodes]
            rows = rows.take(ragged_arange(seg_starts[nodes], n))
            seg_starts = np.cumsum(n) - n
        values = self._take(rows, np.repeat(feats.T, n, axis=1))
        lo = np.minimum.reduceat(values, seg_starts, axis=1).T.astype(np.float64)
        hi = np.maximum.reduceat(values, seg_starts, axis=1).T.astype(np.float64)
        return lo, hi, values

    def _draw_exact(self, trees, n_known, rows, seg_starts, n, nodes):
        """The step-by-step draws, with constant-feature bookkeeping, for ``nodes`` (indices into the step)."""
        m, F, b = trees.size, self.F, self.b
        lo, hi, _ = self._min_max(rows, seg_starts, n, nodes, np.tile(np.arange(F), (m, 1)))
        f_i = np.full(m, F, dtype=np.int64)
        n_vis, n_found, n_drawn, used = (np.zeros(m, dtype=np.int64) for _ in range(4))
        n_total = n_known.copy()
        feats, const = self.feats[trees], self.const[trees]
        out_node, out_feat, out_thr = [], [], []
        while True:
            go = np.flatnonzero((f_i > n_total) & ((n_vis < b.max_features) | (n_vis <= n_found + n_drawn)))
            if not go.size:
                break
            n_vis[go] += 1
            f_j = n_drawn[go] + self.rng.peek(trees[go], used[go]) % (f_i[go] - n_found[go] - n_drawn[go])
            used[go] += 1
            known = f_j < n_known[go]
            if known.any():
                kn = go[known]
                self._swap(feats, kn, n_drawn[kn], f_j[known])
                n_drawn[kn] += 1
            g = go[~known]
            f_j = f_j[~known] + n_found[g]
            f = feats[g, f_j]
            f_lo, f_hi = lo[g, f], hi[g, f]
            is_const = f_hi <= f_lo + FEATURE_THRESHOLD
            if is_const.any():
                c = g[is_const]
                self._swap(feats, c, f_j[is_const], n_total[c])
                n_found[c] += 1
                n_total[c] += 1
            v = ~is_const
            g = g[v]
            f_i[g] -= 1
            self._swap(feats, g, f_i[g], f_j[v])
            out_node.append(g)
            out_feat.append(f[v])
            if self.random:
                out_thr.append(_random_thresholds(f_lo[v], f_hi[v], self.rng.peek(trees[g], used[g])))
                used[g] += 1
            else:
                out_thr.append(np.zeros(g.size))
        self.rng.ptr[trees] += used
        cols = np.arange(F)
        feats = np.where(cols < n_known[:, None], const, feats)
        const = np.where((cols >= n_known[:, None]) & (cols < n_total[:, None]), feats, const)
        self.feats[trees], self.const[trees] = feats, const
        node_of = np.concatenate(out_node) if out_node else np.zeros(0, dtype=np.int64)
        order = np.argsort(node_of, kind="stable")  # per node, in draw order
        node_of = node_of[order]
        counts = np.bincount(node_of, minlength=m)
        col = np.arange(node_of.size) - np.repeat(np.cumsum(counts) - counts, counts)
        width = max(1, int(counts.max()) if counts.size else 1)
        c_feat = np.zeros((m, width), dtype=np.int64)
        c_thr = np.zeros((m, width))
        c_ok = np.zeros((m, width), dtype=bool)
        if node_of.size:
            c_feat[node_of, col] = np.concatenate(out_feat)[order]
            c_thr[node_of, col] = np.concatenate(out_thr)[order]
            c_ok[node_of, col] = True
        return c_feat, c_thr, c_ok, n_total

    # -- split scores -------------------------------------------------------------------------------------

    def _valid_sizes(self, n_left, n) -> np.ndarray:
        return (n_left >= self.b.min_samples_leaf) & (n - n_left >= self.b.min_samples_leaf)

    def _valid_weights(self, w_left, w_right) -> np.ndarray | bool:
        if self.b.min_weight_leaf > 0:
            return (w_left >= self.b.min_weight_leaf) & (w_right >= self.b.min_weight_leaf)
        return True

    def _eval_random(self, seg_starts, n, pos, rows, Xc, tot, w, cand_thr, cand_ok):
        """Scores of the random thresholds; arrays are (candidates x samples of the step's nodes).

        Returns whether each node splits, its chosen candidate and threshold, the left class weights, which
        samples go left on the chosen candidate, and every node's left sample count there.
        """
        m, c, K = n.size, cand_thr.shape[1], self.K
        goes_left = Xc <= np.repeat(_comparable(cand_thr, Xc.dtype).T, n, axis=1)
        if self.regression:
            return self._eval_random_regression(seg_starts, n, pos, rows, goes_left, tot, w, cand_thr, cand_ok)
        if self.class_blocks:
            left = _class_block_sums(goes_left, tot.astype(np.int64), np.float64).reshape(c, m, K).transpose(1, 0, 2)
            w_left = left.sum(axis=2)
            n_left = w_left.astype(np.int64)
        else:
            n_left = np.add.reduceat(goes_left, seg_starts, axis=1, dtype=np.int64).T
            left, w_left = self._left_counts(goes_left, seg_starts, n_left, pos, rows)
        proxy = self.b.criterion.proxy(left, w_left, tot[:, None, :] - left, w[:, None] - w_left)
        valid = (cand_ok & self._valid_sizes(n_left, n[:, None]) & self._valid_weights(w_left, w[:, None] - w_left)
                 & ~np.isnan(proxy))
        proxy = np.where(valid, proxy, -np.inf)
        j = np.argmax(proxy, axis=1)
        r = np.arange(m)
        has = proxy[r, j] > -np.inf
        return (has, j, cand_thr[r, j], np.where(has[:, None], left[r, j], 0.0), _pick_rows(goes_left, j, n),
                n_left[r, j])

    def _eval_random_regression(self, seg_starts, n, pos, rows, goes_left, tot, w, cand_thr, cand_ok):
        """``_eval_random`` for squared error: left sums of w and w·y, scikit-learn's proxy. The children's
        statistics are left to ``_children_stats`` (returned as None)."""
        m = n.size
        n_left = np.add.reduceat(goes_left, seg_starts, axis=1, dtype=np.int64).T
        wy = self.y.take(rows)
        if self.unit_weights:
            w_left = n_left.astype(np.float64)
        else:
            wts = self.wts.take(pos)
            wy *= wts
            w_left = np.add.reduceat(goes_left * wts, seg_starts, axis=1).T
        sum_left = np.add.reduceat(goes_left * wy, seg_starts, axis=1).T
        w_right = w[:, None] - w_left
        proxy = self.b.criterion.proxy(sum_left[..., None], w_left, (tot[:, 1, None] - sum_left)[..., None], w_right)
        valid = cand_ok & self._valid_sizes(n_left, n[:, None]) & self._valid_weights(w_left, w_right)
        proxy = np.where(valid & ~np.isnan(proxy), proxy, -np.inf)
        j = np.argmax(proxy, axis=1)
        r = np.arange(m)
        has = proxy[r, j] > -np.inf
        return has, j, cand_thr[r, j], None, _pick_rows(goes_left, j, n), n_left[r, j]

    def _left_counts(self, goes_left, seg_starts, n_left, pos, rows):
        """Left class weights (nodes x candidates x classes) and left weights, from the samples' classes."""
        m, c, K = n_left.shape[0], goes_left.shape[0], self.K
        wts, cls = (None if self.unit_weights else self.wts.take(pos)), self.y.take(rows)
        if self.unit_weights:
            w_left = n_left.astype(np.float64)
        else:
            w_left = np.add.reduceat(goes_left * wts, seg_starts, axis=1).T
        left = np.empty((m, c, K))
        left[:, :, K - 1] = w_left
        for k in range(K - 1):  # the last class gets what is left (exact: integer weights)
            if self.unit_weights:
                left[:, :, k] = np.add.reduceat(goes_left & (cls == k), seg_starts, axis=1, dtype=np.int64).T
            else:
                left[:, :, k] = np.add.reduceat(goes_left * np.where(cls == k, wts, 0.0), seg_starts, axis=1).T
            left[:, :, K - 1] -= left[:, :, k]
        return left, w_left

    def _arange(self, size: int) -> np.ndarray:
        """``arange(size)``, sliced from a cached one."""
        if self.arange_cache.size < size:
            self.arange_cache = np.arange(2 * size)
        return self.arange_cache[:size]

    def _children_stats(self, goes_left, seg_starts, pos, rows):
        """(w, w·y, w·y²) of both children of every node (nodes x 3), each summed afresh over its samples."""
        wts = self.wts.take(pos)
        per_sample = np.empty((3, pos.size))
        per_sample[0] = wts
        np.multiply(wts, self.y.take(rows), out=per_sample[1])
        np.multiply(per_sample[1], self.y.take(rows), out=per_sample[2])
        left = np.add.reduceat(np.where(goes_left, per_sample, 0.0), seg_starts, axis=1).T
        right = np.add.reduceat(np.where(goes_left, 0.0, per_sample), seg_starts, axis=1).T
        return left, right

    def _eval_best_regression(self, seg, seg_starts, n, pos, rows, Xc, w, total, cand_feat, cand_ok):
        """Best threshold of every candidate for squared error; arrays are (candidates x samples of the step).

        Returns whether each node splits, its chosen candidate, its threshold and which samples go left.
        """
        c, M = cand_feat.shape[1], seg.size
        # each candidate's samples sorted by value, node by node
        order = np.argsort(self._sort_keys(seg, n, rows, cand_feat), axis=1)
        # rows w·y, then w (needless when every w is 1: the one row holds w first, then w·y)
        per_sample = np.empty((1 if self.unit_weights else 2, M))
        wts = self.wts.take(pos, out=per_sample[-1])
        np.multiply(wts, self.y.take(rows), out=per_sample[0])
        cum = _node_prefix_sums(per_sample.take(order, axis=1), seg_starts, n)
        sum_left = cum[0]
        n_left = self._arange(M) - np.repeat(seg_starts - 1, n)  # samples on the left of each position
        w_left = np.broadcast_to(n_left.astype(np.float64), sum_left.shape) if self.unit_weights else cum[1]
        order += (self._arange(c) * M)[:, None]  # flat indices into (candidates x samples) from here on
        xs = Xc.ravel().take(order)  # (float32 or float64: compared in float64 below)
        # ``SquaredErrorCriterion.proxy``
        w_right = np.repeat(w, n)[None, :] - w_left
        proxy = sum_left * sum_left
        proxy /= w_left
        sum_left -= np.repeat(total, n)[None, :]  # minus the right sums: squared next
        sum_left *= sum_left
        sum_left /= w_right
        proxy += sum_left
        del cum, sum_left
        # (every sample has a positive weight: NaN proxies come from empty sides only, which are not valid)
        invalid = xs[:, 1:] <= xs[:, :-1] + np.float64(FEATURE_THRESHOLD)
        if self.b.min_samples_leaf > 1:
            invalid |= ~self._valid_sizes(n_left, np.repeat(n, n))[None, :-1]
        if not cand_ok.all():
            invalid |= ~np.repeat(cand_ok.T, n, axis=1)[:, :-1]
        if self.b.min_weight_leaf > 0:
            invalid |= ~self._valid_weights(w_left, w_right)[:, :-1]
        np.copyto(proxy[:, :-1], -np.inf, where=invalid)
        proxy[:, seg_starts + n - 1] = -np.inf  # every sample on the left
        has, j, p = _best_positions(proxy, seg, seg_starts)
        thr = xs[j, p].astype(np.float64) / 2.0 + xs[j, np.minimum(p + 1, M - 1)].astype(np.float64) / 2.0
        at = j[seg] * M + self._arange(M)  # the chosen candidate's row, node by node
        # the chosen candidate's sorted samples up to the chosen position go left
        goes_left = np.empty(M, dtype=bool)
        goes_left[order.ravel().take(at) - j[seg] * M] = self._arange(M) <= p[seg]
        return has, j, thr, goes_left

    def _eval_best(self, seg, seg_starts, n, pos, rows, Xc, tot, w, cand_feat, cand_ok):
        """Best threshold of every candidate; arrays are (candidates x samples of the step's nodes)."""
        K, M = self.K, seg.size
        # each candidate's samples sorted by value, node by node
        order = np.argsort(self._sort_keys(seg, n, rows, cand_feat), axis=1)
        xs = np.take_along_axis(Xc, order, axis=1).astype(np.float64)
        sorted_pos = pos[order]
        cls, wts = self.y[rows[order]], self.wts[sorted_pos]
        # squared left/right class counts, as ``ClassificationCriterion.proxy`` sums them (exact: integer weights)
        w_left = _node_prefix_sums(wts, seg_starts, n)
        sq_left, sq_right = np.zeros(w_left.shape), np.zeros(w_left.shape)
        last = w_left
        lefts = []
        for k in range(K):
            left_k = _node_prefix_sums(np.where(cls == k, wts, 0.0), seg_starts, n) if k < K - 1 else last
            if k < K - 1:
                last = last - left_k
            right_k = np.repeat(tot[:, k], n)[None, :] - left_k
            sq_left += left_k * left_k
            sq_right += right_k * right_k
            lefts.append(left_k)
        w_right = np.repeat(w, n)[None, :] - w_left
        n_left = np.arange(M) - np.repeat(seg_starts, n) + 1
        valid = np.repeat(cand_ok.T, n, axis=1) & self._valid_sizes(n_left, np.repeat(n, n))[None, :]
        valid[:, :-1] &= xs[:, 1:] > xs[:, :-1] + FEATURE_THRESHOLD
        valid[:, -1] = False
        valid &= self._valid_weights(w_left, w_right)
        gini_left = 1.0 - sq_left / (w_left * w_left)
        gini_right = 1.0 - sq_right / (w_right * w_right)
        proxy = -w_right * gini_right - w_left * gini_left
        proxy = np.where(valid & ~np.isnan(proxy), proxy, -np.inf)
        has, j, p = _best_positions(proxy, seg, seg_starts)
        thr = xs[j, p] / 2.0 + xs[j, np.minimum(p + 1, M - 1)] / 2.0
        left = np.stack([lk[j, p] for lk in lefts], axis=1)
        return has, j, thr, np.where(has[:, None], left, 0.0)

    def trees(self, out: list[Tree]) -> None:
        """Writes the grown trees into ``out``, nodes renumbered depth-first (left subtree first)."""
        self.samples = self.wts = None  # no longer needed: their memory goes to the trees
        count = self.n_nodes
        ints, floats = self.log_i[:, :count], self.log_f[:, :count]
        left, right = ints[_LEFT], ints[_RIGHT]
        inner = left != 0  # a root is never a child: 0 marks leaves
        tree_of = np.zeros(count, dtype=np.int32)
        tree_of[:self.T] = np.arange(self.T)
        levels, level = [], np.arange(self.T)
        while level.size:  # the split nodes of each depth, and the trees of their children
            level = level[inner.take(level)]
            levels.append(level)
            tree_of[left.take(level)] = tree_of[right.take(level)] = tree_of.take(level)
            level = np.concatenate([left.take(level), right.take(level)])
        size = np.ones(count, dtype=np.int32)
        for lv in levels[::-1]:  # subtree sizes, deepest first
            size[lv] = 1 + size.take(left.take(lv)) + size.take(right.take(lv))
        pre = np.zeros(count, dtype=np.int64)
        for lv in levels:  # depth-first numbers, root first
            at = pre.take(lv) + 1
            pre[left.take(lv)] = at
            pre[right.take(lv)] = at + size.take(left.take(lv))
        del size, levels
        n_nodes = np.bincount(tree_of, minlength=self.T)
        first = np.cumsum(n_nodes) - n_nodes
        order = np.empty(count, dtype=np.int64)
        order[first.take(tree_of) + pre] = np.arange(count)  # tree by tree, depth-first
        del tree_of
        inner = inner.take(order)
        children = [np.where(inner, pre.take(c.take(order)), TREE_LEAF) for c in (left, right)]
        del pre
        feature = np.where(inner, ints[_FEATURE].take(order), TREE_UNDEFINED).astype(np.intp)
        threshold = np.where(inner, floats[_THRESHOLD].take(order), TREE_UNDEFINED)
        impurity, n_samples = floats[_IMP].take(order), ints[_N].take(order).astype(np.intp)
        missing = ints[_MISSING].take(order).astype(np.uint8)
        if self.regression:
            w, sums = floats[_STATS].take(order), floats[_STATS + 1].take(order)
            value = (sums / w)[:, None]
        else:
            value = np.empty((count, self.K))
            for c in range(self.K):
                value[:, c] = ints[_TOT + c].take(order)
            w = value.sum(axis=1)
            value /= w[:, None]
        self.log_i = self.log_f = ints = floats = left = right = None
        for t, tree in enumerate(out):
            s = slice(first[t], first[t] + n_nodes[t])
            tree._set_nodes(children[0][s], children[1][s], feature[s], threshold[s], impurity[s], n_samples[s],
                            w[s], missing[s], value[s, None, :])


def _node_prefix_sums(values: np.ndarray, seg_starts: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Running sums along the last axis restarting at every node (``n[i]`` positions from ``seg_starts[i]``)."""
    cum = np.cumsum(values, axis=-1)
    base = np.zeros(cum.shape[:-1] + (n.size,))
    base[..., 1:] = cum[..., seg_starts[1:] - 1]
    cum -= np.repeat(base, n, axis=-1)
    return cum


def _best_positions(proxy: np.ndarray, seg: np.ndarray, seg_starts: np.ndarray) -> tuple:
    """The best split of every node from the proxies (candidates x sorted samples of the step, ``-inf``: invalid).

    Returns whether each node has a valid split, its candidate (the first in draw order reaching the node's best
    proxy) and the position, in that candidate's sorted samples, of the split's last left sample (0 without one).
    """
    M = seg.size
    col_top = np.maximum.reduceat(proxy, seg_starts, axis=1)
    j = np.argmax(col_top, axis=0)
    top = col_top[j, np.arange(seg_starts.size)]
    column = proxy.ravel().take(j[seg] * M + np.arange(M))  # the chosen candidate's row, node by node
    has = top > -np.inf
    p = np.minimum.reduceat(np.where(column == top[seg], np.arange(M), M), seg_starts)
    return has, j, np.where(has, p, 0)


def _pick_rows(values: np.ndarray, row: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``values[row[i], j]`` for the columns ``j`` of segment ``i`` (segments of sizes ``n``, in order)."""
    picked = values[0].copy()
    for r in range(1, values.shape[0]):
        np.copyto(picked, values[r], where=np.repeat(row == r, n))
    return picked


def _comparable(thresholds: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Thresholds ``t'`` of ``dtype`` with ``x <= t'`` exactly when ``x <= t``, for every ``x`` of that dtype.

    Comparing float32 values to float32 thresholds avoids casting every value to float64.
    """
    if dtype != np.float32:
        return thresholds
    down = thresholds.astype(np.float32)
    return np.where(down > thresholds, np.nextafter(down, np.float32(-np.inf)), down)


def _fisher_yates(flat: np.ndarray, f_j: np.ndarray, last: np.ndarray) -> np.ndarray:
    """scikit-learn's Fisher-Yates feature draws for many permutations stored in ``flat``; returns the drawn
    features (nodes x draws).

    Draw ``i`` of a node swaps the entries at flat positions ``f_j[:, i]`` and ``last[:, i]`` (its permutation's
    ``F - 1 - i``th entry, never moved by a later draw, where the drawn feature stays).
    """
    pairs = np.concatenate([f_j.T, last.T], axis=1)  # row i: the positions draw i swaps, ...
    swapped = np.concatenate([last.T, f_j.T], axis=1)  # ... and where their new values are
    for i in range(f_j.shape[1]):
        flat[pairs[i]] = flat.take(swapped[i])
    return flat.take(last)


def _class_block_sums(goes_left: np.ndarray, class_counts: np.ndarray, dtype: type) -> np.ndarray:
    """Samples going left (candidates x nodes·classes) in each class block of every node (an empty block: 0).

    The step's samples lie node by node, each node's grouped by class; ``class_counts`` (nodes x classes,
    integers) gives the blocks' sizes.
    """
    counts = class_counts.ravel()
    first = np.cumsum(counts) - counts
    blocks = np.flatnonzero(counts)
    if blocks.size == counts.size:
        return np.add.reduceat(goes_left, first, axis=1, dtype=dtype)
    sums = np.zeros((goes_left.shape[0], counts.size), dtype=dtype)
    sums[:, blocks] = np.add.reduceat(goes_left, first.take(blocks), axis=1, dtype=dtype)
    return sums


def _random_thresholds(lo: np.ndarray, hi: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Thresholds drawn uniformly in ``[lo, hi)`` from ``rand_r`` outputs, as scikit-learn's random splitter
    (its order of operations; a threshold rounded up to ``hi`` becomes ``lo``)."""
    t = (hi - lo) * draws / RAND_R_MAX + lo
    return np.where(t == hi, lo, t)


def _float32_keys(values: np.ndarray) -> np.ndarray:
    """int32 keys in the order of the finite float32 ``values`` (the same key for -0.0 and 0.0)."""
    bits = (values + np.float32(0.0)).view(np.int32)
    return np.where(bits < 0, bits ^ np.int32(0x7FFFFFFF), bits)  # negative floats' bits count downwards


def _keys_float32(keys: np.ndarray) -> np.ndarray:
    """The float32 values of ``_float32_keys``."""
    return np.where(keys < 0, keys ^ np.int32(0x7FFFFFFF), keys).view(np.float32)


def build_lockstep(builders: list[TreeBuilder], trees: list[Tree], X: np.ndarray, y: np.ndarray,
                   weights: list[np.ndarray]) -> None:
    """Grows ``trees[i]`` with ``builders[i]`` on ``weights[i]``, all trees together.

    The builders must share their settings (forest members) and pass ``lockstep_supported``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        forest = _Forest(builders, X, y, weights)
        while forest.step():
            pass
    forest.trees(trees)
