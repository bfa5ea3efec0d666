"""Barnes-Hut t-SNE gradient: a space-partitioning tree built level by level and walked for many points at once.

The tree is scikit-learn's quadtree (octree in 3-D, binary tree in 1-D): cells split at their centre, one point
per leaf (identical points share a leaf). It is built from Morton codes: sorting the codes puts every cell's
points in one run, so the cells of a level are the runs of equal code prefixes. The walk keeps a frontier of
(point, cell) pairs for a block of points and applies the angle criterion to the whole frontier at each level.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

_BITS = {1: 52, 2: 31, 3: 21}  # quantisation depth per axis: codes fit 63 bits, cell indices are exact floats
_DUPLICATE_EPSILON = 1e-6  # a leaf this close to a point is the point itself (or a duplicate): no self-force
_FLOAT32_TINY = np.finfo(np.float32).tiny
_FLOAT64_EPS = np.finfo(np.float64).eps


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


def build_tree(Y: np.ndarray) -> SpaceTree:
    """The quadtree (2-D), octree (3-D) or binary tree (1-D) of the points ``Y`` (n, d)."""
    n, d = Y.shape
    bits = _BITS[d]
    low = Y.min(axis=0).astype(np.float64)
    high = Y.max(axis=0).astype(np.float64)
    high = np.maximum(high * (1.0 + 1e-3 * np.sign(high)), high + 1e-3)
    widths = high - low
    scaled = (Y - low) / widths * float(2 ** bits)
    cells = np.clip(scaled, 0, 2 ** bits - 1).astype(np.uint64)
    codes = _morton_codes(cells, bits)
    order = np.argsort(codes, kind="stable")
    codes = codes.take(order)
    Y_sorted = Y.take(order, axis=0).astype(np.float64)

    root_squared_width = float(np.max(widths)) ** 2
    centers = [Y_sorted.mean(axis=0, keepdims=True)]
    sizes = [np.array([n])]
    squared_widths = [np.array([root_squared_width])]
    first_children, n_children = [], []
    # points (positions in sorted order) of the cells still to split, and the start of each such cell
    members = np.arange(n)
    starts = np.array([0])
    counts = np.array([n])
    n_cells = 1
    split = counts > 1
    for level in range(1, bits + 1):
        parent_counts = counts
        keep = np.repeat(split, parent_counts)
        members = members.compress(keep)
        parents_kept = np.flatnonzero(split)
        level_children_first = np.zeros(len(parent_counts), dtype=np.int64)
        level_children_count = np.zeros(len(parent_counts), dtype=np.int64)
        if members.size == 0:
            first_children.append(level_children_first)
            n_children.append(level_children_count)
            break
        prefix = codes.take(members) >> np.uint64(d * (bits - level))
        new_run = np.empty(members.size, dtype=bool)
        new_run[0] = True
        np.not_equal(prefix[1:], prefix[:-1], out=new_run[1:])
        starts = np.flatnonzero(new_run)
        counts = np.diff(np.append(starts, members.size))
        # which kept parent each child belongs to: parents' runs are consecutive in `members`
        parent_of_child = np.searchsorted(np.cumsum(parent_counts[split]), starts, side="right")
        child_ids = n_cells + np.arange(starts.size)
        per_parent = np.bincount(parent_of_child, minlength=parents_kept.size)
        level_children_count[parents_kept] = per_parent
        level_children_first[parents_kept] = child_ids[np.cumsum(per_parent) - per_parent]
        first_children.append(level_children_first)
        n_children.append(level_children_count)
        centers.append(np.add.reduceat(Y_sorted.take(members, axis=0), starts, axis=0) / counts[:, None])
        sizes.append(counts)
        squared_widths.append(np.full(starts.size, root_squared_width / 4.0 ** level))
        n_cells += starts.size
        split = counts > 1
        if level == bits:
            first_children.append(np.zeros(starts.size, dtype=np.int64))
            n_children.append(np.zeros(starts.size, dtype=np.int64))
    return SpaceTree(np.concatenate(centers).astype(Y.dtype), np.concatenate(sizes).astype(Y.dtype),
                     np.concatenate(squared_widths).astype(Y.dtype), np.concatenate(first_children),
                     np.concatenate(n_children), order)


def _child_table(tree: SpaceTree, n_slots: int) -> np.ndarray:
    """(n_cells, n_slots) child cell ids, -1 where a cell has fewer children."""
    slots = np.arange(n_slots)
    return np.where(slots < tree.n_children[:, None], tree.first_child[:, None] + slots, -1)


def _add_segment_sums(totals: list, owners: np.ndarray, values: list, slots: np.ndarray) -> None:
    """``totals[axis][k] += sum(values[axis][owners == k])`` for sorted ``owners`` (``slots``: all possible k)."""
    if owners.size == 0:
        return
    starts = owners.searchsorted(slots)
    present = (owners.searchsorted(slots, side="right") > starts).nonzero()[0]
    starts = starts.take(present)
    for total, value in zip(totals, values):
        total[present] += np.add.reduceat(value, starts)


def _repulsion_of_block(points: np.ndarray, coords: list, tree: SpaceTree, centers: list, open_below: np.ndarray,
                        children: np.ndarray, dof: float) -> tuple[np.ndarray, list]:
    """Forces (len(points), d) on a block of points, and the ``size * q`` of every summary they use.

    The frontier lists a point's pairs together and in block order at every level (children are inserted in place
    of their parent), so each level's summaries are summed per point with ``reduceat`` rather than ``bincount``.
    """
    d = len(coords)
    n_slots = children.shape[1]
    block = np.arange(points.size)
    block_coords = [coord.take(points) for coord in coords]
    forces = [np.zeros(points.size) for _ in range(d)]
    summary_q = []
    targets = block
    cells = np.zeros(points.size, dtype=np.intp)
    # `take` and `nonzero` rather than fancy or boolean indexing: several times faster on these arrays
    while targets.size:
        deltas = [coord.take(targets) - center.take(cells) for coord, center in zip(block_coords, centers)]
        squared_distance = deltas[0] * deltas[0]
        for delta in deltas[1:]:
            squared_distance += delta * delta
        descend = squared_distance <= open_below.take(cells)
        summary = (~descend & (squared_distance > _DUPLICATE_EPSILON ** 2)).nonzero()[0]
        q = dof / (dof + squared_distance.take(summary))
        if dof != 1:
            q **= (dof + 1.0) / 2.0
        weighted = tree.size.take(cells.take(summary)) * q
        summary_q.append(weighted)
        weighted = weighted * q
        _add_segment_sums(forces, targets.take(summary), [delta.take(summary) * weighted for delta in deltas], block)
        opened = descend.nonzero()[0]
        next_cells = children.take(cells.take(opened), axis=0).ravel()
        valid = (next_cells >= 0).nonzero()[0]
        cells = next_cells.take(valid)
        targets = targets.take(opened).repeat(n_slots).take(valid)
    return np.column_stack(forces), summary_q


def negative_forces(Y: np.ndarray, tree: SpaceTree, angle: float, dof: float,
                    block_size: int = 512) -> tuple[np.ndarray, float]:
    """Unnormalised repulsive forces ``sum_j q_ij² Z² (y_i - y_j)`` and ``Z = sum_ij q_ij Z``, by Barnes-Hut.

    A cell summarises its points for ``y_i`` when it is a leaf or ``width² / distance² < angle²``; otherwise its
    children are visited. Leaves whose centre coincides with ``y_i`` (its own leaf) are skipped. Points are
    processed in blocks of neighbours (in tree order) so that the frontier arrays stay in cache.
    """
    n, d = Y.shape
    coords = [np.ascontiguousarray(Y[:, axis]) for axis in range(d)]
    centers = [np.ascontiguousarray(tree.center_of_mass[:, axis]) for axis in range(d)]
    leaf = tree.n_children == 0
    with np.errstate(divide="ignore"):  # angle 0: every cell but a leaf is opened
        open_below = np.where(leaf, -np.inf, tree.squared_width / (angle * angle)).astype(Y.dtype)
    children = _child_table(tree, 2 ** d)
    negative = np.empty((n, d), dtype=np.float64)
    summary_q = []
    for start in range(0, n, block_size):
        points = tree.order[start:start + block_size]
        negative[points], block_q = _repulsion_of_block(points, coords, tree, centers, open_below, children, dof)
        summary_q += block_q
    sum_q = float(np.concatenate(summary_q).sum(dtype=np.float64))
    return negative, max(sum_q, _FLOAT64_EPS)


class NeighborEdges(NamedTuple):
    """The stored pairs of a sparse joint ``P`` (CSR layout; float32 probabilities) and each pair's row."""

    rows: np.ndarray
    cols: np.ndarray
    indptr: np.ndarray
    p: np.ndarray

    @classmethod
    def from_csr(cls, P: Any) -> NeighborEdges:
        rows = np.repeat(np.arange(P.shape[0]), np.diff(P.indptr))
        return cls(rows, P.indices.astype(np.intp), P.indptr, P.data.astype(np.float32))


def kl_divergence_bh(Y: np.ndarray, edges: NeighborEdges, dof: float, angle: float,
                     compute_error: bool = True) -> tuple[float, np.ndarray]:
    """KL(P || Q) over ``P``'s stored pairs and its Barnes-Hut gradient (``Y``'s dtype), as scikit-learn's.

    Args:
        Y: embedding (n, d), d <= 3.
        edges: the stored pairs of the joint ``P``.
        compute_error: when False the returned divergence is NaN (saves a logarithm per pair).
    """
    n, d = Y.shape
    Y32 = Y.astype(np.float32, copy=False)
    negative, sum_q = negative_forces(Y32, build_tree(Y32), angle, dof)
    diffs = []
    squared_distance = np.zeros(edges.rows.size, dtype=np.float32)
    for axis in range(d):
        column = np.ascontiguousarray(Y32[:, axis])
        diff = column.take(edges.rows)
        diff -= column.take(edges.cols)
        squared_distance += diff * diff
        diffs.append(diff)
    q = np.float32(dof) / (np.float32(dof) + squared_distance)
    if dof != 1:
        q **= np.float32((dof + 1.0) / 2.0)
    kl = np.nan
    if compute_error:
        ratio = np.maximum(edges.p, _FLOAT32_TINY) / np.maximum(q / np.float32(sum_q), _FLOAT32_TINY)
        kl = float(np.sum(edges.p * np.log(ratio), dtype=np.float64))
    # attraction sum_j p_ij q_ij (y_i - y_j): the pairs are stored row by row, so rows own consecutive segments
    pull = edges.p * q
    attraction = [np.zeros(n) for _ in range(d)]
    _add_segment_sums(attraction, edges.rows, [pull * diff for diff in diffs], np.arange(n))
    grad = np.column_stack(attraction)
    grad -= negative / sum_q
    grad *= 2.0 * (dof + 1.0) / dof
    return kl, grad.astype(Y.dtype, copy=False)
