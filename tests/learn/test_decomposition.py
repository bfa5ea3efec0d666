"""ndflow.learn.decomposition and ndflow.learn.utils.extmath: NumPy/SciPy references, the notes' workflows and
parity with scikit-learn."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from ndflow.learn.datasets import load_digits, load_iris, make_swiss_roll
from ndflow.learn.decomposition import NMF, PCA, FactorAnalysis, IncrementalPCA, KernelPCA, TruncatedSVD
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.utils.extmath import randomized_svd, svd_flip


def _toy_3d():
    """The notes' 3-D toy data (m=60, seed 4, w1=0.1, w2=0.3, noise 0.1)."""
    np.random.seed(4)
    m, w1, w2, noise = 60, 0.1, 0.3, 0.1
    angles = np.random.rand(m) * 3 * np.pi / 2 - 0.5
    X = np.empty((m, 3))
    X[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * np.random.randn(m) / 2
    X[:, 1] = np.sin(angles) * 0.7 + noise * np.random.randn(m) / 2
    X[:, 2] = X[:, 0] * w1 + X[:, 1] * w2 + noise * np.random.randn(m)
    return X


def _low_rank(n=200, p=30, rank=5, noise=0.01, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n, rank) @ rng.randn(rank, p) + noise * rng.randn(n, p)


def _sign_fixed_vt(X):
    """Reference components: the SVD's right vectors, each row's largest-magnitude entry made positive."""
    _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    signs = np.sign(Vt[np.arange(len(Vt)), np.abs(Vt).argmax(axis=1)])
    return s, Vt * signs[:, None]


@pytest.fixture(scope="module")
def digits():
    return load_digits(return_X_y=True)


# ---------------------------------------------------------------------------------------------- extmath


def test_svd_flip_makes_largest_entry_positive_and_keeps_product():
    rng = np.random.RandomState(0)
    A = rng.randn(8, 5)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    for u_based in (True, False):
        U2, Vt2 = svd_flip(U.copy(), Vt.copy(), u_based_decision=u_based)
        np.testing.assert_allclose(U2 * s @ Vt2, A, atol=1e-12)
        deciding = U2.T if u_based else Vt2
        assert np.all(deciding[np.arange(5), np.abs(deciding).argmax(axis=1)] > 0)


@pytest.mark.parametrize("shape", [(300, 80), (60, 200)])
def test_randomized_svd_matches_exact_svd(shape):
    A = _low_rank(*shape, rank=6, noise=0.0)
    U, s, Vt = randomized_svd(A, 6, random_state=0)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False)[:6], rtol=1e-8)
    np.testing.assert_allclose(U * s @ Vt, A, atol=1e-8)
    np.testing.assert_allclose(U.T @ U, np.eye(6), atol=1e-10)


# ---------------------------------------------------------------------------------------------- PCA


def test_pca_toy_data_explained_variance_matches_notes():
    pca = PCA(n_components=2)
    X2D = pca.fit_transform(_toy_3d())
    np.testing.assert_allclose(pca.explained_variance_ratio_, [0.8425, 0.1463], atol=5e-4)
    assert 1 - pca.explained_variance_ratio_.sum() < 0.012
    assert X2D.shape == (60, 2)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "arpack", "randomized"])
def test_pca_solvers_match_numpy_svd(solver):
    X = _low_rank()
    s, Vt = _sign_fixed_vt(X)
    pca = PCA(n_components=4, svd_solver=solver, random_state=0).fit(X)
    np.testing.assert_allclose(pca.components_, Vt[:4], atol=1e-8)
    np.testing.assert_allclose(pca.singular_values_, s[:4], rtol=1e-8)
    np.testing.assert_allclose(pca.explained_variance_, s[:4] ** 2 / (len(X) - 1), rtol=1e-8)
    np.testing.assert_allclose(pca.explained_variance_ratio_, s[:4] ** 2 / np.sum(s ** 2), rtol=1e-8)
    np.testing.assert_allclose(pca.noise_variance_, np.sum(s[4:] ** 2) / (len(X) - 1) / (30 - 4), rtol=1e-6)
    centred = X - X.mean(axis=0)
    np.testing.assert_allclose(pca.transform(X), centred @ Vt[:4].T, atol=1e-8)
    np.testing.assert_allclose(pca.fit_transform(X), centred @ Vt[:4].T, atol=1e-8)


def test_pca_auto_solver_policy():
    rng = np.random.RandomState(0)
    cases = [((1000, 20), 5, "covariance_eigh"), ((100, 50), 5, "full"), ((600, 700), 10, "randomized"),
             ((600, 700), 590, "full"), ((700, 600), "mle", "full"), ((600, 700), 0.5, "full")]
    for shape, n_components, expected in cases:
        assert PCA(n_components)._choose_solver(np.empty(shape), n_components) == expected, (shape, n_components)
    X = rng.randn(100, 5)
    assert PCA(3).fit(X)._fit_svd_solver == "covariance_eigh"
    assert PCA(3).fit(sp.csr_matrix(X))._fit_svd_solver == "arpack"


def test_pca_float_n_components_keeps_95_percent_of_digits_variance(digits):
    X, _ = digits
    cumsum = np.cumsum(PCA().fit(X).explained_variance_ratio_)
    d = int(np.argmax(cumsum >= 0.95) + 1)
    pca = PCA(n_components=0.95).fit(X)
    assert pca.n_components_ == d
    assert pca.explained_variance_ratio_.sum() >= 0.95
    assert pca.explained_variance_ratio_[:-1].sum() < 0.95


def test_pca_inverse_transform_round_trip(digits):
    X, _ = digits
    full = PCA().fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-9)
    pca = PCA(n_components=20).fit(X)
    recovered = pca.inverse_transform(pca.transform(X))
    # the reconstruction error is the variance left out
    residual = np.sum((X - recovered) ** 2) / (len(X) - 1)
    np.testing.assert_allclose(residual, np.sum(full.explained_variance_[20:]), rtol=1e-8)


def test_pca_whiten_gives_unit_variance_and_inverts():
    X = _low_rank()
    pca = PCA(n_components=3, whiten=True).fit(X)
    Z = pca.transform(X)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), 1.0, rtol=1e-8)
    np.testing.assert_allclose(pca.fit_transform(X), Z, atol=1e-10)
    np.testing.assert_allclose(pca.inverse_transform(Z), PCA(3).fit(X).inverse_transform(PCA(3).fit_transform(X)),
                               atol=1e-8)


def test_pca_mle_finds_the_rank():
    pca = PCA(n_components="mle").fit(_low_rank(n=500, p=20, rank=4))
    assert pca.n_components_ == 4


def test_pca_covariance_precision_and_likelihood():
    X = _low_rank(noise=0.3)
    full = PCA().fit(X)
    np.testing.assert_allclose(full.get_covariance(), np.cov(X.T), atol=1e-10)
    pca = PCA(n_components=5).fit(X)
    cov = pca.get_covariance()
    np.testing.assert_allclose(pca.get_precision() @ cov, np.eye(30), atol=1e-8)
    expected = stats.multivariate_normal(mean=X.mean(axis=0), cov=cov).logpdf(X)
    np.testing.assert_allclose(pca.score_samples(X), expected, rtol=1e-8)
    np.testing.assert_allclose(pca.score(X), expected.mean(), rtol=1e-8)


def test_pca_sparse_input_with_arpack_and_covariance():
    X = sp.random(80, 12, density=0.3, random_state=0, format="csr")
    dense = PCA(n_components=3, svd_solver="full").fit(X.toarray())
    for solver in ("arpack", "covariance_eigh"):
        pca = PCA(n_components=3, svd_solver=solver, random_state=0).fit(X)
        np.testing.assert_allclose(pca.components_, dense.components_, atol=1e-8)
        np.testing.assert_allclose(pca.explained_variance_ratio_, dense.explained_variance_ratio_, rtol=1e-8)
        np.testing.assert_allclose(pca.transform(X), dense.transform(X.toarray()), atol=1e-8)


def test_pca_errors():
    X = _low_rank(n=20, p=5)
    with pytest.raises(ValueError, match="must be between 0 and min"):
        PCA(n_components=6, svd_solver="full").fit(X)
    with pytest.raises(ValueError, match="strictly less than"):
        PCA(n_components=5, svd_solver="arpack").fit(X)
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=-1).fit(X)
    with pytest.raises(ValueError, match="svd_solver"):
        PCA(svd_solver="bogus").fit(X)
    with pytest.raises(TypeError, match="sparse inputs"):
        PCA(svd_solver="full").fit(sp.csr_matrix(X))
    with pytest.raises(NotFittedError):
        PCA().transform(X)
    pca = PCA(2).fit(X)
    with pytest.raises(ValueError, match="X has 4 features, but PCA is expecting 5 features"):
        pca.transform(X[:, :4])


def test_pca_pandas_feature_names_out():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(load_iris().data, columns=["a", "b", "c", "d"])
    pca = PCA(2).fit(X)
    assert list(pca.feature_names_in_) == ["a", "b", "c", "d"]
    assert list(pca.get_feature_names_out()) == ["pca0", "pca1"]


# ---------------------------------------------------------------------------------------------- IncrementalPCA


def test_incremental_pca_partial_fit_over_array_split_matches_pca(digits):
    X, _ = digits
    inc = IncrementalPCA(n_components=10)
    for batch in np.array_split(X, 10):
        inc.partial_fit(batch)
    pca = PCA(n_components=10).fit(X)
    assert inc.n_samples_seen_ == len(X)
    np.testing.assert_allclose(inc.mean_, X.mean(axis=0), atol=1e-10)
    np.testing.assert_allclose(inc.var_, X.var(axis=0), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(inc.explained_variance_ratio_[:3], pca.explained_variance_ratio_[:3], rtol=1e-2)
    # the leading subspace is the same: projecting PCA's components on it keeps their norm
    overlap = np.linalg.norm(pca.components_[:3] @ inc.components_.T, axis=1)
    np.testing.assert_allclose(overlap, 1.0, atol=1e-3)
    X_reduced = inc.transform(X)
    recovered = inc.inverse_transform(X_reduced)
    assert np.mean((X - recovered) ** 2) < np.mean((X - X.mean(axis=0)) ** 2)


def test_incremental_pca_single_batch_equals_pca():
    X = _low_rank()
    inc = IncrementalPCA(n_components=5, batch_size=len(X)).fit(X)
    pca = PCA(n_components=5, svd_solver="full").fit(X)
    np.testing.assert_allclose(inc.components_, pca.components_, atol=1e-10)
    np.testing.assert_allclose(inc.explained_variance_, pca.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(inc.noise_variance_, pca.noise_variance_, rtol=1e-10)


def test_incremental_pca_fits_a_read_only_memmap(tmp_path):
    X = _low_rank(n=400, p=20).astype(np.float32)
    m, n = X.shape
    filename = str(tmp_path / "my_mnist.data")
    X_mm = np.memmap(filename, dtype="float32", mode="write", shape=(m, n))
    X_mm[:] = X
    del X_mm
    X_mm = np.memmap(filename, dtype="float32", mode="readonly", shape=(m, n))
    n_batches = 10
    inc = IncrementalPCA(n_components=5, batch_size=m // n_batches).fit(X_mm)
    reference = IncrementalPCA(n_components=5, batch_size=m // n_batches).fit(X)
    assert inc.batch_size_ == 40
    np.testing.assert_array_equal(inc.components_, reference.components_)
    assert inc.components_.dtype == np.float32


def test_incremental_pca_errors():
    X = _low_rank(n=30, p=5)
    with pytest.raises(ValueError, match="invalid for n_features=5"):
        IncrementalPCA(n_components=6).fit(X)
    with pytest.raises(ValueError, match="must be less or equal to the batch number of samples 3"):
        IncrementalPCA(n_components=4).partial_fit(X[:3])
    inc = IncrementalPCA(n_components=3).partial_fit(X[:10])
    with pytest.raises(ValueError, match="Number of input features has changed from 3 to 2"):
        inc.set_params(n_components=2).partial_fit(X[10:20])


# ---------------------------------------------------------------------------------------------- KernelPCA


def _centred_kernel(K):
    n = len(K)
    J = np.eye(n) - 1.0 / n
    return J @ K @ J


def test_kernel_pca_rbf_matches_eigendecomposition_of_centred_kernel():
    X = load_iris().data
    gamma = 0.5
    K = np.exp(-gamma * ((X[:, None] - X[None]) ** 2).sum(-1))
    values, vectors = np.linalg.eigh(_centred_kernel(K))
    values, vectors = values[::-1][:3], vectors[:, ::-1][:, :3]
    kpca = KernelPCA(n_components=3, kernel="rbf", gamma=gamma).fit(X)
    np.testing.assert_allclose(kpca.eigenvalues_, values, rtol=1e-8)
    np.testing.assert_allclose(np.abs(kpca.transform(X)), np.abs(vectors * np.sqrt(values)), atol=1e-8)
    np.testing.assert_allclose(kpca.fit_transform(X), kpca.transform(X), atol=1e-8)


def test_kernel_pca_linear_equals_pca_up_to_sign():
    X = _low_rank()
    Z = KernelPCA(n_components=3, kernel="linear").fit(X).transform(X)
    np.testing.assert_allclose(np.abs(Z), np.abs(PCA(3).fit_transform(X)), atol=1e-8)


@pytest.mark.parametrize("solver", ["dense", "arpack", "randomized"])
def test_kernel_pca_eigen_solvers_agree(solver):
    X = load_iris().data
    ref = KernelPCA(n_components=4, kernel="poly", degree=2, eigen_solver="dense").fit(X)
    kpca = KernelPCA(n_components=4, kernel="poly", degree=2, eigen_solver=solver, random_state=0).fit(X)
    np.testing.assert_allclose(kpca.eigenvalues_, ref.eigenvalues_, rtol=1e-6)
    np.testing.assert_allclose(np.abs(kpca.transform(X)), np.abs(ref.transform(X)), atol=1e-6)


def test_kernel_pca_precomputed_kernel_equals_named_kernel():
    X = load_iris().data
    K = X @ X.T
    a = KernelPCA(n_components=2, kernel="precomputed").fit_transform(K)
    b = KernelPCA(n_components=2, kernel="linear").fit_transform(X)
    np.testing.assert_allclose(a, b, atol=1e-8)


def test_kernel_pca_pre_image_reconstruction():
    X, _ = make_swiss_roll(n_samples=300, noise=0.2, random_state=42)
    rbf_pca = KernelPCA(n_components=2, kernel="rbf", gamma=0.0433, fit_inverse_transform=True)
    X_reduced = rbf_pca.fit_transform(X)
    X_preimage = rbf_pca.inverse_transform(X_reduced)
    assert X_preimage.shape == X.shape
    # the pre-image map is kernel ridge regression from the projections back to X
    sq = ((X_reduced[:, None] - X_reduced[None]) ** 2).sum(-1)
    K = np.exp(-0.0433 * sq) + 1.0 * np.eye(300)
    np.testing.assert_allclose(K @ rbf_pca.dual_coef_, X, atol=1e-8)
    assert np.mean((X - X_preimage) ** 2) < np.mean((X - X.mean(axis=0)) ** 2)


def test_kernel_pca_errors():
    X = load_iris().data
    with pytest.raises(ValueError, match="Cannot fit_inverse_transform with a precomputed kernel"):
        KernelPCA(kernel="precomputed", fit_inverse_transform=True).fit(X @ X.T)
    with pytest.raises(NotFittedError, match="fit_inverse_transform parameter was not set"):
        KernelPCA(n_components=2).fit(X).inverse_transform(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="kernel"):
        KernelPCA(kernel="nope").fit(X)


def test_kernel_pca_grid_search_in_pipeline():
    from ndflow.learn.linear_model import LogisticRegression
    from ndflow.learn.model_selection import GridSearchCV
    from ndflow.learn.pipeline import Pipeline

    X, t = make_swiss_roll(n_samples=240, noise=0.2, random_state=42)
    y = t > 6.9
    clf = Pipeline([("kpca", KernelPCA(n_components=2)), ("log_reg", LogisticRegression())])
    param_grid = [{"kpca__gamma": np.linspace(0.03, 0.05, 3), "kpca__kernel": ["rbf", "sigmoid"]}]
    grid_search = GridSearchCV(clf, param_grid, cv=3).fit(X, y)
    assert grid_search.best_params_["kpca__kernel"] in ("rbf", "sigmoid")
    assert 0.03 <= grid_search.best_params_["kpca__gamma"] <= 0.05
    assert grid_search.best_score_ > 0.6


# ---------------------------------------------------------------------------------------------- TruncatedSVD


@pytest.mark.parametrize("algorithm", ["arpack", "randomized"])
def test_truncated_svd_matches_numpy_on_sparse_data(algorithm):
    X = sp.random(100, 40, density=0.2, random_state=1, format="csr")
    U, s, Vt = np.linalg.svd(X.toarray(), full_matrices=False)
    svd = TruncatedSVD(n_components=5, algorithm=algorithm, n_iter=10, random_state=0)
    Z = svd.fit_transform(X)
    np.testing.assert_allclose(svd.singular_values_, s[:5], rtol=1e-6)
    np.testing.assert_allclose(np.abs(svd.components_), np.abs(Vt[:5]), atol=1e-5 if algorithm == "arpack" else 2e-3)
    np.testing.assert_allclose(Z, X @ svd.components_.T, atol=1e-6)
    np.testing.assert_allclose(svd.explained_variance_, Z.var(axis=0), rtol=1e-10)
    np.testing.assert_allclose(svd.explained_variance_ratio_, Z.var(axis=0) / X.toarray().var(axis=0).sum())
    np.testing.assert_allclose(svd.inverse_transform(Z), Z @ svd.components_)


def test_truncated_svd_errors():
    with pytest.raises(ValueError, match=r"n_components\(50\) must be <= n_features\(40\)"):
        TruncatedSVD(n_components=50).fit(np.random.RandomState(0).rand(60, 40))


# ---------------------------------------------------------------------------------------------- NMF


@pytest.mark.parametrize("solver", ["cd", "mu"])
@pytest.mark.parametrize("init", ["nndsvd", "nndsvda", "random"])
def test_nmf_factorises_non_negative_data(solver, init):
    rng = np.random.RandomState(0)
    X = rng.rand(40, 4) @ rng.rand(4, 15)
    if solver == "mu" and init == "nndsvd":
        pytest.skip("mu cannot leave nndsvd's zeros (warned about)")
    nmf = NMF(n_components=4, init=init, solver=solver, random_state=0, max_iter=2000, tol=1e-6)
    W = nmf.fit_transform(X)
    H = nmf.components_
    assert W.min() >= 0 and H.min() >= 0
    np.testing.assert_allclose(nmf.reconstruction_err_, np.linalg.norm(X - W @ H), rtol=1e-10)
    assert nmf.reconstruction_err_ < 0.05 * np.linalg.norm(X)
    assert nmf.n_components_ == 4 and nmf.n_iter_ >= 1
    np.testing.assert_allclose(nmf.inverse_transform(W), W @ H)
    assert np.linalg.norm(X - nmf.transform(X) @ H) < 0.1 * np.linalg.norm(X)


def test_nmf_regularisation_shrinks_factors():
    X = np.abs(np.random.RandomState(0).randn(30, 10))
    plain = NMF(n_components=3, random_state=0, max_iter=1000).fit(X)
    l1 = NMF(n_components=3, random_state=0, max_iter=1000, alpha_W=0.05, l1_ratio=1.0).fit(X)
    assert np.sum(l1.components_ == 0) > np.sum(plain.components_ == 0)


def test_nmf_errors():
    with pytest.raises(ValueError, match=r"Negative values in data passed to NMF \(input X\)"):
        NMF(n_components=2).fit(-np.ones((3, 3)))
    with pytest.raises(ValueError, match="init = 'nndsvd' can only be used"):
        NMF(n_components=5, init="nndsvd").fit(np.ones((3, 4)))
    with pytest.raises(NotImplementedError, match="not supported yet"):
        NMF(n_components=2, solver="mu", beta_loss="kullback-leibler").fit(np.ones((3, 3)))
    with pytest.raises(ValueError, match="does not handle beta_loss"):
        NMF(n_components=2, solver="cd", beta_loss="kullback-leibler").fit(np.ones((3, 3)))


# ---------------------------------------------------------------------------------------------- FactorAnalysis


def _factor_model(n=2000, p=6, k=2, seed=0):
    rng = np.random.RandomState(seed)
    W = rng.randn(k, p)
    psi = rng.uniform(0.1, 0.5, p)
    X = rng.randn(n, k) @ W + rng.randn(n, p) * np.sqrt(psi) + 3.0
    return X, W, psi


@pytest.mark.parametrize("svd_method", ["lapack", "randomized"])
def test_factor_analysis_recovers_the_generating_model(svd_method):
    X, W, psi = _factor_model()
    fa = FactorAnalysis(n_components=2, svd_method=svd_method, tol=1e-8, max_iter=5000).fit(X)
    # a true 2-factor model: the fitted covariance reproduces the sample covariance, the noise the true one
    np.testing.assert_allclose(fa.get_covariance(), np.cov(X.T, bias=True), atol=0.02)
    np.testing.assert_allclose(fa.noise_variance_, psi, atol=0.05)
    assert W.shape == fa.components_.shape
    np.testing.assert_allclose(fa.mean_, X.mean(axis=0))
    assert np.all(np.diff(fa.loglike_) > -1e-6)  # EM never decreases the likelihood
    np.testing.assert_allclose(fa.get_precision() @ fa.get_covariance(), np.eye(6), atol=1e-8)
    expected = stats.multivariate_normal(mean=fa.mean_, cov=fa.get_covariance()).logpdf(X)
    np.testing.assert_allclose(fa.score_samples(X), expected, rtol=1e-8)


def test_factor_analysis_transform_is_the_posterior_mean():
    X, _, _ = _factor_model(n=300)
    fa = FactorAnalysis(n_components=2, svd_method="lapack").fit(X)
    W, psi = fa.components_, fa.noise_variance_
    posterior_cov = np.linalg.inv(np.eye(2) + (W / psi) @ W.T)
    np.testing.assert_allclose(fa.transform(X), (X - fa.mean_) @ (W / psi).T @ posterior_cov, atol=1e-10)


def test_factor_analysis_varimax_rotation_keeps_the_covariance():
    X, _, _ = _factor_model(n=500)
    plain = FactorAnalysis(n_components=2, svd_method="lapack").fit(X)
    rotated = FactorAnalysis(n_components=2, svd_method="lapack", rotation="varimax").fit(X)
    np.testing.assert_allclose(rotated.get_covariance(), plain.get_covariance(), atol=1e-10)
    with pytest.raises(ValueError, match="noise_variance_init dimension"):
        FactorAnalysis(noise_variance_init=np.ones(3)).fit(X)


# ---------------------------------------------------------------------------------------------- parity


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {}, {"n_components": 3}, {"n_components": 0.9}, {"n_components": "mle"},
    {"n_components": 3, "svd_solver": "randomized", "random_state": 0},
    {"n_components": 3, "svd_solver": "arpack", "random_state": 0},
    {"n_components": 3, "whiten": True, "svd_solver": "full"},
    {"n_components": 3, "svd_solver": "covariance_eigh"},
])
@pytest.mark.parametrize("dataset", ["iris", "digits", "wide"])
def test_pca_parity(kwargs, dataset, digits):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = {"iris": load_iris().data, "digits": digits[0],
         "wide": np.random.RandomState(3).randn(40, 90)}[dataset]
    if kwargs.get("n_components") == "mle" and dataset == "wide":
        pytest.skip("mle needs n_samples >= n_features")
    ours, theirs = PCA(**kwargs), sklearn_decomposition.PCA(**kwargs)
    Z_ours, Z_theirs = ours.fit_transform(X), theirs.fit_transform(X)
    assert ours.n_components_ == theirs.n_components_
    assert ours._fit_svd_solver == theirs._fit_svd_solver
    signal = theirs.explained_variance_ > 1e-10  # the basis of a null space is arbitrary
    np.testing.assert_allclose(ours.components_[signal], theirs.components_[signal], atol=1e-7)
    np.testing.assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(ours.singular_values_, theirs.singular_values_, rtol=1e-7, atol=1e-5)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(Z_ours[:, signal], Z_theirs[:, signal], atol=1e-7)
    np.testing.assert_allclose(ours.inverse_transform(Z_ours), theirs.inverse_transform(Z_theirs), atol=1e-7)
    if ours.noise_variance_ > 1e-8:
        np.testing.assert_allclose(ours.score(X), theirs.score(X), rtol=1e-6)


@pytest.mark.parity
def test_pca_parity_randomized_digits_154_like_notes(digits):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = digits[0]
    ours = PCA(n_components=30, svd_solver="randomized", random_state=42).fit(X)
    theirs = sklearn_decomposition.PCA(n_components=30, svd_solver="randomized", random_state=42).fit(X)
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-10)


@pytest.mark.parity
def test_randomized_svd_parity():
    extmath = pytest.importorskip("sklearn.utils.extmath")
    A = np.random.RandomState(0).randn(120, 50)
    for transpose in (False, True):
        M = A.T if transpose else A
        ours = randomized_svd(M, 7, random_state=1)
        theirs = extmath.randomized_svd(M, 7, random_state=1)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, atol=1e-10)


@pytest.mark.parity
@pytest.mark.parametrize("batch_size", [None, 37])
def test_incremental_pca_parity(batch_size, digits):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = digits[0][:600]
    ours = IncrementalPCA(n_components=8, batch_size=batch_size).fit(X)
    theirs = sklearn_decomposition.IncrementalPCA(n_components=8, batch_size=batch_size).fit(X)
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-8)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-8)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-7)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"n_components": 2, "kernel": "rbf", "gamma": 0.04},
    {"n_components": 2, "kernel": "rbf", "gamma": 0.0433, "fit_inverse_transform": True},
    {"kernel": "poly", "degree": 2},
    {"n_components": 3, "kernel": "sigmoid", "gamma": 0.01, "eigen_solver": "arpack", "random_state": 0},
    {"n_components": 3, "kernel": "cosine", "eigen_solver": "randomized", "random_state": 0},
])
def test_kernel_pca_parity(kwargs):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X, _ = make_swiss_roll(n_samples=250, noise=0.2, random_state=42)
    ours, theirs = KernelPCA(**kwargs), sklearn_decomposition.KernelPCA(**kwargs)
    Z_ours, Z_theirs = ours.fit_transform(X), theirs.fit_transform(X)
    np.testing.assert_allclose(ours.eigenvalues_, theirs.eigenvalues_, rtol=1e-7)
    np.testing.assert_allclose(Z_ours, Z_theirs, atol=1e-7)
    np.testing.assert_allclose(ours.transform(X[:20]), theirs.transform(X[:20]), atol=1e-7)
    if kwargs.get("fit_inverse_transform"):
        np.testing.assert_allclose(ours.inverse_transform(Z_ours), theirs.inverse_transform(Z_theirs), atol=1e-6)


@pytest.mark.parity
def test_kernel_pca_grid_search_parity():
    sklearn = pytest.importorskip("sklearn")
    from sklearn.decomposition import KernelPCA as SkKernelPCA
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression
    from sklearn.model_selection import GridSearchCV as SkGridSearchCV
    from sklearn.pipeline import Pipeline as SkPipeline

    from ndflow.learn.linear_model import LogisticRegression
    from ndflow.learn.model_selection import GridSearchCV
    from ndflow.learn.pipeline import Pipeline

    assert sklearn
    X, t = make_swiss_roll(n_samples=240, noise=0.2, random_state=42)
    y = t > 6.9
    grid = [{"kpca__gamma": list(np.linspace(0.03, 0.05, 3)), "kpca__kernel": ["rbf", "sigmoid"]}]
    ours = GridSearchCV(Pipeline([("kpca", KernelPCA(n_components=2)), ("log_reg", LogisticRegression())]),
                        grid, cv=3).fit(X, y)
    theirs = SkGridSearchCV(SkPipeline([("kpca", SkKernelPCA(n_components=2)), ("log_reg", SkLogisticRegression())]),
                            grid, cv=3).fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    np.testing.assert_allclose(ours.best_score_, theirs.best_score_, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("algorithm", ["randomized", "arpack"])
@pytest.mark.parametrize("sparse", [True, False])
def test_truncated_svd_parity(algorithm, sparse):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = sp.random(150, 60, density=0.1, random_state=0, format="csr")
    X = X if sparse else X.toarray()
    ours = TruncatedSVD(n_components=6, algorithm=algorithm, random_state=0)
    theirs = sklearn_decomposition.TruncatedSVD(n_components=6, algorithm=algorithm, random_state=0)
    np.testing.assert_allclose(ours.fit_transform(X), theirs.fit_transform(X), atol=1e-10)
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-8)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"n_components": 5, "random_state": 0},
    {"n_components": 5, "solver": "mu", "random_state": 0},
    {"n_components": 5, "init": "random", "random_state": 0, "alpha_W": 0.01, "l1_ratio": 0.5},
    {"n_components": 3, "init": "nndsvdar", "shuffle": True, "random_state": 1},
    {"n_components": 3, "solver": "mu", "init": "nndsvda", "alpha_W": 0.1, "alpha_H": 0.0},
])
def test_nmf_parity(kwargs):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = load_iris().data
    ours, theirs = NMF(max_iter=400, **kwargs), sklearn_decomposition.NMF(max_iter=400, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both stop at max_iter on some settings
        W_ours, W_theirs = ours.fit_transform(X), theirs.fit_transform(X)
        np.testing.assert_allclose(ours.transform(X[:10]), theirs.transform(X[:10]), atol=1e-8)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(W_ours, W_theirs, atol=1e-8)
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-8)
    np.testing.assert_allclose(ours.reconstruction_err_, theirs.reconstruction_err_, rtol=1e-10)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"n_components": 2}, {"n_components": 3, "svd_method": "lapack"}, {"n_components": 2, "rotation": "varimax"},
    {"n_components": 2, "rotation": "quartimax", "svd_method": "lapack"}, {},
])
def test_factor_analysis_parity(kwargs):
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    X = load_iris().data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = FactorAnalysis(**kwargs).fit(X), sklearn_decomposition.FactorAnalysis(**kwargs).fit(X)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-10)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, atol=1e-10)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-10)
    np.testing.assert_allclose(ours.score(X), theirs.score(X), rtol=1e-10)


# ---------------------------------------------------------------------------------------------- check_estimator

EXPECTED_FAILED_CHECKS = {
    # Same failures as scikit-learn's own estimators with the same settings (verified with check_estimator):
    # ARPACK needs n_components < min(n_samples, n_features), and the checks fit 2-feature data.
    "PCA(n_components=2, svd_solver='arpack')": {
        "check_estimators_overwrite_params", "check_estimators_fit_returns_self", "check_readonly_memmap_input",
        "check_fit2d_1sample", "check_fit2d_1feature", "check_fit_idempotent", "check_fit_check_is_fitted",
        "check_n_features_in",
    },
}


def _estimators():
    return [
        PCA(), PCA(n_components=2, svd_solver="randomized", random_state=0), IncrementalPCA(), KernelPCA(),
        KernelPCA(n_components=2, kernel="rbf"), TruncatedSVD(), NMF(max_iter=500), FactorAnalysis(),
    ]


def _parametrize_with_checks():
    try:
        from sklearn.utils.estimator_checks import parametrize_with_checks
    except ImportError:
        return pytest.mark.skip(reason="scikit-learn is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Estimator .* does not inherit from `sklearn.base.BaseEstimator`")
        return parametrize_with_checks(
            _estimators(), expected_failed_checks=lambda est: {c: "fails in scikit-learn too"
                                                               for c in EXPECTED_FAILED_CHECKS.get(repr(est), ())})


@pytest.mark.parity
@_parametrize_with_checks()
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
