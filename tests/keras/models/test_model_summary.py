"""``Model.summary()``: exactly Keras 3's text for the same architectures, plus the layout rules on their own."""
import numpy as np
import pytest

from ndflow import keras as ours
from ndflow.keras.models.summary import _column_widths, _wrap, readable_memory_size


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def _architectures(keras):
    """The same models built with ``keras`` (ours or the real one), with identical automatic names."""
    layers = keras.layers
    keras.backend.clear_session()
    built = {"mlp": keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(3)])}
    a, b = keras.Input((8,), name="a"), keras.Input((3,), name="b")
    joined = layers.Concatenate()([layers.Dense(4)(a), layers.Dense(4)(b)])
    built["multi_io"] = keras.Model([a, b], [layers.Dense(1, name="out1")(joined),
                                             layers.Dense(2, name="out2")(joined)])
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    x = keras.Input((4,))
    built["nested"] = keras.Model(x, layers.Dense(2)(inner(x)))
    left, right = keras.Input((3,)), keras.Input((3,))
    shared = layers.Dense(5, name="shared")
    built["shared"] = keras.Model([left, right], layers.Add()([shared(left), shared(right)]))

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1, self.d2 = layers.Dense(8), layers.Dense(1)

        def call(self, inputs):
            return self.d2(self.d1(inputs))

    built["subclassed_unbuilt"] = Sub()
    called = Sub()
    called(np.zeros((2, 3), "float32"))
    built["subclassed_called"] = called
    built["sequential_unbuilt"] = keras.Sequential([layers.Dense(2), layers.Dense(3)])
    explicit = keras.Sequential([layers.Dense(3)])
    explicit.build((None, 7))
    built["sequential_build"] = explicit
    eager = keras.Sequential([layers.Dense(3)])
    eager(np.zeros((2, 5), "float32"))
    built["sequential_called"] = eager
    x = keras.Input((3,))
    built["operations"] = keras.Model(x, -((x + 1)[:, :2] * x[:, 1:]) / 2.0)
    built["cnn"] = keras.Sequential([
        keras.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(),
        layers.BatchNormalization(), layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
    image = keras.Input((6, 6, 3))
    features = layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3, padding="same")(image))
    built["residual"] = keras.Model(image, layers.Add()([layers.Dense(4)(features), features]), name="residual")
    built["input_shape_argument"] = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    x = keras.Input((3,), name="a_very_long_input_name_that_needs_wrapping_in_the_cell")
    long_dense = layers.Dense(2, name="dense_with_an_extremely_long_name_for_testing_wrap")(x)
    built["long_names"] = keras.Model(x, layers.Concatenate()([long_dense, layers.Dense(2)(x), long_dense]),
                                      name="a_model_with_a_name_so_long_that_it_wraps_around_narrow_consoles_yes")
    built["empty"] = keras.Sequential(name="empty")
    frozen = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Dense(1)], name="frozen")
    frozen.layers[0].trainable = False
    built["partly_frozen"] = frozen
    return built


@pytest.fixture(scope="module")
def model_pairs():
    keras = pytest.importorskip("keras")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _architectures(keras)
        mine = _architectures(ours)
    return mine, theirs


def _text(model, **kwargs):
    captured = []
    model.summary(print_fn=captured.append, **kwargs)
    assert len(captured) == 1
    return captured[0]


@pytest.mark.parity
@pytest.mark.parametrize("name", ["mlp", "multi_io", "nested", "shared", "subclassed_unbuilt", "subclassed_called",
                                  "sequential_unbuilt", "sequential_build", "sequential_called", "operations",
                                  "cnn", "residual", "input_shape_argument", "partly_frozen", "long_names", "empty"])
@pytest.mark.parametrize("options", [{}, {"expand_nested": True}, {"show_trainable": True}, {"line_length": 60},
                                     {"line_length": 150}, {"positions": [0.5, 0.8, 0.9, 1.0]}])
def test_summary_text_matches_keras(model_pairs, name, options):
    mine, theirs = model_pairs
    assert _text(mine[name], **options) == _text(theirs[name], **options)


@pytest.mark.parity
@pytest.mark.parametrize("columns", ["30", "64", "200"])
def test_summary_follows_the_console_width_as_keras(model_pairs, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    mine, theirs = model_pairs
    for name in ("long_names", "multi_io", "cnn"):
        assert _text(mine[name]) == _text(theirs[name])


@pytest.mark.parity
def test_layer_range_matches_keras(model_pairs):
    mine, theirs = model_pairs
    for bounds in (["dense", "dense_1"], ["dense_1", "dense"], ["out.*", "out.*"]):
        model = "multi_io" if bounds[0].startswith("out") else "mlp"
        assert _text(mine[model], layer_range=bounds) == _text(theirs[model], layer_range=bounds)


@pytest.mark.parity
def test_compiled_model_reports_optimizer_params():
    keras = pytest.importorskip("keras")
    data, target = np.ones((8, 4), "float32"), np.zeros((8, 1), "float32")
    texts = []
    for module in (keras, ours):
        module.backend.clear_session()
        model = module.Sequential([module.Input((4,)), module.layers.Dense(3), module.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        before = _text(model)
        model.fit(data, target, epochs=1, verbose=0)
        texts.append((before, _text(model)))
    assert texts[0] == texts[1]
    assert "Optimizer params" in texts[1][1] and "Optimizer params" not in texts[1][0]


def test_summary_prints_to_stdout(capsys):
    ours.backend.clear_session()
    model = ours.Sequential([ours.Input((2,)), ours.layers.Dense(1)])
    model.summary()
    printed = capsys.readouterr().out
    assert printed.startswith('Model: "sequential"\n┏') and printed.endswith("Non-trainable params: 0 (0.00 B)\n")
    assert " Total params: 3 (12.00 B)\n" in printed


def test_summary_errors():
    ours.backend.clear_session()
    model = ours.Sequential([ours.Input((2,)), ours.layers.Dense(1)])
    with pytest.raises(ValueError, match="Insufficient console width to print summary."):
        model.summary(line_length=8)
    with pytest.raises(ValueError, match="layer_range must be a list or tuple of length 2"):
        model.summary(layer_range=["dense"])
    with pytest.raises(ValueError, match="Passed layer_names do not match the layer names in the model."):
        model.summary(layer_range=["nope", "dense"])


def test_layout_rules():
    assert _wrap("concatenate (Concatenate)", 19, "left") == ["concatenate        ", "(Concatenate)      "]
    assert _wrap("concatenate[0][0]", 14, "left") == ["concatenate[0…"]
    assert _wrap("80", 6, "right") == ["    80"] and _wrap("-", 5, "center") == ["  -  "]
    assert _column_widths([34, 26, 16], 76) == [33, 24, 15]
    assert readable_memory_size(336.0) == "336.00 B" and readable_memory_size(5960.0) == "5.82 KB"
