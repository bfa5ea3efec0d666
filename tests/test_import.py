"""``import ndflow`` stays light: sparse, TensorArray, convolution, pooling and linear-algebra ops load on first use,
from everywhere they are reachable."""
import subprocess
import sys
import textwrap

DEFERRED = ("ndflow._core.ops.sparse_ops", "ndflow._core.sparse_tensor", "ndflow._core.tensor_array",
            "ndflow._core.ops.conv_ops", "ndflow._core.ops.pooling_ops", "ndflow._core.ops.linalg_ops")


def _run(code):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_import_leaves_sparse_ops_and_tensor_array_unloaded():
    loaded = _run(f"""
        import sys
        import ndflow
        print(*[m for m in {DEFERRED!r} if m in sys.modules])
        print("end")
    """)
    assert loaded == ["end"]


def test_deferred_names_resolve_from_every_namespace():
    out = _run("""
        import ndflow as tf
        from ndflow import TensorArray
        assert tf.TensorArray is TensorArray and tf.TensorArraySpec.__name__ == "TensorArraySpec"
        st = tf.SparseTensor(indices=[[0, 1]], values=[5.0], dense_shape=[2, 2])
        print(tf.sparse.to_dense(st).numpy().tolist() == [[0.0, 5.0], [0.0, 0.0]])
        print(tf.nn.embedding_lookup_sparse.__name__, tf.sets.union.__name__ != "")
        v1 = tf.compat.v1
        print(v1.SparseTensor is tf.SparseTensor, v1.TensorArray is TensorArray,
              v1.nn.embedding_lookup_sparse is tf.nn.embedding_lookup_sparse)
        print("SparseTensor" in dir(tf), hasattr(tf, "no_such_name"), hasattr(tf.nn, "no_such_name"))
    """)
    assert out == ["True", "embedding_lookup_sparse", "True", "True", "True", "True", "True", "False", "False"]


def test_nn_convolution_and_pooling_load_on_first_use():
    out = _run("""
        import numpy as np
        import ndflow as tf
        print("conv2d" in dir(tf.nn), "max_pool2d" in dir(tf.nn))
        from ndflow.nn import avg_pool1d
        x = np.arange(8, dtype=np.float32).reshape(1, 8, 1)
        print(avg_pool1d(x, 2, 2, "VALID").numpy().ravel().tolist() == [0.5, 2.5, 4.5, 6.5])
        kernel = np.ones((3, 1, 1), np.float32)
        print(tf.nn.conv1d(x, kernel, 1, "VALID").numpy().ravel().tolist() == [3.0, 6.0, 9.0, 12.0, 15.0, 18.0])
        print(tf.compat.v1.nn.conv2d is not None, tf.nn.max_pool2d.__name__)
    """)
    assert out == ["True", "True", "True", "True", "True", "max_pool2d"]


def test_linear_algebra_loads_on_first_use():
    out = _run("""
        import numpy as np
        import ndflow as tf
        from ndflow.linalg import inv
        a = np.array([[2.0, 1.0], [1.0, 3.0]])
        print(np.allclose(inv(a).numpy(), np.linalg.inv(a)), "det" in dir(tf.linalg))
        print(np.allclose(tf.einsum("ij,jk->ik", a, a).numpy(), a @ a), tf.compat.v1.einsum is tf.einsum)
        print(np.allclose(tf.linalg.matmul(a, a).numpy(), a @ a), hasattr(tf.linalg, "no_such_name"))
    """)
    assert out == ["True", "True", "True", "True", "True", "False"]


def test_op_table_lookups_load_the_deferred_op_modules():
    out = _run("""
        import ndflow
        from ndflow._core.op import OPS
        print(OPS.get("TensorListReserve").name, OPS["SparseToDense"].name, OPS["Conv2D"].name, OPS.get("NoSuchOp"))
        try:
            OPS["NoSuchOp"]
        except KeyError:
            print("KeyError")
    """)
    assert out == ["TensorListReserve", "SparseToDense", "Conv2D", "None", "KeyError"]


def test_tensor_array_in_a_function_from_a_fresh_import():
    out = _run("""
        import ndflow as tf

        @tf.function(autograph=False)  # source code given with -c: autograph can't read it
        def squares(n):
            ta = tf.TensorArray(tf.float32, size=n)
            _, ta = tf.while_loop(lambda i, ta: i < n,
                                  lambda i, ta: (i + 1, ta.write(i, tf.cast(i * i, tf.float32))), (0, ta))
            return ta.stack()

        print(squares(tf.constant(4)).numpy().tolist())
    """)
    assert out == ["[0.0,", "1.0,", "4.0,", "9.0]"]
