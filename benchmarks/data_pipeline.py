"""Input pipeline speed: ``ndflow.data`` side by side with TensorFlow's ``tf.data``, in one run.

Each row is a function in ``ROWS``: ``row(m, workdir)`` builds its workload with the framework module ``m``
(``ndflow`` or ``tensorflow``; files go under ``workdir``) and returns a function that runs one full pass.
Rows:
  * ``slices_map_shuffle_batch_prefetch``: 200 000 records (8 float32 features, an int64 label) through
    ``from_tensor_slices → map(x * 2 + 1) → shuffle(10 000) → batch(256) → prefetch(AUTOTUNE)``.
  * ``tfrecord_*``: 100 000 tf.train.Examples (4 floats, an int64, a string): writing them, and reading them back
    parsed one by one or a batch at a time.
  * ``csv_dataset_batch``, ``make_csv_dataset_batches``, ``text_lines_decode_csv``: 100 000 CSV lines (int, float,
    string, int) through CsvDataset, make_csv_dataset, and TextLineDataset + decode_csv.

A cell is the best wall time of ``--repeats`` passes (building the dataset included, as a training loop would see
each epoch). The last column is ndflow's time over TensorFlow's (the target is at most 1.5). A framework that is
not installed leaves its cells empty.

Usage: ``python benchmarks/data_pipeline.py [row names] [--repeats N]``.
"""
from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from typing import Any, Callable

import numpy as np

FRAMEWORKS = ("ndflow", "tensorflow")
RECORDS = 200_000


def _consume(dataset: Any) -> int:
    """Iterates the whole dataset; the number of elements."""
    count = 0
    for _ in dataset:
        count += 1
    return count


def slices_map_shuffle_batch_prefetch(m: Any, workdir: str) -> Callable[[], int]:
    """200 000 small records: from_tensor_slices → map → shuffle → batch → prefetch."""
    rng = np.random.default_rng(0)
    features = rng.random((RECORDS, 8), dtype=np.float32)
    labels = rng.integers(0, 10, RECORDS).astype(np.int64)

    def one_pass() -> int:
        dataset = (m.data.Dataset.from_tensor_slices((features, labels))
                   .map(lambda x, y: (x * 2.0 + 1.0, y))
                   .shuffle(10_000, seed=0)
                   .batch(256)
                   .prefetch(m.data.AUTOTUNE))
        return _consume(dataset)

    return one_pass


# -- files: TFRecord and CSV ---------------------------------------------------------------------------------
EXAMPLES = 100_000
CSV_LINES = 100_000


def _example(m: Any, i: int) -> bytes:
    train = m.train
    return train.Example(features=train.Features(feature={
        "x": train.Feature(float_list=train.FloatList(value=[i * 0.5, 1.0, 2.0, 3.0])),
        "label": train.Feature(int64_list=train.Int64List(value=[i % 10])),
        "name": train.Feature(bytes_list=train.BytesList(value=[b"item%d" % i]))})).SerializeToString()


def _write_examples(m: Any, path: str) -> int:
    with m.io.TFRecordWriter(path) as writer:
        for i in range(EXAMPLES):
            writer.write(_example(m, i))
    return EXAMPLES


def _example_specs(m: Any) -> dict:
    return {"x": m.io.FixedLenFeature([4], m.float32), "label": m.io.FixedLenFeature([], m.int64),
            "name": m.io.FixedLenFeature([], m.string)}


def tfrecord_write_examples(m: Any, workdir: str) -> Callable[[], int]:
    """100 000 tf.train.Examples built, serialized and written with TFRecordWriter."""
    return lambda: _write_examples(m, f"{workdir}/examples.tfrecord")


def tfrecord_read_parse_each(m: Any, workdir: str) -> Callable[[], int]:
    """TFRecordDataset → map(parse_single_example) → batch(256) over 100 000 Examples."""
    path = f"{workdir}/examples.tfrecord"
    _write_examples(m, path)
    specs = _example_specs(m)
    return lambda: _consume(m.data.TFRecordDataset(path).map(lambda s: m.io.parse_single_example(s, specs))
                            .batch(256))


def tfrecord_read_batch_parse(m: Any, workdir: str) -> Callable[[], int]:
    """TFRecordDataset → batch(256) → map(parse_example) over 100 000 Examples (vectorized parsing)."""
    path = f"{workdir}/examples.tfrecord"
    _write_examples(m, path)
    specs = _example_specs(m)
    return lambda: _consume(m.data.TFRecordDataset(path).batch(256).map(lambda s: m.io.parse_example(s, specs)))


def _write_csv(workdir: str) -> str:
    path = f"{workdir}/data.csv"
    with open(path, "w") as f:
        f.write("a,b,c,d\n")
        f.writelines(f"{i},{i * 0.25},name{i},{i % 7}\n" for i in range(CSV_LINES))
    return path


def csv_dataset_batch(m: Any, workdir: str) -> Callable[[], int]:
    """experimental.CsvDataset (int, float, string, int columns) → batch(256) over 100 000 lines."""
    path = _write_csv(workdir)
    defaults = [[0], [0.0], [""], [0]]
    return lambda: _consume(m.data.experimental.CsvDataset(path, defaults, header=True).batch(256))


def make_csv_dataset_batches(m: Any, workdir: str) -> Callable[[], int]:
    """experimental.make_csv_dataset (types inferred, label column, no shuffling) over 100 000 lines."""
    path = _write_csv(workdir)
    return lambda: _consume(m.data.experimental.make_csv_dataset(path, 256, label_name="d", num_epochs=1,
                                                                 shuffle=False))


def text_lines_decode_csv(m: Any, workdir: str) -> Callable[[], int]:
    """TextLineDataset → skip(1) → batch(256) → map(io.decode_csv) over 100 000 lines."""
    path = _write_csv(workdir)
    defaults = [[0], [0.0], [""], [0]]
    return lambda: _consume(m.data.TextLineDataset(path).skip(1).batch(256)
                            .map(lambda lines: m.io.decode_csv(lines, defaults)))


ROWS: list[Callable[[Any, str], Callable[[], int]]] = [
    slices_map_shuffle_batch_prefetch, tfrecord_write_examples, tfrecord_read_parse_each, tfrecord_read_batch_parse,
    csv_dataset_batch, make_csv_dataset_batches, text_lines_decode_csv]


def _time(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - start)
    return best, count


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="*", help="row names (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = [r for r in ROWS if not args.rows or r.__name__ in args.rows]
    modules = {name: _module(name) for name in FRAMEWORKS}
    width = max(len(r.__name__) for r in rows)
    print(f"{'row':<{width}}  {'ndflow s':>9}  {'tf.data s':>9}  {'nd/TF':>6}  elements")
    for row in rows:
        seconds: dict[str, float] = {}
        counts = set()
        for name, module in modules.items():
            if module is None:
                continue
            with tempfile.TemporaryDirectory() as workdir:
                seconds[name], count = _time(row(module, workdir), args.repeats)
            counts.add(count)
        nd, tf = seconds.get("ndflow"), seconds.get("tensorflow")
        ratio = f"{nd / tf:6.2f}" if nd and tf else f"{'':>6}"
        cells = [f"{v:9.3f}" if v is not None else f"{'':>9}" for v in (nd, tf)]
        print(f"{row.__name__:<{width}}  {cells[0]}  {cells[1]}  {ratio}  {'/'.join(map(str, sorted(counts)))}")


if __name__ == "__main__":
    main()
