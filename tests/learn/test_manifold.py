"""ndflow.learn.manifold: NumPy/SciPy references, the notes' swiss-roll workflow and parity with scikit-learn."""
from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats
from scipy.linalg import eigh
from scipy.sparse.csgraph import shortest_path

from ndflow.learn.datasets import load_iris, make_swiss_roll
from ndflow.learn.decomposition import PCA
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.manifold import (
    MDS,
    TSNE,
    ClassicalMDS,
    Isomap,
    LocallyLinearEmbedding,
    SpectralEmbedding,
    trustworthiness,
)
from ndflow.learn.manifold._barnes_hut import (
    NeighborEdges,
    Scratch,
    _split_levels,
    build_tree,
    kl_divergence_bh,
    negative_forces,
)
from ndflow.learn.manifold._locally_linear import barycenter_weights
from ndflow.learn.manifold._t_sne import _kl_divergence, conditional_probabilities


@pytest.fixture(scope="module")
def swiss_roll():
    return make_swiss_roll(n_samples=1000, noise=0.2, random_state=41)


def _arc(n=60):
    t = np.linspace(0, np.pi, n)
    return np.column_stack([np.cos(t), np.sin(t)]), t


def _blobs(seed=0, n=40):
    rng = np.random.RandomState(seed)
    centers = np.array([[0.0] * 5, [8.0] * 5, [-8.0, 8.0, -8.0, 8.0, -8.0]])
    X = np.vstack([c + rng.randn(n, 5) for c in centers])
    return X, np.repeat([0, 1, 2], n)


# ---------------------------------------------------------------------------------------------- LLE


def test_barycenter_weights_rebuild_points_in_the_neighbors_affine_hull():
    rng = np.random.RandomState(0)
    Y = rng.randn(10, 3)
    ind = np.array([[0, 1, 2], [3, 4, 5]])
    X = np.array([0.2 * Y[0] + 0.3 * Y[1] + 0.5 * Y[2], -0.5 * Y[3] + 1.0 * Y[4] + 0.5 * Y[5]])
    W = barycenter_weights(X, Y, ind, reg=1e-12)
    np.testing.assert_allclose(W.sum(axis=1), 1.0)
    np.testing.assert_allclose(W, [[0.2, 0.3, 0.5], [-0.5, 1.0, 0.5]], atol=1e-6)


def test_lle_unrolls_the_swiss_roll(swiss_roll):
    X, t = swiss_roll
    lle = LocallyLinearEmbedding(n_components=2, n_neighbors=10, random_state=42)
    X_reduced = lle.fit_transform(X)
    assert X_reduced.shape == (1000, 2)
    # the eigenvectors of M are orthonormal and the roll's position t is monotone along one of them
    np.testing.assert_allclose(X_reduced.T @ X_reduced, np.eye(2), atol=1e-6)
    assert max(abs(stats.spearmanr(X_reduced[:, i], t)[0]) for i in range(2)) > 0.9
    assert 0 <= lle.reconstruction_error_ < 1e-4
    np.testing.assert_allclose(lle.transform(X[:50]), X_reduced[:50], atol=5e-3)


def test_lle_dense_and_arpack_agree():
    X, _ = make_swiss_roll(n_samples=300, noise=0.1, random_state=0)
    dense = LocallyLinearEmbedding(n_neighbors=10, eigen_solver="dense").fit(X)
    arpack = LocallyLinearEmbedding(n_neighbors=10, eigen_solver="arpack", random_state=0).fit(X)
    np.testing.assert_allclose(np.abs(dense.embedding_), np.abs(arpack.embedding_), atol=1e-6)
    np.testing.assert_allclose(dense.reconstruction_error_, arpack.reconstruction_error_, rtol=1e-4)


def test_lle_ltsa_unrolls_the_swiss_roll():
    X, t = make_swiss_roll(n_samples=800, noise=0.0, random_state=0)
    Z = LocallyLinearEmbedding(n_neighbors=10, method="ltsa", random_state=0).fit_transform(X)
    assert max(abs(stats.spearmanr(Z[:, i], t)[0]) for i in range(2)) > 0.9


def test_lle_errors():
    X = np.random.RandomState(0).randn(10, 3)
    with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples"):
        LocallyLinearEmbedding(n_neighbors=10).fit(X)
    with pytest.raises(ValueError, match="output dimension must be less than or equal to input dimension"):
        LocallyLinearEmbedding(n_components=4, n_neighbors=3).fit(X)
    with pytest.raises(NotImplementedError, match="not supported yet"):
        LocallyLinearEmbedding(n_neighbors=3, method="hessian").fit(X)
    with pytest.raises(ValueError, match="method"):
        LocallyLinearEmbedding(method="nope").fit(X)
    with pytest.raises(NotFittedError):
        LocallyLinearEmbedding().transform(X)


# ---------------------------------------------------------------------------------------------- Isomap


def test_isomap_geodesics_are_graph_shortest_paths_and_unroll_an_arc():
    X, t = _arc()
    iso = Isomap(n_neighbors=4, n_components=1).fit(X)
    from ndflow.learn.neighbors import kneighbors_graph

    expected = shortest_path(kneighbors_graph(X, 4, mode="distance"), directed=False)
    np.testing.assert_allclose(iso.dist_matrix_, expected, atol=1e-12)
    # on an arc the geodesic distance is the arc length, so the 1-D embedding is linear in t
    assert abs(np.corrcoef(iso.embedding_[:, 0], t)[0, 1]) > 0.9999
    np.testing.assert_allclose(iso.transform(X), iso.embedding_, atol=1e-8)
    assert iso.reconstruction_error() < 1e-2


def test_isomap_radius_neighbors_and_disconnected_graph_warning():
    X, t = _arc()
    iso = Isomap(n_neighbors=None, radius=0.2, n_components=1).fit(X)
    assert abs(np.corrcoef(iso.embedding_[:, 0], t)[0, 1]) > 0.9999
    two_clouds = np.vstack([X, X + 10.0])
    with pytest.warns(UserWarning, match="number of connected components of the neighbors graph is 2"):
        iso = Isomap(n_neighbors=3, n_components=1).fit(two_clouds)
    assert np.isfinite(iso.dist_matrix_).all()
    with pytest.raises(ValueError, match="Both n_neighbors and radius are provided"):
        Isomap(n_neighbors=3, radius=1.0).fit(X)


# ---------------------------------------------------------------------------------------------- MDS


def test_metric_mds_recovers_euclidean_distances():
    rng = np.random.RandomState(0)
    X = rng.randn(30, 2)
    mds = MDS(n_components=2, init="classical_mds", random_state=0, eps=1e-12, max_iter=1000)
    Z = mds.fit_transform(X)
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    np.testing.assert_allclose(np.sqrt(((Z[:, None] - Z[None]) ** 2).sum(-1)), D, atol=1e-4)
    assert mds.stress_ < 1e-6
    np.testing.assert_allclose(mds.dissimilarity_matrix_, D, atol=1e-12)


def test_mds_precomputed_nonmetric_keeps_rank_order():
    rng = np.random.RandomState(1)
    X = rng.randn(25, 3)
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1)) ** 2  # a monotone transform of the distances
    mds = MDS(n_components=3, metric="precomputed", metric_mds=False, init="random", random_state=0, n_init=2)
    Z = mds.fit_transform(D)
    iu = np.triu_indices(25, 1)
    embedded = np.sqrt(((Z[:, None] - Z[None]) ** 2).sum(-1))
    assert stats.spearmanr(embedded[iu], D[iu])[0] > 0.95
    assert 0 <= mds.stress_ < 0.2


def test_mds_init_warning_and_errors():
    X = np.random.RandomState(0).randn(8, 3)
    with pytest.warns(FutureWarning, match="default value of `init` will change"):
        MDS(random_state=0, max_iter=5).fit(X)
    with pytest.raises(ValueError, match="symmetric"):
        MDS(metric="precomputed", init="random").fit(np.arange(16.0).reshape(4, 4))


def test_classical_mds_equals_pca_projection():
    X = load_iris().data
    Z = ClassicalMDS(n_components=2).fit_transform(X)
    np.testing.assert_allclose(np.abs(Z), np.abs(PCA(2).fit_transform(X)), atol=1e-8)


# ---------------------------------------------------------------------------------------------- t-SNE


def test_conditional_probabilities_reach_the_perplexity():
    rng = np.random.RandomState(0)
    X = rng.randn(50, 4)
    D = ((X[:, None] - X[None]) ** 2).sum(-1)
    P = conditional_probabilities(D, 10.0, neighbors_only=False)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert np.all(np.diag(P) == 0)
    entropy = -np.sum(np.where(P > 0, P * np.log(np.where(P > 0, P, 1)), 0.0), axis=1)
    np.testing.assert_allclose(np.exp(entropy), 10.0, rtol=1e-4)


@pytest.mark.parametrize("sparse_p", [False, True])
def test_kl_gradient_matches_finite_differences(sparse_p):
    rng = np.random.RandomState(0)
    n = 12
    P = rng.rand(n, n)
    if sparse_p:
        P[rng.rand(n, n) < 0.5] = 0
    P = P + P.T
    np.fill_diagonal(P, 0)
    P /= P.sum()
    Y = rng.randn(n, 2)
    P_arg = sp.csr_matrix(P) if sparse_p else P
    kl, grad = _kl_divergence(Y, P_arg, 1.0)
    numeric = np.zeros_like(Y)
    h = 1e-3 if sparse_p else 1e-6  # the sparse path works in float32, like scikit-learn's Barnes-Hut code
    for idx in np.ndindex(*Y.shape):
        step = np.zeros_like(Y)
        step[idx] = h
        numeric[idx] = (_kl_divergence(Y + step, P_arg, 1.0)[0] - _kl_divergence(Y - step, P_arg, 1.0)[0]) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-3 if sparse_p else 1e-5, atol=2e-4 if sparse_p else 1e-8)
    Q = 1 / (1 + ((Y[:, None] - Y[None]) ** 2).sum(-1))
    np.fill_diagonal(Q, 0)
    Q /= Q.sum()
    mask = P > 0
    np.testing.assert_allclose(kl, np.sum(P[mask] * np.log(P[mask] / Q[mask])), rtol=1e-6 if sparse_p else 1e-10)


@pytest.mark.parametrize("method", ["exact", "barnes_hut"])
@pytest.mark.parametrize("init", ["pca", "random"])
def test_tsne_separates_blobs(method, init):
    X, labels = _blobs()
    tsne = TSNE(perplexity=15, method=method, init=init, random_state=0, max_iter=300)
    Z = tsne.fit_transform(X)
    assert Z.shape == (120, 2) and tsne.embedding_ is Z
    assert tsne.kl_divergence_ >= 0 and tsne.n_iter_ == 299
    assert tsne.learning_rate_ == 50
    assert trustworthiness(X, Z, n_neighbors=5) > 0.9
    centroids = np.array([Z[labels == k].mean(axis=0) for k in range(3)])
    spread = max(np.linalg.norm(Z[labels == k] - centroids[k], axis=1).mean() for k in range(3))
    assert min(np.linalg.norm(centroids[a] - centroids[b]) for a, b in ((0, 1), (0, 2), (1, 2))) > 2 * spread


def _exact_repulsion(Y, dof):
    """Reference for the Barnes-Hut repulsion: all pairs, ``q = (dof / (dof + d²)) ** ((dof + 1) / 2)``."""
    Y = Y.astype(np.float64)
    diff = Y[:, None] - Y[None]
    q = (dof / (dof + (diff ** 2).sum(-1))) ** ((dof + 1) / 2)
    np.fill_diagonal(q, 0)
    return ((q ** 2)[..., None] * diff).sum(1), q.sum()


@pytest.mark.parametrize("d", [1, 2, 3])
def test_space_tree_cells_partition_the_points(d):
    rng = np.random.RandomState(d)
    Y = rng.randn(300, d).astype(np.float32)
    Y[10] = Y[11] = Y[12]  # identical points share one leaf
    tree = build_tree(Y)
    leaf = tree.n_children == 0
    assert tree.size[0] == 300 and tree.size[leaf].sum() == 300
    assert sorted(tree.size[leaf][tree.size[leaf] > 1]) == [3]
    np.testing.assert_allclose(tree.center_of_mass[0], Y.mean(0), rtol=1e-5, atol=1e-6)
    assert np.all(tree.n_children <= 2 ** d)
    for cell in np.flatnonzero(~leaf):
        kids = tree.first_child[cell] + np.arange(tree.n_children[cell])
        assert tree.size[kids].sum() == tree.size[cell]
        np.testing.assert_allclose(tree.squared_width[kids], tree.squared_width[cell] / 4, rtol=1e-6)
        np.testing.assert_allclose((tree.size[kids, None] * tree.center_of_mass[kids]).sum(0) / tree.size[cell],
                                   tree.center_of_mass[cell], rtol=1e-4, atol=1e-5)
    assert sorted(tree.order) == list(range(300))


@pytest.mark.parametrize("d, bits", [(1, 52), (2, 31), (3, 21)])
def test_split_levels_are_the_first_differing_digit(d, bits):
    rng = np.random.RandomState(d)
    top = d * bits
    codes = [int(c) >> (63 - top) for c in rng.randint(0, 2 ** 62, size=50, dtype=np.int64)]
    # codes whose xor needs more than a float's 53 bits: its conversion rounds up to the next power of two
    codes += [2 ** (top - 1) - 1, 2 ** (top - 1), 2 ** (top - 1), 2 ** top - 1, 1, 0]
    codes = np.array(sorted(codes), dtype=np.uint64)
    expected = [bits + 1 if a == b else bits - ((int(a) ^ int(b)).bit_length() - 1) // d
                for a, b in zip(codes[:-1], codes[1:])]
    np.testing.assert_array_equal(_split_levels(codes, d, bits), expected)


def test_space_tree_from_a_presorted_order_is_the_same_tree():
    rng = np.random.RandomState(4)
    Y = rng.randn(500, 2).astype(np.float32)
    tree = build_tree(Y)
    moved = Y + 0.01 * rng.randn(500, 2).astype(np.float32)
    for got, expected in zip(build_tree(moved, presort=tree.order), build_tree(moved)):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("d, dof", [(1, 1.0), (2, 1.0), (3, 2.0)])
def test_barnes_hut_repulsion_is_exact_at_angle_zero_and_close_at_half(d, dof):
    rng = np.random.RandomState(0)
    Y = (rng.randn(400, d) * 5).astype(np.float32)
    expected, expected_z = _exact_repulsion(Y, dof)
    forces, z = negative_forces(Y, build_tree(Y), 0.0, dof, block_size=64)
    np.testing.assert_allclose(forces, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
    np.testing.assert_allclose(z, expected_z, rtol=1e-5)
    forces, z = negative_forces(Y, build_tree(Y), 0.5, dof)
    assert np.abs(forces - expected).max() < 0.05 * np.abs(expected).max()
    np.testing.assert_allclose(z, expected_z, rtol=0.02)


def _per_point_barnes_hut(Y, tree, angle, dof):
    """Reference walk, one point at a time: a cell summarises when it is a leaf or width² / distance² < angle²."""
    Y = Y.astype(np.float64)
    forces, z = np.zeros_like(Y), 0.0
    for i, y in enumerate(Y):
        stack = [0]
        while stack:
            cell = stack.pop()
            delta = y - tree.center_of_mass[cell].astype(np.float64)
            distance2 = delta @ delta
            leaf = tree.n_children[cell] == 0
            if leaf or tree.squared_width[cell] < angle ** 2 * distance2:
                if not (leaf and distance2 <= 1e-12):  # the point's own leaf
                    q = (dof / (dof + distance2)) ** ((dof + 1) / 2)
                    z += tree.size[cell] * q
                    forces[i] += tree.size[cell] * q * q * delta
            else:
                stack.extend(tree.first_child[cell] + np.arange(tree.n_children[cell]))
    return forces, z


@pytest.mark.parametrize("d, dof, n", [(1, 1.0, 150), (2, 1.0, 301), (3, 2.0, 203)])
def test_grouped_barnes_hut_walk_uses_each_points_own_cells(d, dof, n):
    # n not a multiple of the 8 points walked together; several blocks; clusters so that groups straddle cells
    rng = np.random.RandomState(d)
    Y = (rng.randn(n, d) + 6 * rng.randn(4, d)[rng.randint(4, size=n)]).astype(np.float32)
    Y[5] = Y[6]  # a duplicate: no force between the two
    tree = build_tree(Y)
    expected, expected_z = _per_point_barnes_hut(Y, tree, 0.5, dof)
    scratch = Scratch()
    for block_size in (40, 2048):
        forces, z = negative_forces(Y, tree, 0.5, dof, block_size=block_size, scratch=scratch)
        np.testing.assert_allclose(forces, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
        np.testing.assert_allclose(z, expected_z, rtol=1e-5)


def test_barnes_hut_scratch_arrays_are_reused_across_sizes():
    rng = np.random.RandomState(0)
    scratch = Scratch()
    for n in (500, 60, 500):
        Y = rng.randn(n, 2).astype(np.float32)
        tree = build_tree(Y)
        forces, z = negative_forces(Y, tree, 0.5, 1.0, scratch=scratch)
        expected, expected_z = _per_point_barnes_hut(Y, tree, 0.5, 1.0)
        np.testing.assert_allclose(forces, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
        np.testing.assert_allclose(z, expected_z, rtol=1e-5)
        fresh_forces, fresh_z = negative_forces(Y, tree, 0.5, 1.0)  # stale scratch contents change nothing
        np.testing.assert_array_equal(forces, fresh_forces)
        assert z == fresh_z


@pytest.mark.parametrize("symmetric", [True, False])
def test_barnes_hut_gradient_at_angle_zero_equals_the_exact_sparse_gradient_for_any_stored_pairs(symmetric):
    # an asymmetric P, with stored diagonal entries, is pulled pair by pair in each direction
    rng = np.random.RandomState(2)
    n = 50
    P = rng.rand(n, n) * (rng.rand(n, n) < 0.2)
    if symmetric:  # as t-SNE's joint P: no diagonal
        P = P + P.T
        np.fill_diagonal(P, 0.0)
    else:
        P[np.arange(0, n, 7), np.arange(0, n, 7)] = 0.01
    P = sp.csr_matrix(P / P.sum())
    edges = NeighborEdges.from_csr(P)
    assert (edges.p_second is edges.p_first) == symmetric
    assert np.all(edges.first <= edges.second) and edges.first.size == sp.triu(P + P.T).nnz
    Y = rng.randn(n, 2).astype(np.float32)
    kl, grad = kl_divergence_bh(Y, edges, 1.0, 0.0)
    kl_exact, grad_exact = _kl_divergence(Y, P, 1.0)
    np.testing.assert_allclose(kl, kl_exact, rtol=1e-4)
    np.testing.assert_allclose(grad, grad_exact, rtol=1e-3, atol=1e-4 * np.abs(grad_exact).max())


def test_barnes_hut_gradient_at_angle_zero_equals_the_exact_sparse_gradient():
    rng = np.random.RandomState(1)
    n = 60
    P = rng.rand(n, n) * (rng.rand(n, n) < 0.2)
    P = P + P.T
    P = sp.csr_matrix(P / P.sum())
    Y = rng.randn(n, 2).astype(np.float32)
    kl, grad = kl_divergence_bh(Y, NeighborEdges.from_csr(P), 1.0, 0.0)
    kl_exact, grad_exact = _kl_divergence(Y, P, 1.0)
    np.testing.assert_allclose(kl, kl_exact, rtol=1e-4)
    np.testing.assert_allclose(grad, grad_exact, rtol=1e-3, atol=1e-4 * np.abs(grad_exact).max())
    assert grad.dtype == np.float32


@pytest.mark.parametrize("n_components, min_trust", [(1, 0.9), (3, 0.75)])  # 3-D: dof 2, slower in 300 iterations
def test_tsne_barnes_hut_in_1d_and_3d(n_components, min_trust):
    X, labels = _blobs()
    tsne = TSNE(n_components=n_components, perplexity=15, random_state=0, max_iter=300)
    Z = tsne.fit_transform(X)
    assert Z.shape == (120, n_components) and np.all(np.isfinite(Z))
    assert tsne.kl_divergence_ > 0
    assert trustworthiness(X, Z, n_neighbors=5) > min_trust


def test_trustworthiness_hand_values():
    X = np.arange(10.0)[:, None]
    assert trustworthiness(X, X, n_neighbors=2) == 1.0
    # swapping two far points: each gains neighbors ranked far away in the input
    Z = X.copy()
    Z[[0, 9]] = Z[[9, 0]]
    assert trustworthiness(X, Z, n_neighbors=2) < 1.0


def test_tsne_errors():
    X = np.random.RandomState(0).randn(10, 3)
    with pytest.raises(ValueError, match=r"perplexity \(10\) must be less than n_samples \(10\)"):
        TSNE(perplexity=10).fit(X)
    with pytest.raises(ValueError, match='init="pca" cannot be used with metric="precomputed"'):
        TSNE(metric="precomputed", perplexity=2).fit(np.zeros((10, 10)))
    with pytest.raises(ValueError, match="'n_components' should be inferior to 4"):
        TSNE(n_components=4, perplexity=2).fit(X)
    with pytest.raises(ValueError, match="max_iter"):
        TSNE(max_iter=10).fit(X)


# ---------------------------------------------------------------------------------------------- spectral embedding


def test_spectral_embedding_of_a_path_graph_matches_laplacian_eigenvectors():
    n = 30
    A = np.diag(np.ones(n - 1), 1)
    A = A + A.T
    Z = SpectralEmbedding(n_components=2, affinity="precomputed", random_state=0).fit_transform(A)
    degree = A.sum(axis=1)
    L = np.eye(n) - A / np.sqrt(np.outer(degree, degree))
    _, vectors = eigh(L)
    expected = vectors[:, 1:3] / np.sqrt(degree)[:, None]
    np.testing.assert_allclose(np.abs(Z), np.abs(expected), atol=1e-8)
    # the first non-trivial eigenvector orders the path
    assert abs(stats.spearmanr(Z[:, 0], np.arange(n))[0]) == 1.0


def test_spectral_embedding_affinities():
    X, labels = _blobs()
    nn = SpectralEmbedding(n_components=2, random_state=0).fit(X)
    assert nn.n_neighbors_ == 12
    assert sp.issparse(nn.affinity_matrix_)
    rbf = SpectralEmbedding(n_components=2, affinity="rbf", gamma=0.01, random_state=0).fit(X)
    assert rbf.gamma_ == 0.01 and rbf.affinity_matrix_.shape == (120, 120)
    with pytest.raises(NotImplementedError, match="not supported yet"):
        SpectralEmbedding(eigen_solver="amg").fit(X)


# ---------------------------------------------------------------------------------------------- parity


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"n_components": 2, "n_neighbors": 10, "random_state": 42},
    {"n_components": 2, "n_neighbors": 10, "eigen_solver": "dense"},
    {"n_components": 2, "n_neighbors": 8, "method": "ltsa", "random_state": 0},
])
def test_lle_parity(kwargs):
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X, _ = make_swiss_roll(n_samples=400, noise=0.2, random_state=41)
    ours = LocallyLinearEmbedding(**kwargs).fit(X)
    theirs = sklearn_manifold.LocallyLinearEmbedding(**kwargs).fit(X)
    np.testing.assert_allclose(np.abs(ours.embedding_), np.abs(theirs.embedding_), atol=1e-6)
    np.testing.assert_allclose(ours.reconstruction_error_, theirs.reconstruction_error_, rtol=1e-5)
    np.testing.assert_allclose(np.abs(ours.transform(X[:20])), np.abs(theirs.transform(X[:20])), atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"n_neighbors": 10}, {"n_neighbors": None, "radius": 4.0, "n_components": 3}])
def test_isomap_parity(kwargs):
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X, _ = make_swiss_roll(n_samples=300, noise=0.2, random_state=41)
    ours, theirs = Isomap(**kwargs).fit(X), sklearn_manifold.Isomap(**kwargs).fit(X)
    np.testing.assert_allclose(ours.dist_matrix_, theirs.dist_matrix_, atol=1e-10)
    np.testing.assert_allclose(ours.embedding_, theirs.embedding_, atol=1e-8)
    np.testing.assert_allclose(ours.reconstruction_error(), theirs.reconstruction_error(), rtol=1e-8)
    np.testing.assert_allclose(ours.transform(X[:30]), theirs.transform(X[:30]), atol=1e-8)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"random_state": 0, "n_init": 2, "init": "random"},
    {"init": "classical_mds"},
    {"random_state": 0, "metric_mds": False, "init": "random"},
])
def test_mds_parity(kwargs):
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X = np.random.RandomState(0).randn(50, 4)
    ours, theirs = MDS(**kwargs).fit(X), sklearn_manifold.MDS(**kwargs).fit(X)
    np.testing.assert_allclose(ours.embedding_, theirs.embedding_, atol=1e-8)
    np.testing.assert_allclose(ours.stress_, theirs.stress_, rtol=1e-8)
    assert ours.n_iter_ == theirs.n_iter_


@pytest.mark.parity
def test_classical_mds_parity():
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X = load_iris().data
    ours, theirs = ClassicalMDS(n_components=3).fit(X), sklearn_manifold.ClassicalMDS(n_components=3).fit(X)
    np.testing.assert_allclose(ours.embedding_, theirs.embedding_, atol=1e-8)
    np.testing.assert_allclose(ours.eigenvalues_, theirs.eigenvalues_, rtol=1e-10)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"random_state": 0}, {"affinity": "rbf", "gamma": 0.05, "random_state": 1,
                                                          "n_components": 3}])
def test_spectral_embedding_parity(kwargs):
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X, _ = make_swiss_roll(n_samples=300, noise=0.1, random_state=0)
    ours, theirs = SpectralEmbedding(**kwargs).fit(X), sklearn_manifold.SpectralEmbedding(**kwargs).fit(X)
    np.testing.assert_allclose(ours.embedding_, theirs.embedding_, atol=1e-8)


def _one_openmp_thread():
    """scikit-learn's Barnes-Hut code on one OpenMP thread: its threads crawl on a busy shared machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="openmp")


@pytest.mark.parity
def test_tsne_input_probabilities_parity():
    pytest.importorskip("sklearn")
    from sklearn.manifold._utils import _binary_search_perplexity

    rng = np.random.RandomState(0)
    X = rng.randn(60, 5).astype(np.float32)
    D = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.testing.assert_allclose(conditional_probabilities(D, 12.0, neighbors_only=False),
                               _binary_search_perplexity(D, 12.0, 0), atol=1e-12)
    nearest = np.sort(D, axis=1)[:, 1:20]
    np.testing.assert_allclose(conditional_probabilities(nearest, 5.0, neighbors_only=True),
                               _binary_search_perplexity(nearest, 5.0, 0), atol=1e-12)


@pytest.mark.parity
@pytest.mark.parametrize("method", ["exact", "barnes_hut"])
def test_tsne_parity(method):
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    X, _ = _blobs()
    ours = TSNE(perplexity=15, method=method, random_state=0, max_iter=300)
    theirs = sklearn_manifold.TSNE(perplexity=15, method=method, random_state=0, max_iter=300)
    Z_ours = ours.fit_transform(X)
    with _one_openmp_thread():
        Z_theirs = theirs.fit_transform(X)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.kl_divergence_, theirs.kl_divergence_, rtol=0.15)
    np.testing.assert_allclose(trustworthiness(X, Z_ours), sklearn_manifold.trustworthiness(X, Z_theirs), atol=0.02)
    np.testing.assert_allclose(trustworthiness(X, Z_theirs), sklearn_manifold.trustworthiness(X, Z_theirs),
                               rtol=1e-12)


@pytest.mark.parity
@pytest.mark.parametrize("d", [2, 3])
def test_barnes_hut_gradient_parity(d):
    pytest.importorskip("sklearn")
    from sklearn.manifold._t_sne import _kl_divergence_bh

    rng = np.random.RandomState(0)
    n = 300
    X = rng.randn(n, 5)
    P = TSNE(perplexity=10, n_components=d)._input_probabilities(X).astype(np.float32)
    Y = (rng.randn(n, d) * 3 + 20 * rng.randn(5, d)[rng.randint(5, size=n)]).astype(np.float32)
    dof = max(d - 1, 1)
    kl, grad = kl_divergence_bh(Y, NeighborEdges.from_csr(P), dof, 0.5)
    kl_theirs, grad_theirs = _kl_divergence_bh(Y.ravel().copy(), P, dof, n, d, 0.5, num_threads=1)
    np.testing.assert_allclose(kl, kl_theirs, rtol=1e-4)
    np.testing.assert_allclose(grad, grad_theirs.reshape(n, d), rtol=1e-3, atol=1e-4 * np.abs(grad_theirs).max())


@pytest.mark.parity
def test_tsne_barnes_hut_quality_parity():
    sklearn_manifold = pytest.importorskip("sklearn.manifold")
    rng = np.random.RandomState(3)
    X = 6.0 * rng.randn(6, 20)[rng.randint(6, size=300)] + rng.randn(300, 20)
    ours = TSNE(random_state=0, max_iter=500)
    theirs = sklearn_manifold.TSNE(random_state=0, max_iter=500)
    Z_ours = ours.fit_transform(X)
    with _one_openmp_thread():
        Z_theirs = theirs.fit_transform(X)
    assert ours.n_iter_ == theirs.n_iter_ and ours.learning_rate_ == theirs.learning_rate_
    np.testing.assert_allclose(ours.kl_divergence_, theirs.kl_divergence_, rtol=0.1)
    assert abs(trustworthiness(X, Z_ours) - trustworthiness(X, Z_theirs)) < 0.01


# ---------------------------------------------------------------------------------------------- check_estimator


def _estimators():
    return [
        LocallyLinearEmbedding(), Isomap(), MDS(init="random", max_iter=50), ClassicalMDS(),
        TSNE(perplexity=2, max_iter=250), SpectralEmbedding(),
    ]


def _parametrize_with_checks():
    try:
        from sklearn.utils.estimator_checks import parametrize_with_checks
    except ImportError:
        return pytest.mark.skip(reason="scikit-learn is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Estimator .* does not inherit from `sklearn.base.BaseEstimator`")
        return parametrize_with_checks(_estimators())


@pytest.mark.parity
@_parametrize_with_checks()
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
