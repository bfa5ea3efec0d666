"""TF1 LSTM language model on a PTB-format corpus (the spec's PTBModel, scaled down).

Usage: ``python examples/tf1_ptb_lstm.py [--data-dir DIR] [--epochs N] [--unroll manual|dynamic]``.

Writes a tiny corpus in the Penn Treebank files' format (``ptb.{train,valid,test}.txt``: one sentence per
line, words separated by spaces) when the directory has none, then trains a two-layer LSTM with dropout,
gradient clipping and truncated back-propagation (the state is carried from batch to batch), printing the
perplexities as the spec's script does.
"""
from __future__ import annotations

import argparse
import collections
import os
import tempfile

import numpy as np

import ndflow.compat.v1 as tf

HIDDEN_SIZE = 32
NUM_LAYERS = 2
LEARNING_RATE = 1.0
TRAIN_BATCH_SIZE = 8
TRAIN_NUM_STEP = 10
EVAL_BATCH_SIZE = 1
EVAL_NUM_STEP = 1
KEEP_PROB = 0.9
MAX_GRAD_NORM = 5

SUBJECTS = ["the cat", "a dog", "the old man", "my sister", "the bank"]
VERBS = ["sees", "likes", "buys", "sells", "wants"]
OBJECTS = ["the house", "a car", "some bread", "the shares", "N dollars"]


def write_corpus(data_dir: str, seed: int = 0) -> None:
    """Sentences from a small grammar, written as ``ptb.train.txt``, ``ptb.valid.txt`` and ``ptb.test.txt``."""
    rng = np.random.RandomState(seed)
    os.makedirs(data_dir, exist_ok=True)
    for split, n_sentences in (("train", 600), ("valid", 60), ("test", 60)):
        lines = []
        for _ in range(n_sentences):
            words = [SUBJECTS[rng.randint(5)], VERBS[rng.randint(5)], OBJECTS[rng.randint(5)]]
            if rng.rand() < 0.3:
                words += ["and", VERBS[rng.randint(5)], OBJECTS[rng.randint(5)]]
            lines.append(" " + " ".join(words) + " \n")
        with open(os.path.join(data_dir, f"ptb.{split}.txt"), "w") as f:
            f.writelines(lines)


def read_words(path: str) -> list[str]:
    with open(path) as f:
        return f.read().replace("\n", "<eos>").split()


def ptb_raw_data(data_dir: str) -> tuple:
    """Word ids of the three splits and the vocabulary size (ids by descending frequency, then word)."""
    train_words = read_words(os.path.join(data_dir, "ptb.train.txt"))
    counts = sorted(collections.Counter(train_words).items(), key=lambda kv: (-kv[1], kv[0]))
    word_to_id = {word: i for i, (word, _) in enumerate(counts)}

    def to_ids(split: str) -> list[int]:
        return [word_to_id[w] for w in read_words(os.path.join(data_dir, f"ptb.{split}.txt")) if w in word_to_id]

    return to_ids("train"), to_ids("valid"), to_ids("test"), len(word_to_id)


def ptb_batches(data: list[int], batch_size: int, num_steps: int):
    """``(x, y)`` windows of ``[batch_size, num_steps]`` with y = x shifted by one (as ``ptb_producer``)."""
    data = np.asarray(data, np.int32)
    batch_len = len(data) // batch_size
    rows = data[:batch_size * batch_len].reshape(batch_size, batch_len)
    for i in range((batch_len - 1) // num_steps):
        yield rows[:, i * num_steps:(i + 1) * num_steps], rows[:, i * num_steps + 1:(i + 1) * num_steps + 1]


class PTBModel:
    """Embedding -> stacked LSTM -> softmax over the vocabulary; trains with clipped SGD when ``is_training``."""

    def __init__(self, is_training: bool, batch_size: int, num_steps: int, vocab_size: int,
                 unroll: str = "manual") -> None:
        self.batch_size, self.num_steps = batch_size, num_steps
        self.input_data = tf.placeholder(tf.int32, [batch_size, num_steps])
        self.targets = tf.placeholder(tf.int32, [batch_size, num_steps])

        def make_cell():
            cell = tf.nn.rnn_cell.BasicLSTMCell(HIDDEN_SIZE)
            if is_training:
                cell = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=KEEP_PROB)
            return cell

        cell = tf.nn.rnn_cell.MultiRNNCell([make_cell() for _ in range(NUM_LAYERS)])
        self.initial_state = cell.zero_state(batch_size, tf.float32)
        embedding = tf.get_variable("embedding", [vocab_size, HIDDEN_SIZE])
        inputs = tf.nn.embedding_lookup(embedding, self.input_data)
        if is_training:
            inputs = tf.nn.dropout(inputs, KEEP_PROB)

        if unroll == "dynamic":
            outputs, state = tf.nn.dynamic_rnn(cell, inputs, initial_state=self.initial_state, scope="RNN")
        else:
            steps, state = [], self.initial_state
            with tf.variable_scope("RNN"):
                for time_step in range(num_steps):
                    if time_step > 0:
                        tf.get_variable_scope().reuse_variables()
                    cell_output, state = cell(inputs[:, time_step, :], state)
                    steps.append(cell_output)
            outputs = tf.transpose(tf.stack(steps), (1, 0, 2))
        self.final_state = state

        weight = tf.get_variable("weight", [HIDDEN_SIZE, vocab_size])
        bias = tf.get_variable("bias", [vocab_size])
        logits = tf.tensordot(outputs, weight, axes=(-1, 0)) + bias
        self.loss = tf.contrib.seq2seq.sequence_loss(logits, self.targets, tf.ones([batch_size, num_steps]))
        self.train_op = tf.no_op()
        if is_training:
            trainable_variables = tf.trainable_variables()
            grads, _ = tf.clip_by_global_norm(tf.gradients(self.loss * num_steps, trainable_variables),
                                              MAX_GRAD_NORM)
            optimizer = tf.train.GradientDescentOptimizer(LEARNING_RATE)
            self.train_op = optimizer.apply_gradients(zip(grads, trainable_variables))


def state_feed(model: PTBModel, state: tuple) -> dict:
    """Feeds a carried-over state into the model's zero state, leaf by leaf."""
    return dict(zip(tf.nest.flatten(model.initial_state), tf.nest.flatten(state)))


def run_epoch(session: tf.Session, model: PTBModel, data: list[int], output_log: bool) -> float:
    """One pass over ``data``; returns the perplexity ``exp(mean loss)``."""
    losses = []
    state = session.run(model.initial_state)
    for step, (x, y) in enumerate(ptb_batches(data, model.batch_size, model.num_steps)):
        feed = {model.input_data: x, model.targets: y, **state_feed(model, state)}
        loss, state, _ = session.run([model.loss, model.final_state, model.train_op], feed)
        losses.append(loss)
        if output_log and step % 10 == 0:
            print(f"After {step} steps, perplexity is {np.exp(np.mean(losses)):.3f}")
    return float(np.exp(np.mean(losses)))


def main(argv: list[str] | None = None) -> dict:
    """Trains and evaluates; returns the validation perplexity of each epoch and the test perplexity."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--unroll", choices=["manual", "dynamic"], default="manual")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or os.path.join(tempfile.gettempdir(), "ndflow_ptb_example")
    if not os.path.exists(os.path.join(data_dir, "ptb.train.txt")):
        write_corpus(data_dir)
    train_data, valid_data, test_data, vocab_size = ptb_raw_data(data_dir)
    print(f"vocabulary: {vocab_size} words, training words: {len(train_data)}")

    tf.disable_eager_execution()
    tf.reset_default_graph()
    tf.set_random_seed(1)
    initializer = tf.random_uniform_initializer(-0.1, 0.1)
    with tf.variable_scope("language_model", reuse=None, initializer=initializer):
        train_model = PTBModel(True, TRAIN_BATCH_SIZE, TRAIN_NUM_STEP, vocab_size, args.unroll)
    with tf.variable_scope("language_model", reuse=True, initializer=initializer):
        eval_model = PTBModel(False, EVAL_BATCH_SIZE, EVAL_NUM_STEP, vocab_size, args.unroll)

    result = {"valid": []}
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for i in range(args.epochs):
            print(f"In iteration: {i + 1}")
            run_epoch(session, train_model, train_data, True)
            valid_perplexity = run_epoch(session, eval_model, valid_data, False)
            print(f"Epoch: {i + 1} Validation Perplexity: {valid_perplexity:.3f}")
            result["valid"].append(valid_perplexity)
        result["test"] = run_epoch(session, eval_model, test_data, False)
        print(f"Test Perplexity: {result['test']:.3f}")
    tf.enable_eager_execution()
    return result


if __name__ == "__main__":
    main()
