"""TF1-style linear regression (Hands-On ML ch. 9): a graph, placeholders, mini-batch gradient descent.

Usage: ``python examples/tf1_linear_regression.py``. Prints the MSE falling and the final weights next to
the normal-equation solution.
"""
from __future__ import annotations

import numpy as np

import ndflow.compat.v1 as tf
from ndflow.learn.datasets import load_diabetes
from ndflow.learn.preprocessing import StandardScaler


def main(n_epochs: int = 20, batch_size: int = 32, learning_rate: float = 0.05) -> float:
    tf.disable_eager_execution()
    tf.reset_default_graph()
    data, target = load_diabetes(return_X_y=True)
    scaled = StandardScaler().fit_transform(data)
    X_all = np.c_[np.ones((len(scaled), 1)), scaled].astype(np.float32)
    y_all = ((target - target.mean()) / target.std()).reshape(-1, 1).astype(np.float32)
    m, n = X_all.shape

    X = tf.placeholder(tf.float32, shape=(None, n), name="X")
    y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
    theta = tf.Variable(tf.random_uniform([n, 1], -1.0, 1.0, seed=42), name="theta")
    with tf.name_scope("loss"):
        mse = tf.reduce_mean(tf.square(tf.matmul(X, theta) - y), name="mse")
    training_op = tf.train.MomentumOptimizer(learning_rate, momentum=0.9).minimize(mse)
    init = tf.global_variables_initializer()

    rng = np.random.RandomState(42)
    n_batches = int(np.ceil(m / batch_size))
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(n_epochs):
            order = rng.permutation(m)
            for b in range(n_batches):
                idx = order[b * batch_size:(b + 1) * batch_size]
                sess.run(training_op, feed_dict={X: X_all[idx], y: y_all[idx]})
            if epoch % 5 == 0 or epoch == n_epochs - 1:
                print(f"Epoch {epoch:3d} MSE = {mse.eval(feed_dict={X: X_all, y: y_all}):.4f}")
        final = float(mse.eval(feed_dict={X: X_all, y: y_all}))
        weights = theta.eval().ravel()
    exact = np.linalg.lstsq(X_all.astype(np.float64), y_all.astype(np.float64), rcond=None)[0].ravel()
    print("gradient descent:", np.round(weights, 3))
    print("normal equation: ", np.round(exact, 3))
    tf.enable_eager_execution()
    return final


if __name__ == "__main__":
    main()
