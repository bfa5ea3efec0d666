"""Growing many independent trees in lock-step: one node of every tree per step.

Every tree of a forest has its own ``rand_r`` stream and grows depth-first exactly as ``TreeBuilder`` grows
it; the trees only share the work. Step ``s`` pops the top of every tree's stack and draws features, scores
candidate splits and partitions samples for all those nodes with one set of NumPy calls, so the Python cost
of a node is divided by the number of trees grown together.

Feature draws are first made assuming that no drawn feature is constant in its node (the usual case), all
nodes at once; nodes where that guess fails redo their draws with the exact step-by-step scheme.

This path covers single-output gini classification grown depth-first with integer sample weights (bootstrap
counts): class counts are then exact in any summation order, so the trees are identical to those of
``TreeBuilder`` (and scikit-learn) whatever order the samples of a node are kept in.
"""
from __future__ import annotations

import numpy as np

from ._criterion import EPSILON, ClassificationCriterion, gini
from ._tree import FEATURE_THRESHOLD, RAND_R_MAX, TREE_LEAF, TREE_UNDEFINED, Tree, TreeBuilder

# columns of the stack's integer and float records, and of the node records
_START, _END, _DEPTH, _NODE, _NCONST = range(5)
_IMP, _W, _TOT = 0, 1, 2
_LEFT, _RIGHT, _FEATURE, _SIZE, _MISSING, _NDEPTH = range(6)
_N_IMP, _N_W, _N_THRESHOLD, _N_VALUE = range(4)
_STEP_SAMPLES = 1 << 18  # samples handled by one set of NumPy calls, at most about


def lockstep_supported(builder: TreeBuilder, y: np.ndarray, sample_weight: np.ndarray) -> bool:
    """Whether ``build_lockstep`` grows the same tree as ``builder.build`` would for these inputs."""
    crit = builder.criterion
    return (isinstance(crit, ClassificationCriterion) and crit.name == "gini" and crit.n_outputs == 1
            and y.shape[1] == 1 and builder.max_leaf_nodes <= 0 and builder.splitter in ("best", "random")
            and bool(np.all(sample_weight >= 0)) and bool(np.all(sample_weight == np.round(sample_weight))))


def _ragged_arange(starts: np.ndarray, lengths: np.ndarray, offsets: np.ndarray | None = None) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without the Python loop.

    ``offsets``, where given, must be ``cumsum(lengths) - lengths``.
    """
    if offsets is None:
        offsets = np.cumsum(lengths) - lengths
    out = np.arange(int(offsets[-1] + lengths[-1]) if lengths.size else 0)
    out += np.repeat(starts - offsets, lengths)
    return out


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


class _Forest:
    """Per-tree state of trees grown together: RNG streams, feature permutations, stacks and nodes."""

    def __init__(self, builders: list[TreeBuilder], X: np.ndarray, y: np.ndarray, weights: list[np.ndarray]):
        b = builders[0]
        self.b, self.X = b, X
        self.X_flat = np.ascontiguousarray(X).ravel()
        self.T, self.F = len(builders), X.shape[1]
        self.K = b.criterion.max_n_classes
        self.random = b.splitter == "random"
        self.rng = _RandStreams(np.array([r.rng.state for r in builders], dtype=np.uint32), max(256, 4 * self.F + 4))
        self.feats = np.tile(np.arange(self.F, dtype=np.int64), (self.T, 1))
        self.const = self.feats.copy()
        roots = [np.flatnonzero(w != 0) for w in weights]
        sizes = np.array([r.size for r in roots], dtype=np.int64)
        self.samples = np.concatenate(roots).astype(np.int64)
        self.wts = np.concatenate([w[r] for w, r in zip(weights, roots)])
        self.y = y[:, 0].astype(np.int64)  # class of every sample
        self.unit_weights = bool(np.all(self.wts == 1.0))
        # random splits with unit weights keep every node's samples grouped by class (stable partitions keep
        # the grouping), so that left class counts are sums over each class's block
        self.class_blocks = self.random and self.unit_weights
        if self.class_blocks:
            key = np.repeat(np.arange(self.T) * self.K, sizes) + self.y.take(self.samples)
            if self.T * self.K <= np.iinfo(np.uint16).max:  # stable sorts of 16-bit keys are radix sorts
                key = key.astype(np.uint16)
            self.samples = self.samples.take(np.argsort(key, kind="stable"))
        self.total_weight = np.array([float(w[r].sum()) for w, r in zip(weights, roots)])
        if not self.random:  # dense per-feature ranks: sorting by rank sorts by value
            ranks = np.empty(X.shape, dtype=np.int32)
            for f in range(self.F):
                ranks[:, f] = np.unique(X[:, f], return_inverse=True)[1]
            self.ranks_flat = ranks.ravel()
        # the stack holds the nodes still to split; nodes are numbered in creation order, and renumbered
        # depth-first (scikit-learn's order) at the end
        self.st_i = np.zeros((self.T, 64, 5), dtype=np.int64)
        self.st_f = np.zeros((self.T, 64, 2 + self.K))
        self.nd_i = np.zeros((self.T, 256, 6), dtype=np.int32)  # node records fill much memory
        self.nd_f = np.zeros((self.T, 256, 3 + self.K))
        self.sp = np.zeros(self.T, dtype=np.int64)
        self.count = np.zeros(self.T, dtype=np.int64)
        tree_class = np.repeat(np.arange(self.T) * self.K, sizes) + self.y.take(self.samples)
        root_tot = np.bincount(tree_class, weights=self.wts, minlength=self.T * self.K).reshape(self.T, self.K)
        every = np.arange(self.T)
        zero = np.zeros(self.T, dtype=np.int64)
        start = np.cumsum(sizes) - sizes
        self._add_nodes(every, start, sizes, zero, root_tot, self.total_weight, gini(root_tot, self.total_weight),
                        zero)

    @staticmethod
    def _grown(arr: np.ndarray, need: int) -> np.ndarray:
        if need < arr.shape[1]:
            return arr
        out = np.zeros((arr.shape[0], 4 * need) + arr.shape[2:], dtype=arr.dtype)
        out[:, :arr.shape[1]] = arr
        return out

    def _take(self, rows: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """``X[rows[i], feats[j, i]]``, shape (features x samples); a flat ``take`` beats 2-axis indexing.

        ``feats`` must be a temporary: it is overwritten with the flat indices.
        """
        feats += rows * self.F
        return np.take(self.X_flat, feats)

    def _swap(self, feats: np.ndarray, rows: np.ndarray, a: np.ndarray, c: np.ndarray) -> None:
        va, vc = feats[rows, a], feats[rows, c]
        feats[rows, a] = vc
        feats[rows, c] = va

    # -- one step ----------------------------------------------------------------------------------------

    def _add_nodes(self, trees, start, n, depth, tot, w, imp, nconst, per_tree: int = 1) -> np.ndarray:
        """Records new nodes (leaves until split) and stacks the splittable ones; returns their ids.

        With ``per_tree=2`` the arguments hold two blocks of nodes for the same trees, stacked in that order.
        """
        size = trees.size // per_tree
        first = self.count[trees[:size]]
        self.count[trees[:size]] += per_tree
        node = first if per_tree == 1 else np.concatenate([first, first + 1])
        need = int(first.max()) + per_tree
        self.nd_i, self.nd_f = self._grown(self.nd_i, need), self._grown(self.nd_f, need)
        node_i = np.empty((trees.size, 6), dtype=np.int64)
        node_i[:, :3] = (TREE_LEAF, TREE_LEAF, TREE_UNDEFINED)
        node_i[:, _SIZE], node_i[:, _MISSING], node_i[:, _NDEPTH] = n, 0, depth
        self.nd_i[trees, node] = node_i
        node_f = np.empty((trees.size, 3 + self.K))
        node_f[:, _N_IMP], node_f[:, _N_W], node_f[:, _N_THRESHOLD] = imp, w, TREE_UNDEFINED
        np.divide(tot, w[:, None], out=node_f[:, _N_VALUE:])
        self.nd_f[trees, node] = node_f
        b = self.b
        ok = (depth < b.max_depth) & (n >= max(b.min_samples_split, 2 * b.min_samples_leaf)) & (imp > EPSILON)
        if b.min_weight_leaf > 0:
            ok &= w >= 2 * b.min_weight_leaf
        if ok.any():
            sp = self.sp[trees]
            if per_tree == 2:  # the second block goes above the first one where both are stacked
                sp[size:] += ok[:size]
            rec_i = np.empty((trees.size, 5), dtype=np.int64)
            rec_i[:, _START], rec_i[:, _END], rec_i[:, _DEPTH] = start, start + n, depth
            rec_i[:, _NODE], rec_i[:, _NCONST] = node, nconst
            rec_f = np.empty((trees.size, 2 + self.K))
            rec_f[:, _IMP], rec_f[:, _W], rec_f[:, _TOT:] = imp, w, tot
            t, sp = trees[ok], sp[ok]
            need = int(sp.max()) + 1
            self.st_i, self.st_f = self._grown(self.st_i, need), self._grown(self.st_f, need)
            self.st_i[t, sp] = rec_i[ok]
            self.st_f[t, sp] = rec_f[ok]
            self.sp[trees[:size]] += ok[:size] if per_tree == 1 else ok[:size].astype(np.int64) + ok[size:]
        return node

    def step(self) -> bool:
        active = np.flatnonzero(self.sp)
        if not active.size:
            return False
        top = self.sp[active] - 1
        self.sp[active] = top
        rec_i, rec_f = self.st_i[active, top], self.st_f[active, top]
        n = rec_i[:, _END] - rec_i[:, _START]
        # the trees are independent: huge steps (the first ones) go in groups of trees, which bounds the
        # temporaries' memory (touching fresh memory is slow)
        group = np.cumsum(n) // _STEP_SAMPLES
        cuts = np.flatnonzero(np.diff(group)) + 1 if group[-1] else []
        for g in np.split(np.arange(active.size), cuts) if len(cuts) else [slice(None)]:
            self._split(active[g], rec_i[g, _NODE], rec_i[g, _START], n[g], rec_i[g, _DEPTH], rec_f[g, _TOT:],
                        rec_f[g, _W], rec_f[g, _IMP], rec_i[g, _NCONST])
        return True

    def _split(self, trees, node, start, n, depth, tot, w, imp, nconst) -> None:
        m = trees.size
        seg_starts = np.cumsum(n) - n
        pos = _ragged_arange(start, n, seg_starts)
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
            has, col, thr, left = self._eval_best(seg, seg_starts, n, pos, rows, Xc, tot, w, cand_feat, cand_ok)
            goes_left = _pick_rows(Xc, col, n) <= np.repeat(thr, n)
            n_left = np.add.reduceat(goes_left, seg_starts, dtype=np.int64)
        left_w = left.sum(axis=1)
        right, right_w = tot - left, w - left_w
        imp_l, imp_r = gini(left, left_w), gini(right, right_w)
        improvement = (w / self.total_weight[trees]) * (imp - right_w / w * imp_r - left_w / w * imp_l)
        has &= improvement + EPSILON >= self.b.min_impurity_decrease
        if not has.any():
            return
        s = slice(None) if has.all() else np.flatnonzero(has)  # a slice (views) in the usual case
        t, nd = trees[s], node[s]
        self._partition(start, n, pos, rows, goes_left, n_left)
        n_left, st, ns, d = n_left[s], start[s], n[s], depth[s] + 1
        # right child stacked first so that the left one is split first
        both = np.concatenate
        children = self._add_nodes(both([t, t]), both([st + n_left, st]), both([ns - n_left, n_left]), both([d, d]),
                                   both([right[s], left[s]]), both([right_w[s], left_w[s]]),
                                   both([imp_r[s], imp_l[s]]), both([n_total[s], n_total[s]]), per_tree=2)
        k = t.size
        record = np.empty((k, 5), dtype=np.int64)
        record[:, _LEFT], record[:, _RIGHT], record[:, _SIZE] = children[k:], children[:k], ns
        record[:, _FEATURE], record[:, _MISSING] = cand_feat[np.arange(m), col][s], n_left > ns - n_left
        self.nd_i[t, nd, :_NDEPTH] = record
        self.nd_f[t, nd, _N_THRESHOLD] = thr[s]

    def _partition(self, start, n, pos, rows, goes_left, n_left) -> None:
        """Stable partition of the samples of every node (left side first); ``n_left`` counts ``goes_left``.

        Nodes that do not split get partitioned too, harmlessly: a leaf's sample order is never read.
        """
        left_idx, right_idx = np.flatnonzero(goes_left), np.flatnonzero(~goes_left)
        n_right = n - n_left
        # a node's left samples go to its start onwards, its right ones after them, both in their order
        to_left = np.repeat(start - (np.cumsum(n_left) - n_left), n_left) + np.arange(left_idx.size)
        to_right = np.repeat(start + n_left - (np.cumsum(n_right) - n_right), n_right) + np.arange(right_idx.size)
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
            f_j = base[:, None] + r[:, :per * k:per] % (F - np.arange(k))
            drawn = np.empty((guess.size, k), dtype=np.int64)
            for i in range(k):
                f, last = flat.take(f_j[:, i]), base + (F - 1 - i)
                flat[f_j[:, i]] = flat.take(last)
                flat[last] = f
                drawn[:, i] = f
            lo, hi, values = self._min_max(rows, seg_starts, n, guess, drawn)
            ok = (hi > lo + FEATURE_THRESHOLD).all(axis=1)
            if guess.size == m and ok.all():  # the usual case, without the bookkeeping of failed guesses
                self.feats[tg] = perm
                self.rng.ptr[tg] += per * k
                if self.random:
                    t = (hi - lo) * r[:, 1::2] / RAND_R_MAX + lo  # scikit-learn's order of operations
                    thr = np.where(t == hi, lo, t)
                return drawn, thr, np.ones(drawn.shape, dtype=bool), n_known.copy(), values
            feat[guess, :k] = drawn
            g = guess[ok]
            good[g] = True
            self.feats[tg[ok]] = perm[ok]
            self.rng.ptr[tg[ok]] += per * k
            if self.random:
                u = r[ok][:, 1::2].astype(np.float64)
                lo, hi = lo[ok], hi[ok]
                t = (hi - lo) * u / RAND_R_MAX + lo
                thr[g] = np.where(t == hi, lo, t)
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
            rows = rows.take(_ragged_arange(seg_starts[nodes], n))
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
                u = self.rng.peek(trees[g], used[g]).astype(np.float64)
                used[g] += 1
                t = (f_hi[v] - f_lo[v]) * u / RAND_R_MAX + f_lo[v]
                out_thr.append(np.where(t == f_hi[v], f_lo[v], t))
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
        if self.class_blocks:  # one sum per class block of every node
            counts = tot.astype(np.int64).ravel()
            blocks = np.flatnonzero(counts)
            first = (np.cumsum(counts) - counts)[blocks]  # the counts of a node add up to its size
            left = np.zeros((c, m * K))
            left[:, blocks] = np.add.reduceat(goes_left, first, axis=1, dtype=np.int64)
            left = left.reshape(c, m, K).transpose(1, 0, 2)
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

    def _eval_best(self, seg, seg_starts, n, pos, rows, Xc, tot, w, cand_feat, cand_ok):
        """Best threshold of every candidate; arrays are (candidates x samples of the step's nodes)."""
        m, K, M, N = n.size, self.K, seg.size, self.X.shape[0]
        key_type = np.int32 if m * N < 2**31 else np.int64
        key = np.take(self.ranks_flat, (rows * self.F)[None, :] + np.repeat(cand_feat.T, n, axis=1))
        key = key.astype(key_type, copy=False) + (seg * N).astype(key_type)[None, :]
        order = np.argsort(key, axis=1)  # each candidate's samples sorted by value, node by node
        xs = np.take_along_axis(Xc, order, axis=1).astype(np.float64)
        sorted_pos = pos[order]
        cls, wts = self.y[rows[order]], self.wts[sorted_pos]

        def prefix(values):  # per node running sums of the sorted samples (exact: integer weights)
            cum = np.cumsum(values, axis=1)
            base = np.zeros((cum.shape[0], m))
            base[:, 1:] = cum[:, seg_starts[1:] - 1]
            return cum - np.repeat(base, n, axis=1)

        # squared left/right class counts, as ``ClassificationCriterion.proxy`` sums them (exactly)
        w_left = prefix(wts)
        sq_left, sq_right = np.zeros(w_left.shape), np.zeros(w_left.shape)
        last = w_left
        lefts = []
        for k in range(K):
            left_k = prefix(np.where(cls == k, wts, 0.0)) if k < K - 1 else last
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
        col_top = np.maximum.reduceat(proxy, seg_starts, axis=1)
        j = np.argmax(col_top, axis=0)  # the first feature (in draw order) reaching the best proxy
        r = np.arange(m)
        top = col_top[j, r]
        column = proxy[j[seg], np.arange(M)]
        p = np.minimum.reduceat(np.where(column == top[seg], np.arange(M), M), seg_starts)
        has = top > -np.inf
        p = np.where(has, p, 0)
        thr = xs[j, p] / 2.0 + xs[j, np.minimum(p + 1, M - 1)] / 2.0
        left = np.stack([lk[j, p] for lk in lefts], axis=1)
        return has, j, thr, np.where(has[:, None], left, 0.0)

    def trees(self, out: list[Tree]) -> None:
        """Writes the grown trees into ``out``, nodes renumbered depth-first (left subtree first)."""
        cap = self.nd_i.shape[1]
        real = np.arange(cap)[None, :] < self.count[:, None]
        flat = np.flatnonzero(real.ravel())
        ints = self.nd_i.reshape(-1, 6)
        depth = ints[flat, _NDEPTH]
        internal = ints[flat, _LEFT] != TREE_LEAF
        base = (flat // cap) * cap
        by_depth = flat[np.argsort(depth, kind="stable")]
        bounds = np.searchsorted(depth[np.argsort(depth, kind="stable")], np.arange(depth.max() + 2))
        size = np.ones(ints.shape[0], dtype=np.int64)
        inner = np.zeros(ints.shape[0], dtype=bool)
        inner[flat] = internal
        base_of = np.zeros(ints.shape[0], dtype=np.int64)
        base_of[flat] = base
        levels = [by_depth[bounds[d]:bounds[d + 1]] for d in range(depth.max() + 1)]
        levels = [lv[inner[lv]] for lv in levels]
        for lv in levels[::-1]:  # subtree sizes, deepest first
            size[lv] = 1 + size[base_of[lv] + ints[lv, _LEFT]] + size[base_of[lv] + ints[lv, _RIGHT]]
        pre = np.zeros(ints.shape[0], dtype=np.int64)
        for lv in levels:  # depth-first numbers, root first
            left = base_of[lv] + ints[lv, _LEFT]
            pre[left] = pre[lv] + 1
            pre[base_of[lv] + ints[lv, _RIGHT]] = pre[lv] + 1 + size[left]
        pre = pre.reshape(self.T, cap)
        for t, tree in enumerate(out):
            k = self.count[t]
            order = np.empty(k, dtype=np.int64)
            order[pre[t, :k]] = np.arange(k)
            ints, floats = self.nd_i[t, order], self.nd_f[t, order]
            children = [np.where(ints[:, c] == TREE_LEAF, TREE_LEAF, pre[t, ints[:, c]]) for c in (_LEFT, _RIGHT)]
            tree._set_nodes(children[0], children[1], ints[:, _FEATURE], floats[:, _N_THRESHOLD],
                            floats[:, _N_IMP], ints[:, _SIZE], floats[:, _N_W], ints[:, _MISSING],
                            floats[:, None, _N_VALUE:])


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
