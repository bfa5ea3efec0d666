import ndflow as tf


def test_devices_and_eager_functions():
    assert tf.config.list_physical_devices("CPU")[0].device_type == "CPU"
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1))
        f(tf.constant(2))
        assert tf.config.functions_run_eagerly() and len(calls) == 2
        assert f.experimental_get_tracing_count() == 0
    finally:
        tf.config.run_functions_eagerly(False)
    f(tf.constant(3))
    assert f.experimental_get_tracing_count() == 1


def test_thread_setting_round_trips():
    tf.config.threading.set_intra_op_parallelism_threads(1)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    tf.config.threading.set_intra_op_parallelism_threads(0)
