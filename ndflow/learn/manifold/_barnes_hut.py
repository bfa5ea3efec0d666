"""Barnes-Hut t-SNE gradient: a space-partitioning tree built at once with NumPy and walked for many points together.

The tree is scikit-learn's quadtree (octree in 3-D, binary tree in 1-D): cells split at their centre, one point
per leaf (identical points share a leaf). It is built from Morton codes: sorting the codes puts every cell's
points in one run, so the cells of a level are the runs of equal code prefixes. The walk keeps a frontier of
(group of 8 neighbouring points, cell) rows and applies the angle criterion to every point of every row of a level
at once; each point still gets the cells of its own Barnes-Hut walk.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..utils._ragged import ragged_arange

_BITS = {1: 52, 2: 31, 3: 21}  # quantisation depth per axis: codes fit 63 bits, cell indices are exact floats
_DUPLICATE_EPSILON = 1e-6  # a leaf this close to a point is the point itself (or a duplicate): no self-force
_FLOAT32_TINY = np.finfo(np.float32).tiny
_FLOAT64_EPS = np.finfo(np.float64).eps
_LANES = 8  # points walked together: a frontier row's lane flags are then one uint64


class SpaceTree(NamedTuple):
    """Cells in breadth-first order (the root is cell 0); a cell's children are consecutive cells."""

    center_of_mass: np.ndarray  # (n_cells, d)
    size: np.ndarray  # (n_cells,) points in the cell
    squared_width: np.ndarray  # (n_cells,) squared largest side
    first_child: np.ndarray  # (n_cells,)
    n_children: np.ndarray  # (n_cells,) 0 for leaves
    order: np.ndarray  # point ids in tree (Morton) order


def _spread_table(d: int) -> np.ndarray:
    """For every byte value, its 8 bits moved to positions 0, d, 2d, ... (the gaps left for the other axes)."""
    values = np.arange(256, dtype=np.uint64)
    spread = np.zeros(256, dtype=np.uint64)
    for bit in range(8):
        spread |= ((values >> np.uint64(bit)) & np.uint64(1)) << np.uint64(bit * d)
    return spread


_SPREAD = {d: _spread_table(d) for d in _BITS}


def _morton_codes(cells: np.ndarray, bits: int) -> np.ndarray:
    """Interleaves the bits of integer cell coordinates (n, d) into one uint64 code per row."""
    n, d = cells.shape
    table = _SPREAD[d]
    codes = np.zeros(n, dtype=np.uint64)
    for byte in range(0, bits, 8):
        for axis in range(d):
            chunk = (cells[:, axis] >> np.uint64(byte)) & np.uint64(255)
            codes |= table.take(chunk.astype(np.intp)) << np.uint64(byte * d + axis)
    return codes


def _split_levels(codes: np.ndarray, d: int, bits: int) -> np.ndarray:
    """For each pair of consecutive sorted codes, the first level whose cells part them (``bits + 1``: never)."""
    differ = codes[1:] ^ codes[:-1]
    high_bit = np.frexp(differ.astype(np.float64))[1].astype(np.int64) - 1
    high_bit -= (differ >> np.maximum(high_bit, 0).astype(np.uint64)) == 0  # the float may have rounded up
    return np.where(differ == 0, bits + 1, bits - high_bit // d)


def _range_means(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Means of ``values[start:start + size]`` (rows), summed element by element (exact for equal rows)."""
    offsets = np.cumsum(sizes) - sizes
    members = ragged_arange(starts, sizes, offsets)
    return np.add.reduceat(values.take(members, axis=0), offsets, axis=0) / sizes[:, None]


def build_tree(Y: np.ndarray, presort: np.ndarray | None = None) -> SpaceTree:
    """The quadtree (2-D), octree (3-D) or binary tree (1-D) of the points ``Y`` (n, d).

    With the points in Morton order, a cell of level L is a run of points whose codes share their first L digits
    (d bits each), and it is in the tree when its parent run holds more than one point. All levels are found at
    once from the level at which each pair of consecutive points parts. A run of equal codes is one leaf.

    Args:
        presort: a permutation of the points close to Morton order (the previous tree's ``order`` while the
            points move little): sorting from it is several times faster.
    """
    n, d = Y.shape
    bits = _BITS[d]
    low = np.array([column.min() for column in Y.T], dtype=np.float64)
    high = np.array([column.max() for column in Y.T], dtype=np.float64)
    high = np.maximum(high * (1.0 + 1e-3 * np.sign(high)), high + 1e-3)
    widths = high - low
    scaled = (Y - low) / widths * float(2 ** bits)
    codes = _morton_codes(np.clip(scaled, 0, 2 ** bits - 1).astype(np.uint64), bits)
    order = np.arange(n) if presort is None else presort
    codes = codes.take(order)
    sort = np.argsort(codes, kind="stable")  # a merge sort: fast on nearly sorted codes
    order = order.take(sort)
    codes = codes.take(sort)
    Y_sorted = Y.take(order, axis=0).astype(np.float64)

    split_level = _split_levels(codes, d, bits)
    depth = int(split_level.max(initial=0, where=split_level <= bits))
    # run_start[L, i]: a run of level L starts at sorted point i; column n closes every level's last run
    run_start = np.ones((depth + 1, n + 1), dtype=bool)
    np.less_equal(split_level, np.arange(depth + 1)[:, None], out=run_start[:, 1:n])
    is_cell = np.zeros_like(run_start)
    is_cell[:, :n] = run_start[:, :n]
    is_cell[1:, :n] &= ~(run_start[:-1, :-1] & run_start[:-1, 1:])  # not inside a one-point run of the level above
    key = np.flatnonzero(is_cell)  # breadth-first order: by level, then Morton order
    level, start = np.divmod(key, n + 1)
    boundaries = np.flatnonzero(run_start)
    end = boundaries.take(np.searchsorted(boundaries, key) + 1) - level * (n + 1)
    size = end - start
    first_child = np.searchsorted(key, key + (n + 1))
    n_children = np.searchsorted(key, key + (n + 1) + size) - first_child
    first_child[n_children == 0] = 0

    sums = np.zeros((n + 1, d))
    np.cumsum(Y_sorted, axis=0, out=sums[1:])
    center = (sums.take(end, axis=0) - sums.take(start, axis=0)) / size[:, None]
    # leaves exactly (a point finds its own leaf by distance): one point, or equal codes summed one by one
    single = (size == 1).nonzero()[0]
    center[single] = Y_sorted.take(start.take(single), axis=0)
    shared = ((n_children == 0) & (size > 1)).nonzero()[0]
    if shared.size:
        center[shared] = _range_means(Y_sorted, start.take(shared), size.take(shared))
    squared_width = np.ldexp(float(np.max(widths)) ** 2, -2 * level)
    return SpaceTree(center.astype(Y.dtype), size.astype(Y.dtype), squared_width.astype(Y.dtype), first_child,
                     n_children, order)


def _child_table(tree: SpaceTree, n_slots: int) -> np.ndarray:
    """(n_cells, n_slots) child cell ids, -1 where a cell has fewer children."""
    table = np.add.outer(tree.first_child, np.arange(n_slots))
    table[np.arange(n_slots) >= tree.n_children[:, None]] = -1
    return table


class _Runs(NamedTuple):
    """The runs of equal values in a sorted id array: each distinct id and where its run starts."""

    ids: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, sorted_ids: np.ndarray) -> _Runs:
        is_first = np.ones(sorted_ids.size, dtype=bool)
        np.not_equal(sorted_ids[1:], sorted_ids[:-1], out=is_first[1:])
        starts = is_first.nonzero()[0]
        return cls(sorted_ids.take(starts), starts)

    def sums(self, values: np.ndarray) -> np.ndarray:
        """The sum of the values (rows of ``values``) in each id's run."""
        return np.add.reduceat(values, self.starts) if values.size else values[:0]


class Scratch:
    """Work arrays reused from one gradient evaluation to the next, by name, and the last tree's point order.

    The walk's and the pairs' temporaries are up to megabytes each: allocated afresh they cost page faults at every
    level (the allocator hands large blocks back to the system), about a fifth of the gradient's time. The points
    move little between iterations, so the next tree sorts them starting from the last tree's order.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        self.tree_order: np.ndarray | None = None

    def __call__(self, name: str, shape: tuple, dtype: Any = np.float32) -> np.ndarray:
        size = math.prod(shape)
        array = self._arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size + size // 4, dtype=dtype)
        return array[:size].reshape(shape)


def _repulsion_of_groups(group_coords: list, active: np.ndarray, cell_table: np.ndarray, children: np.ndarray,
                         dof: float, scratch: Scratch) -> tuple[list, float]:
    """Forces on groups of ``_LANES`` points, an (n_groups, _LANES) array per axis, and the sum of ``size * q`` used.

    A frontier row is a (group, cell) pair with a mask of the group's points (lanes) that still need the cell: the
    angle test is made per point, so every point uses exactly the cells a walk of its own would, but rows share
    the gathers and the bookkeeping. Rows stay ordered by group (children replace their parent in place), so each
    level's contributions are summed per group with ``reduceat``. ``cell_table`` holds each cell's centre of mass,
    the squared distance beyond which a point uses it whole, and its number of points.
    """
    n_groups, d = active.shape[0], len(group_coords)
    n_slots = children.shape[1]
    forces = [np.zeros((n_groups, _LANES)) for _ in group_coords]
    sum_q = 0.0
    groups = np.arange(n_groups)
    cells = np.zeros(n_groups, dtype=np.intp)
    dof32 = np.float32(dof)
    exponent = np.float32((dof + 1.0) / 2.0)
    # `take` and `nonzero` rather than fancy or boolean indexing: several times faster on these arrays; `take`
    # into a given array with mode "clip" (the indices are valid) so that it writes there without a buffer
    while groups.size:
        shape = (groups.size, _LANES)
        cell_rows = cell_table.take(cells, axis=0, out=scratch("cell_rows", (groups.size, d + 2)), mode="clip")
        deltas = []
        for axis, coord in enumerate(group_coords):
            delta = coord.take(groups, axis=0, out=scratch(f"delta{axis}", shape), mode="clip")
            np.subtract(delta, cell_rows[:, axis, None], out=delta)
            deltas.append(delta)
        squared_distance = np.multiply(deltas[0], deltas[0], out=scratch("squared_distance", shape))
        work = scratch("work", shape)
        for delta in deltas[1:]:
            squared_distance += np.multiply(delta, delta, out=work)
        # a leaf's bound is a tiny distance: the point itself (or a duplicate) is never used, nor opened further
        used = np.greater(squared_distance, cell_rows[:, d, None], out=scratch("used", shape, bool))
        opened = np.greater(active, used, out=scratch("opened", shape, bool))
        used &= active
        q = np.add(squared_distance, dof32, out=squared_distance)
        np.divide(dof32, q, out=q)
        if dof != 1:
            q **= exponent
        q *= used
        weighted = np.multiply(q, cell_rows[:, d + 1, None], out=work)
        sum_q += float(weighted.sum(dtype=np.float64))
        weighted *= q
        runs = _Runs.of(groups)
        for force, delta in zip(forces, deltas):
            delta *= weighted
            force[runs.ids] += runs.sums(delta)
        rows = (opened.view(np.uint64).ravel() != 0).nonzero()[0]  # a row's eight lane flags are one uint64
        next_cells = children.take(cells.take(rows), axis=0).ravel()
        valid = (next_cells >= 0).nonzero()[0]
        cells = next_cells.take(valid)
        parent_rows = rows.repeat(n_slots).take(valid)
        groups = groups.take(parent_rows)
        active = opened.take(parent_rows, axis=0, out=scratch("active", (groups.size, _LANES), bool), mode="clip")
    return forces, sum_q


def negative_forces(Y: np.ndarray, tree: SpaceTree, angle: float, dof: float, block_size: int = 2048,
                    scratch: Scratch | None = None) -> tuple[np.ndarray, float]:
    """Unnormalised repulsive forces ``sum_j q_ij² Z² (y_i - y_j)`` and ``Z = sum_ij q_ij Z``, by Barnes-Hut.

    A cell summarises its points for ``y_i`` when it is a leaf or ``width² / distance² < angle²``; otherwise its
    children are visited. Leaves whose centre coincides with ``y_i`` (its own leaf) are skipped. Points are walked
    in groups of ``_LANES`` neighbours in tree order, ``block_size`` points at a time (the frontier stays small).
    """
    scratch = Scratch() if scratch is None else scratch
    n, d = Y.shape
    n_groups = -(-n // _LANES)
    padding = n_groups * _LANES - n
    order = np.concatenate([tree.order, np.repeat(tree.order[-1:], padding)])
    group_coords = [Y[:, axis].take(order).reshape(n_groups, _LANES) for axis in range(d)]
    active = np.ones((n_groups, _LANES), dtype=bool)
    active[-1, _LANES - padding:] = False
    leaf = tree.n_children == 0
    with np.errstate(divide="ignore"):  # angle 0: every cell but a leaf is opened
        accept_above = np.where(leaf, _DUPLICATE_EPSILON ** 2, tree.squared_width / (angle * angle))
    cell_table = np.column_stack([tree.center_of_mass, accept_above, tree.size]).astype(Y.dtype)
    children = _child_table(tree, 2 ** d)
    forces = [np.empty((n_groups, _LANES)) for _ in range(d)]
    sum_q = 0.0
    groups_per_block = max(1, block_size // _LANES)
    for first in range(0, n_groups, groups_per_block):
        block = slice(first, first + groups_per_block)
        block_forces, block_q = _repulsion_of_groups([coord[block] for coord in group_coords], active[block],
                                                     cell_table, children, dof, scratch)
        for force, block_force in zip(forces, block_forces):
            force[block] = block_force
        sum_q += block_q
    negative = np.empty((n, d), dtype=np.float64)
    negative[tree.order] = np.column_stack([force.ravel()[:n] for force in forces])
    return negative, max(sum_q, _FLOAT64_EPS)


class NeighborEdges(NamedTuple):
    """The stored pairs of a sparse joint ``P``, each unordered pair ``first <= second`` once, sorted by ``first``.

    ``p_first = P[first, second]`` pulls ``first`` towards ``second`` and ``p_second = P[second, first]`` pulls the
    other way (float32; one array when ``P`` is symmetric, as t-SNE's is, so each pair's force is computed once).
    """

    first: np.ndarray
    second: np.ndarray
    p_first: np.ndarray
    p_second: np.ndarray
    first_runs: _Runs
    second_order: np.ndarray  # sorts the pairs by `second`
    second_runs: _Runs

    @classmethod
    def from_csr(cls, P: Any) -> NeighborEdges:
        P = P.tocoo()
        P.sum_duplicates()
        n = P.shape[0]
        rows, cols = P.row.astype(np.int64), P.col.astype(np.int64)
        keys, pair = np.unique(np.minimum(rows, cols) * n + np.maximum(rows, cols), return_inverse=True)
        first, second = np.divmod(keys, n)
        p_first = np.zeros(keys.size, dtype=np.float32)
        p_second = np.zeros(keys.size, dtype=np.float32)
        forward = rows <= cols
        p_first[pair[forward]] = P.data[forward]
        p_second[pair[~forward]] = P.data[~forward]
        if np.array_equal(p_first, p_second):
            p_second = p_first
        second_order = np.argsort(second, kind="stable")
        return cls(first.astype(np.intp), second.astype(np.intp), p_first, p_second, _Runs.of(first),
                   second_order, _Runs.of(second.take(second_order)))


def _kl_terms(p: np.ndarray, q: np.ndarray) -> float:
    """``sum p log(p / q)`` with both floored at float32's smallest normal, as scikit-learn's."""
    return float(np.sum(p * np.log(np.maximum(p, _FLOAT32_TINY) / q), dtype=np.float64))


def kl_divergence_bh(Y: np.ndarray, edges: NeighborEdges, dof: float, angle: float, compute_error: bool = True,
                     scratch: Scratch | None = None) -> tuple[float, np.ndarray]:
    """KL(P || Q) over ``P``'s stored pairs and its Barnes-Hut gradient (``Y``'s dtype), as scikit-learn's.

    Args:
        Y: embedding (n, d), d <= 3.
        edges: the stored pairs of the joint ``P``.
        compute_error: when False the returned divergence is NaN (saves a logarithm per pair).
        scratch: work arrays to reuse across calls.
    """
    scratch = Scratch() if scratch is None else scratch
    n, d = Y.shape
    Y32 = Y.astype(np.float32, copy=False)
    presort = scratch.tree_order if scratch.tree_order is not None and scratch.tree_order.size == n else None
    tree = build_tree(Y32, presort)
    scratch.tree_order = tree.order
    negative, sum_q = negative_forces(Y32, tree, angle, dof, scratch=scratch)
    shape = edges.first.shape
    diffs = []
    squared_distance = scratch("pair_distance", shape)
    work = scratch("pair_work", shape)
    for axis in range(d):
        column = np.ascontiguousarray(Y32[:, axis])
        diff = column.take(edges.first, out=scratch(f"pair_diff{axis}", shape), mode="clip")
        diff -= column.take(edges.second, out=work, mode="clip")
        diffs.append(diff)
        if axis == 0:
            np.multiply(diff, diff, out=squared_distance)
        else:
            squared_distance += np.multiply(diff, diff, out=work)
    q = np.add(squared_distance, np.float32(dof), out=squared_distance)
    np.divide(np.float32(dof), q, out=q)
    if dof != 1:
        q **= np.float32((dof + 1.0) / 2.0)
    kl = np.nan
    if compute_error:
        q_joint = np.maximum(q / np.float32(sum_q), _FLOAT32_TINY)
        kl_first = _kl_terms(edges.p_first, q_joint)
        kl = kl_first + (kl_first if edges.p_second is edges.p_first else _kl_terms(edges.p_second, q_joint))
    # attraction sum_j p_ij q_ij (y_i - y_j): + on a pair's first point, - on its second
    grad = negative
    grad *= -1.0 / sum_q
    pull_first = np.multiply(q, edges.p_first, out=scratch("pull", shape))
    pull_second = pull_first if edges.p_second is edges.p_first else np.multiply(q, edges.p_second, out=q)
    for axis, diff in enumerate(diffs):
        grad[edges.first_runs.ids, axis] += edges.first_runs.sums(np.multiply(diff, pull_first, out=work))
        if pull_second is not pull_first:
            np.multiply(diff, pull_second, out=work)
        grad[edges.second_runs.ids, axis] -= edges.second_runs.sums(work.take(edges.second_order, out=diff,
                                                                                mode="clip"))
    grad *= 2.0 * (dof + 1.0) / dof
    return kl, grad.astype(Y.dtype, copy=False)
