"""Parity of creation, shape and indexing ops with real TensorFlow: values, dtypes, shapes, error types.

Each case is a function of the module (``ndflow`` or ``tensorflow``) run on both; TF is imported only here.
"""
from __future__ import annotations

import numpy as np
import pytest

import ndflow

pytestmark = pytest.mark.parity


MASK23 = np.arange(6).reshape(2, 3) > 2


def _x23(tf):
    return tf.reshape(tf.range(6.0), [2, 3])


def _x234(tf):
    return tf.reshape(tf.range(24.0), [2, 3, 4])


def _t4(tf):
    return tf.constant([1.0, 2.0, 3.0, 4.0])


CASES = {
    # creation
    "range_limit_delta": lambda tf: tf.range(10, delta=2),
    "range_float": lambda tf: tf.range(1, 5.5),
    "range_float64_arg": lambda tf: tf.range(tf.constant(1.0, tf.float64), 5),
    "range_int64_arg": lambda tf: tf.range(tf.constant(1, tf.int64), 5),
    "range_dtype": lambda tf: tf.range(5, dtype=tf.float64),
    "range_dtype_bad_value": lambda tf: tf.range(0.5, 5, dtype=tf.int64),
    "range_negative_delta": lambda tf: tf.range(5, 1, -1),
    "range_float_delta": lambda tf: tf.range(0.0, 1.0, 0.3),
    "range_delta_zero": lambda tf: tf.range(0, 5, 0),
    "range_wrong_direction": lambda tf: tf.range(5, 1),
    "range_wrong_direction_neg": lambda tf: tf.range(1, 5, -1),
    "range_empty": lambda tf: tf.range(0),
    "range_uint8": lambda tf: tf.range(5, dtype=tf.uint8),
    "range_float16": lambda tf: tf.range(5, dtype=tf.float16),
    "eye_rect": lambda tf: tf.eye(2, 3),
    "eye_batch": lambda tf: tf.eye(2, batch_shape=[3], dtype=tf.int32),
    "eye_bool": lambda tf: tf.eye(2, dtype=tf.bool),
    "eye_negative": lambda tf: tf.eye(-1),
    "linalg_eye": lambda tf: tf.linalg.eye(3, 2, batch_shape=[2, 1]),
    "linspace": lambda tf: tf.linspace(0.0, 1.0, 5),
    "linspace_int": lambda tf: tf.linspace(0, 10, 5),
    "linspace_float_int": lambda tf: tf.linspace(0.0, 1, 3),
    "linspace_num1": lambda tf: tf.linspace(2.0, 4.0, 1),
    "linspace_num0": lambda tf: tf.linspace(2.0, 4.0, 0),
    "linspace_axis1": lambda tf: tf.linspace([0.0, 1.0], [2.0, 5.0], 3, axis=1),
    "linspace_axis0": lambda tf: tf.linspace([0.0, 1.0], [2.0, 5.0], 3),
    "linspace_axis_neg": lambda tf: tf.linspace([0.0, 1.0], [2.0, 5.0], 3, axis=-1),
    "linspace_broadcast": lambda tf: tf.linspace([[0.0], [1.0]], [2.0, 5.0], 3, axis=1),
    "linspace_float64": lambda tf: tf.linspace(tf.constant(0.0, tf.float64), 1.0, 3),
    "linspace_mixed_tensors": lambda tf: tf.linspace(tf.constant(0.0, tf.float64), tf.constant(1.0), 3),
    "linspace_num_tensor": lambda tf: tf.linspace(0.0, 1.0, tf.constant(3)),
    "linspace_num_float": lambda tf: tf.linspace(0.0, 1.0, 3.0),
    "linspace_num_negative": lambda tf: tf.linspace(0.0, 1.0, -1),
    "linspace_axis_bad": lambda tf: tf.linspace([0.0, 1.0], [2.0, 5.0], 3, axis=2),
    "meshgrid_xy": lambda tf: tf.meshgrid([1, 2, 3], [4, 5]),
    "meshgrid_ij": lambda tf: tf.meshgrid([1, 2, 3], [4, 5], indexing="ij"),
    "meshgrid_3": lambda tf: tf.meshgrid([1, 2, 3], [4, 5], [6, 7, 8, 9]),
    "meshgrid_3_ij": lambda tf: tf.meshgrid([1.0, 2.0], [4.0, 5.0, 6.0], [6.0], indexing="ij"),
    "meshgrid_1": lambda tf: tf.meshgrid([1, 2, 3]),
    "meshgrid_none": lambda tf: tf.meshgrid(),
    "meshgrid_2d_input": lambda tf: tf.meshgrid([[1, 2], [3, 4]], [4, 5]),
    "meshgrid_bad_indexing": lambda tf: tf.meshgrid([1, 2, 3], [4, 5], indexing="q"),
    "meshgrid_bad_kwarg": lambda tf: tf.meshgrid([1, 2, 3], [4, 5], foo=1),
    "meshgrid_linspace": lambda tf: tf.meshgrid(tf.linspace(-8.0, 8, 100), tf.linspace(-8.0, 8, 100)),
    "sequence_mask": lambda tf: tf.sequence_mask([1, 3, 2], 5),
    "sequence_mask_default_maxlen": lambda tf: tf.sequence_mask([[1, 3], [2, 0]]),
    "sequence_mask_dtype": lambda tf: tf.sequence_mask([1, 3, 2], 4, dtype=tf.float32),
    "sequence_mask_float_lengths": lambda tf: tf.sequence_mask([1.0, 3.0], 4),
    "sequence_mask_negative": lambda tf: tf.sequence_mask([-1, 3], 4),
    "sequence_mask_vector_maxlen": lambda tf: tf.sequence_mask([1, 3], [4]),
    "one_hot": lambda tf: tf.one_hot([0, 2, -1, 5], 3),
    "one_hot_int_on": lambda tf: tf.one_hot([0, 2], 3, on_value=5),
    "one_hot_float_off": lambda tf: tf.one_hot([0, 2], 3, off_value=-1.0),
    "one_hot_mismatch": lambda tf: tf.one_hot([0, 2], 3, on_value=5, off_value=1.0),
    "one_hot_dtype_mismatch": lambda tf: tf.one_hot([0, 2], 3, on_value=5.5, dtype=tf.int32),
    "one_hot_axis0": lambda tf: tf.one_hot([[0, 2], [1, 1]], 3, axis=0),
    "one_hot_axis1": lambda tf: tf.one_hot([[0, 2], [1, 1]], 3, axis=1),
    "one_hot_axis_bad": lambda tf: tf.one_hot([0, 2], 3, axis=3),
    "one_hot_float_indices": lambda tf: tf.one_hot([0.0, 2.0], 3),
    "one_hot_uint8_indices": lambda tf: tf.one_hot(tf.constant([0, 2], tf.uint8), 3),
    "one_hot_negative_depth": lambda tf: tf.one_hot([0, 2], -1),
    "one_hot_dtype_int64": lambda tf: tf.one_hot([0, 2], 3, dtype=tf.int64),
    "one_hot_bool": lambda tf: tf.one_hot([0, 2], 3, on_value=True, off_value=False),
    "zeros_int": lambda tf: tf.zeros([2], tf.int32),
    "zeros_tensor_shape": lambda tf: tf.zeros(tf.constant([2, 3])),
    "zeros_negative": lambda tf: tf.zeros([-1]),
    "zeros_bool": lambda tf: tf.zeros([2], tf.bool),
    "zeros_string": lambda tf: tf.zeros([2], tf.string),
    "ones_scalar_shape": lambda tf: tf.ones(3),
    "fill": lambda tf: tf.fill([2, 2], 3),
    "fill_nonscalar": lambda tf: tf.fill([2, 2], [1, 2]),
    "fill_negative": lambda tf: tf.fill([-2, 2], 1.0),
    "fill_string": lambda tf: tf.fill([2], "a"),
    "zeros_like_dtype": lambda tf: tf.zeros_like([1, 2], dtype=tf.float32),
    "ones_like_bool": lambda tf: tf.ones_like([True, False]),
    "zeros_like_string": lambda tf: tf.zeros_like(["a"]),
    # shape
    "expand_dims": lambda tf: tf.expand_dims(_x23(tf), 2),
    "expand_dims_neg": lambda tf: tf.expand_dims(_x23(tf), -3),
    "expand_dims_oob": lambda tf: tf.expand_dims(_x23(tf), 3),
    "expand_dims_oob_neg": lambda tf: tf.expand_dims(_x23(tf), -4),
    "expand_dims_list_input": lambda tf: tf.expand_dims([28, 28], 2),
    "expand_dims_axis_list": lambda tf: tf.expand_dims(_x23(tf), [1]),
    "expand_dims_axis_list2": lambda tf: tf.expand_dims(_x23(tf), [1, 2]),
    "expand_dims_axis_none": lambda tf: tf.expand_dims(_x23(tf), None),
    "squeeze_all": lambda tf: tf.squeeze(tf.zeros([1, 2, 1])),
    "squeeze_axis_list": lambda tf: tf.squeeze(tf.zeros([1, 2, 1]), axis=[0]),
    "squeeze_axis_neg": lambda tf: tf.squeeze(tf.zeros([1, 2, 1]), -1),
    "squeeze_not_one": lambda tf: tf.squeeze(tf.zeros([1, 2, 1]), axis=1),
    "squeeze_oob": lambda tf: tf.squeeze(tf.zeros([1, 2, 1]), axis=3),
    "transpose_default": lambda tf: tf.transpose(_x234(tf)),
    "transpose_perm": lambda tf: tf.transpose(_x234(tf), [1, 0, 2]),
    "transpose_perm_tensor": lambda tf: tf.transpose(_x234(tf), tf.constant([2, 0, 1])),
    "transpose_perm_len": lambda tf: tf.transpose(_x234(tf), [1, 0]),
    "transpose_perm_dup": lambda tf: tf.transpose(_x234(tf), [1, 1, 0]),
    "transpose_perm_oob": lambda tf: tf.transpose(_x234(tf), [1, 3, 0]),
    "transpose_conjugate": lambda tf: tf.transpose(tf.constant([[1 + 2j, 3j]]), conjugate=True),
    "transpose_conjugate_real": lambda tf: tf.transpose(_x23(tf), conjugate=True),
    "transpose_scalar": lambda tf: tf.transpose(tf.constant(1.0)),
    "concat": lambda tf: tf.concat([_x23(tf), _x23(tf)], 1),
    "concat_neg_axis": lambda tf: tf.concat([_x23(tf), _x23(tf)], -1),
    "concat_tensor_axis": lambda tf: tf.concat([_x23(tf), _x23(tf)], tf.constant(0)),
    "concat_dim_mismatch": lambda tf: tf.concat([_x23(tf), tf.zeros([2, 4])], 0),
    "concat_rank_mismatch": lambda tf: tf.concat([_x23(tf), tf.zeros([3])], 0),
    "concat_axis_oob": lambda tf: tf.concat([_x23(tf), _x23(tf)], 5),
    "concat_axis_oob_neg": lambda tf: tf.concat([_x23(tf), _x23(tf)], -3),
    "concat_dtype_mismatch": lambda tf: tf.concat([_x23(tf), tf.zeros([2, 3], tf.float64)], 0),
    "concat_python": lambda tf: tf.concat([[1, 2], [3]], 0),
    "concat_single": lambda tf: tf.concat([_x23(tf)], 0),
    "concat_scalars": lambda tf: tf.concat([tf.constant(1.0), tf.constant(2.0)], 0),
    "concat_mixed_python": lambda tf: tf.concat([_x23(tf), [[1.0, 2.0, 3.0]]], 0),
    "concat_three": lambda tf: tf.concat([_x23(tf), _x23(tf), tf.zeros([2, 1])], 1),
    "split_sizes": lambda tf: tf.split(tf.zeros([10, 35, 8]), [4, 2, 2, 2], 0),
    "split_num": lambda tf: tf.split(tf.reshape(tf.range(12), [6, 2]), 3),
    "split_num_uneven": lambda tf: tf.split(tf.zeros([5, 2]), 2),
    "split_minus_one": lambda tf: tf.split(tf.reshape(tf.range(20), [10, 2]), [4, -1, 2]),
    "split_sizes_bad": lambda tf: tf.split(tf.zeros([10, 2]), [4, 2, 2]),
    "split_two_minus_one": lambda tf: tf.split(tf.zeros([10, 2]), [4, -1, -1]),
    "split_sizes_too_big": lambda tf: tf.split(tf.zeros([10, 2]), [4, -1, 8]),
    "split_axis_neg": lambda tf: tf.split(tf.reshape(tf.range(12), [2, 6]), 2, axis=-1),
    "split_axis_oob": lambda tf: tf.split(tf.zeros([2, 6]), 2, axis=2),
    "split_tensor_sizes": lambda tf: tf.split(tf.zeros([2, 6]), tf.constant([1, 5]), axis=1),
    "split_num_zero": lambda tf: tf.split(tf.zeros([2, 6]), 0, axis=1),
    "unstack": lambda tf: tf.unstack(tf.reshape(tf.range(6), [2, 3]), axis=1),
    "stack_axis_oob": lambda tf: tf.stack([1, 2], axis=2),
    "stack_shape_mismatch": lambda tf: tf.stack([[1, 2], [3]]),
    "unstack_neg_axis": lambda tf: tf.unstack(tf.reshape(tf.range(6), [2, 3]), axis=-1),
    "stack_neg_axis": lambda tf: tf.stack([tf.zeros([35, 8]), tf.ones([35, 8])], axis=-1),
    "tile": lambda tf: tf.tile(tf.constant([[1, 2]]), [2, 1]),
    "tile_3d": lambda tf: tf.tile(tf.reshape(tf.range(6), [1, 2, 3]), [2, 1, 3]),
    "tile_wrong_length": lambda tf: tf.tile(tf.constant([1, 2]), [2, 1]),
    "tile_negative": lambda tf: tf.tile(tf.constant([1, 2]), [-1]),
    "tile_scalar": lambda tf: tf.tile(tf.constant(1), []),
    "tile_tensor_multiples": lambda tf: tf.tile(tf.constant([1, 2]), tf.constant([3])),
    "broadcast_to": lambda tf: tf.broadcast_to([1, 2, 3], [2, 3]),
    "broadcast_to_bad": lambda tf: tf.broadcast_to([1, 2, 3], [2, 4]),
    "broadcast_to_rank": lambda tf: tf.broadcast_to(tf.zeros([2, 3]), [3]),
    "broadcast_dynamic_shape": lambda tf: tf.broadcast_dynamic_shape([2, 1], [3]),
    "broadcast_dynamic_shape_int64": lambda tf: tf.broadcast_dynamic_shape(tf.constant([2, 1], tf.int64),
                                                                           tf.constant([3], tf.int64)),
    "broadcast_dynamic_shape_bad": lambda tf: tf.broadcast_dynamic_shape([2, 3], [4]),
    "broadcast_dynamic_shape_mixed": lambda tf: tf.broadcast_dynamic_shape(tf.constant([2, 1], tf.int64),
                                                                           [3]),
    "pad": lambda tf: tf.pad(_x23(tf), [[1, 0], [0, 2]]),
    "pad_constant_values": lambda tf: tf.pad(_x23(tf), [[1, 0], [0, 2]], constant_values=7),
    "pad_reflect": lambda tf: tf.pad(_x23(tf), [[1, 1], [2, 2]], "REFLECT"),
    "pad_reflect_too_big": lambda tf: tf.pad(_x23(tf), [[1, 1], [3, 2]], "REFLECT"),
    "pad_symmetric": lambda tf: tf.pad(_x23(tf), [[2, 2], [3, 2]], "symmetric"),
    "pad_symmetric_too_big": lambda tf: tf.pad(_x23(tf), [[3, 2], [3, 2]], "SYMMETRIC"),
    "pad_bad_mode": lambda tf: tf.pad(_x23(tf), [[1, 1], [2, 2]], "WRAP"),
    "pad_bad_paddings": lambda tf: tf.pad(_x23(tf), [[1, 1]]),
    "pad_negative": lambda tf: tf.pad(_x23(tf), [[-1, 1], [0, 0]]),
    "pad_vector_constant": lambda tf: tf.pad(_x23(tf), [[1, 1], [0, 0]], constant_values=[1.0, 2.0]),
    "pad_int_with_float_constant": lambda tf: tf.pad(tf.constant([1, 2]), [[1, 1]], constant_values=1.5),
    "pad_tensor_paddings": lambda tf: tf.pad(tf.constant([1, 2]), tf.constant([[2, 1]])),
    "slice": lambda tf: tf.slice(_x23(tf), [0, 1], [2, -1]),
    "slice_bad_size": lambda tf: tf.slice(_x23(tf), [0, 1], [2, 5]),
    "slice_bad_begin": lambda tf: tf.slice(_x23(tf), [0, 4], [2, -1]),
    "slice_negative_begin": lambda tf: tf.slice(_x23(tf), [0, -1], [2, 1]),
    "slice_wrong_length": lambda tf: tf.slice(_x23(tf), [0], [2]),
    "slice_size_minus_two": lambda tf: tf.slice(_x23(tf), [0, 0], [2, -2]),
    "strided_slice": lambda tf: tf.strided_slice(_x234(tf), [0, 1], [2, 3], [1, 1]),
    "strided_slice_masks": lambda tf: tf.strided_slice(_x234(tf), [1, 0, 0], [0, 0, 3], [1, 1, 1],
                                                      begin_mask=6, end_mask=3),
    "strided_slice_shrink": lambda tf: tf.strided_slice(_x234(tf), [1, 0], [2, 0], [1, 1], end_mask=2,
                                                       shrink_axis_mask=1),
    "strided_slice_ellipsis": lambda tf: tf.strided_slice(_x234(tf), [0, 1], [0, 2], [1, 1], ellipsis_mask=1,
                                                         shrink_axis_mask=2),
    "strided_slice_new_axis": lambda tf: tf.strided_slice(_x234(tf), [0, 0], [0, 2], [1, 1], new_axis_mask=1),
    "strided_slice_negative_stride": lambda tf: tf.strided_slice(_x23(tf), [0, -1], [2, 0], [1, -1],
                                                                end_mask=2),
    "strided_slice_default_strides": lambda tf: tf.strided_slice(_x23(tf), [0, 1], [2, 3]),
    "strided_slice_zero_stride": lambda tf: tf.strided_slice(_x23(tf), [0, 1], [2, 3], [1, 0]),
    "strided_slice_shrink_oob": lambda tf: tf.strided_slice(_x23(tf), [5], [6], [1], shrink_axis_mask=1),
    "strided_slice_length_mismatch": lambda tf: tf.strided_slice(_x23(tf), [0, 1], [2], [1, 1]),
    "strided_slice_clamp": lambda tf: tf.strided_slice(_x23(tf), [-10, 1], [10, 100], [1, 1]),
    "reverse": lambda tf: tf.reverse(_x23(tf), [1]),
    "reverse_neg": lambda tf: tf.reverse(_x23(tf), [-1, 0]),
    "reverse_oob": lambda tf: tf.reverse(_x23(tf), [2]),
    "reverse_duplicate": lambda tf: tf.reverse(_x23(tf), [1, -1]),
    "reverse_int_axis": lambda tf: tf.reverse(_x23(tf), 1),
    "roll": lambda tf: tf.roll(_x23(tf), 1, 1),
    "roll_multi": lambda tf: tf.roll(_x23(tf), [1, -1], [0, 1]),
    "roll_same_axis": lambda tf: tf.roll(_x23(tf), [1, 1], [1, 1]),
    "roll_length_mismatch": lambda tf: tf.roll(_x23(tf), [1, 1], [1]),
    "roll_axis_oob": lambda tf: tf.roll(_x23(tf), 1, 2),
    "roll_large_shift": lambda tf: tf.roll(_x23(tf), 7, -1),
    "size": lambda tf: tf.size(_x23(tf)),
    "size_int64": lambda tf: tf.size(_x23(tf), out_type=tf.int64),
    "size_float": lambda tf: tf.size(_x23(tf), out_type=tf.float32),
    "size_python": lambda tf: tf.size([[1, 2]]),
    "rank": lambda tf: tf.rank(_x23(tf)),
    "rank_python": lambda tf: tf.rank(3.0),
    "shape_n": lambda tf: tf.shape_n([_x23(tf), tf.zeros([4])]),
    "shape_n_int64": lambda tf: tf.shape_n([_x23(tf)], out_type=tf.int64),
    "shape_float": lambda tf: tf.shape(_x23(tf), out_type=tf.float32),
    "shape_int64": lambda tf: tf.shape(_x23(tf), out_type=tf.int64),
    "stop_gradient": lambda tf: tf.stop_gradient(_x23(tf)),
    "ensure_shape": lambda tf: tf.ensure_shape(_x23(tf), [2, None]),
    "ensure_shape_rank": lambda tf: tf.ensure_shape(_x23(tf), [3]),
    "ensure_shape_dim": lambda tf: tf.ensure_shape(_x23(tf), [2, 4]),
    "ensure_shape_tensorshape": lambda tf: tf.ensure_shape(_x23(tf), tf.TensorShape([2, 3])),
    "ensure_shape_none": lambda tf: tf.ensure_shape(_x23(tf), None),
    # tensor[...]
    "index_negative_steps": lambda tf: _x23(tf)[::-1, ::-2],
    "index_slice_past_end": lambda tf: _x23(tf)[5:10],
    "index_slice_before_start": lambda tf: _x23(tf)[-10:1],
    "index_int_oob": lambda tf: _x23(tf)[5],
    "index_int_neg_oob": lambda tf: _x23(tf)[-3],
    "index_list_is_tuple": lambda tf: _x23(tf)[[0, 1]],
    "index_list_with_slice": lambda tf: _x23(tf)[[slice(None), 1]],
    "index_nested_list": lambda tf: _x23(tf)[[[0, 1]]],
    "index_float": lambda tf: _x23(tf)[1.0],
    "index_bool_scalar": lambda tf: _x23(tf)[True],
    "index_bool_in_tuple": lambda tf: _x23(tf)[0, True],
    "index_bool_tensor": lambda tf: _x23(tf)[tf.constant(MASK23)],
    "index_bool_numpy": lambda tf: _x23(tf)[np.array([True, False])],
    "index_numpy_int": lambda tf: _x23(tf)[np.int64(1)],
    "index_numpy_0d": lambda tf: _x23(tf)[np.array(1)],
    "index_numpy_vector": lambda tf: _x23(tf)[np.array([1])],
    "index_tensor": lambda tf: _x23(tf)[tf.constant(1)],
    "index_tensor_int64": lambda tf: _x23(tf)[tf.constant(1, tf.int64)],
    "index_tensor_int16": lambda tf: _x23(tf)[tf.constant(1, tf.int16)],
    "index_tensor_uint8": lambda tf: _x23(tf)[tf.constant(1, tf.uint8)],
    "index_tensor_float": lambda tf: _x23(tf)[tf.constant(1.0)],
    "index_tensor_vector": lambda tf: _x23(tf)[tf.constant([1])],
    "index_variable": lambda tf: _x23(tf)[tf.Variable(1)],
    "variable_getitem": lambda tf: tf.Variable(_x234(tf))[1, ::-1, tf.constant(2)],
    "gather_variable_params": lambda tf: tf.gather(tf.Variable(_x23(tf)), [1, 1, 0]),
    "index_slice_tensors": lambda tf: _x23(tf)[:, tf.constant(1):tf.constant(3)],
    "index_slice_tensor_step": lambda tf: _x23(tf)[::tf.constant(-1)],
    "index_slice_float": lambda tf: _x23(tf)[:, 1.0:2],
    "index_zero_step": lambda tf: _x23(tf)[::0],
    "index_too_many": lambda tf: _x23(tf)[0, 0, 0],
    "index_two_ellipses": lambda tf: _x234(tf)[..., 0, ...],
    "index_newaxis": lambda tf: _x23(tf)[None, ..., None, 1],
    "index_ellipsis_middle": lambda tf: _x234(tf)[1, ..., 2],
    "index_scalar": lambda tf: tf.constant(1.0)[0],
    "index_scalar_ellipsis": lambda tf: tf.constant(1.0)[...],
    "index_string_key": lambda tf: _x23(tf)["a"],
    # gather / scatter
    "gather": lambda tf: tf.gather([1.0, 2.0, 3.0], [2, 0]),
    "gather_oob": lambda tf: tf.gather([1.0, 2.0, 3.0], [0, 5]),
    "gather_negative": lambda tf: tf.gather([1.0, 2.0, 3.0], [-1]),
    "gather_axis1": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1]], axis=1),
    "gather_axis_oob": lambda tf: tf.gather(_x234(tf), [0], axis=3),
    "gather_axis_neg": lambda tf: tf.gather(_x234(tf), [0, 3], axis=-1),
    "gather_axis_tensor": lambda tf: tf.gather(_x234(tf), [0, 3], axis=tf.constant(2)),
    "gather_oob_axis2": lambda tf: tf.gather(_x234(tf), [0, 4], axis=2),
    "gather_batch_dims": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1]], axis=2, batch_dims=1),
    "gather_batch_dims_default_axis": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1]], batch_dims=1),
    "gather_batch_dims_neg": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1]], axis=1, batch_dims=-1),
    "gather_batch_dims_mismatch": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1], [0, 0]], axis=1,
                                                       batch_dims=1),
    "gather_batch_dims_too_big": lambda tf: tf.gather(_x234(tf), [[0, 2], [1, 1]], axis=2, batch_dims=3),
    "gather_batch_dims_2": lambda tf: tf.gather(
        _x234(tf), tf.constant([[[0, 1], [1, 1], [2, 3]], [[3, 3], [0, 0], [1, 2]]]), axis=2, batch_dims=2),
    "gather_float_indices": lambda tf: tf.gather(_x234(tf), [0.0], axis=0),
    "gather_int64_indices": lambda tf: tf.gather(_x234(tf), tf.constant([1], tf.int64)),
    "gather_int16_indices": lambda tf: tf.gather(_x234(tf), tf.constant([1], tf.int16)),
    "gather_scalar_index": lambda tf: tf.gather(_x234(tf), 1, axis=1),
    "gather_scalar_params": lambda tf: tf.gather(tf.constant(1.0), [0]),
    "gather_students": lambda tf: tf.gather(tf.zeros([4, 35, 8]), [0, 3, 8], axis=1),
    "gather_nd": lambda tf: tf.gather_nd(_x234(tf), [[1, 1], [0, 2]]),
    "gather_nd_full": lambda tf: tf.gather_nd(_x234(tf), [[1, 1, 3], [0, 2, 0]]),
    "gather_nd_oob": lambda tf: tf.gather_nd(_x234(tf), [[1, 1], [2, 0]]),
    "gather_nd_negative": lambda tf: tf.gather_nd(_x234(tf), [[1, 1], [0, -1]]),
    "gather_nd_too_long": lambda tf: tf.gather_nd(_x234(tf), [[1, 1, 1, 1]]),
    "gather_nd_batch_dims": lambda tf: tf.gather_nd(_x234(tf), [[1], [2]], batch_dims=1),
    "gather_nd_batch_dims2": lambda tf: tf.gather_nd(_x234(tf), [[[1, 2]], [[2, 0]]], batch_dims=1),
    "gather_nd_empty_index": lambda tf: tf.gather_nd(_x234(tf), tf.zeros([3, 0], tf.int32)),
    "gather_nd_scalar_indices": lambda tf: tf.gather_nd(_x234(tf), 1),
    "gather_nd_float_indices": lambda tf: tf.gather_nd(_x234(tf), [[1.0]]),
    "gather_nd_nested": lambda tf: tf.gather_nd(_x234(tf), [[[0, 1]], [[1, 2]]]),
    "scatter_nd": lambda tf: tf.scatter_nd([[4], [3], [1], [7]], [4.4, 3.3, 1.1, 7.7], [8]),
    "scatter_nd_duplicates": lambda tf: tf.scatter_nd([[1], [1]], [1.0, 2.0], [3]),
    "scatter_nd_oob": lambda tf: tf.scatter_nd([[1], [5]], [1.0, 2.0], [4]),
    "scatter_nd_negative": lambda tf: tf.scatter_nd([[1], [-1]], [1.0, 2.0], [4]),
    "scatter_nd_slices": lambda tf: tf.scatter_nd([[1]], [[1.0, 2.0]], [3, 2]),
    "scatter_nd_bad_updates": lambda tf: tf.scatter_nd([[1]], [[1.0, 2.0, 3.0]], [3, 2]),
    "scatter_nd_int64": lambda tf: tf.scatter_nd(tf.constant([[1]], tf.int64), [1.0],
                                                 tf.constant([3], tf.int64)),
    "scatter_nd_shape_dtype": lambda tf: tf.scatter_nd(tf.constant([[1]]), [1.0], tf.constant([3], tf.int64)),
    "scatter_nd_int": lambda tf: tf.scatter_nd([[1]], [5], [3]),
    "scatter_nd_2d_index": lambda tf: tf.scatter_nd([[0, 1], [1, 0], [0, 1]], [1, 2, 3], [2, 2]),
    "tensor_scatter_update": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1], [3]],
                                                                    [9.0, 8.0]),
    "tensor_scatter_update_dup": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1], [1]],
                                                                        [9.0, 8.0]),
    "tensor_scatter_add_dup": lambda tf: tf.tensor_scatter_nd_add(_t4(tf), [[1], [1]],
                                                                  [9.0, 8.0]),
    "tensor_scatter_sub": lambda tf: tf.tensor_scatter_nd_sub(_t4(tf), [[1], [1]], [9.0, 8.0]),
    "tensor_scatter_max": lambda tf: tf.tensor_scatter_nd_max(_t4(tf), [[1], [2]], [9.0, 0.0]),
    "tensor_scatter_min": lambda tf: tf.tensor_scatter_nd_min(_t4(tf), [[1], [2]], [9.0, 0.0]),
    "tensor_scatter_update_oob": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1], [4]],
                                                                        [9.0, 8.0]),
    "tensor_scatter_add_oob": lambda tf: tf.tensor_scatter_nd_add(_t4(tf), [[1], [4]],
                                                                  [9.0, 8.0]),
    "tensor_scatter_dtype": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1]],
                                                                   tf.constant([9], tf.int32)),
    "tensor_scatter_shape": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1]], [9.0, 2.0]),
    "tensor_scatter_rows": lambda tf: tf.tensor_scatter_nd_update(_x23(tf), [[1]], [[9.0, 8.0, 7.0]]),
    "tensor_scatter_python_updates": lambda tf: tf.tensor_scatter_nd_update(_t4(tf), [[1]], [9]),
    "tensor_scatter_int": lambda tf: tf.tensor_scatter_nd_add(tf.constant([[1, 2], [3, 4]]), [[0, 1], [1, 0]],
                                                              [10, 20]),
    "boolean_mask": lambda tf: tf.boolean_mask(_x23(tf), [True, False]),
    "boolean_mask_2d": lambda tf: tf.boolean_mask(_x23(tf), [[True, False, True], [False, False, True]]),
    "boolean_mask_axis": lambda tf: tf.boolean_mask(_x23(tf), [True, False, True], axis=1),
    "boolean_mask_axis_neg": lambda tf: tf.boolean_mask(_x234(tf), [True, False, True, True], axis=-1),
    "boolean_mask_scalar": lambda tf: tf.boolean_mask(_x23(tf), True),
    "boolean_mask_shape": lambda tf: tf.boolean_mask(_x23(tf), [True, False, True]),
    "boolean_mask_int_mask": lambda tf: tf.boolean_mask(_x23(tf), [1, 0]),
    "boolean_mask_rank": lambda tf: tf.boolean_mask([1.0, 2.0], [[True, False]]),
    "boolean_mask_tensor_mask": lambda tf: tf.boolean_mask(_x23(tf), tf.constant(MASK23)),
}


def _outcome(tf, case):
    try:
        return case(tf), None
    except Exception as exc:  # noqa: BLE001 - the exception type is what is compared
        return None, exc


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    tf_ref = pytest.importorskip("tensorflow")
    case = CASES[name]
    expected, expected_error = _outcome(tf_ref, case)
    got, got_error = _outcome(ndflow, case)
    if expected_error is not None:
        assert got_error is not None, f"TF raised {expected_error!r}; ndflow gave {got}"
        assert type(got_error).__name__ == type(expected_error).__name__, (got_error, expected_error)
        return
    assert got_error is None, f"ndflow raised {type(got_error).__name__}: {got_error}"
    if expected is None:
        assert got is None
        return
    expected, got = _as_list(expected), _as_list(got)
    assert len(got) == len(expected)
    for e, g in zip(expected, got):
        assert g.dtype.name == e.dtype.name
        assert tuple(g.shape.as_list()) == tuple(e.shape.as_list())
        np.testing.assert_allclose(np.asarray(g.numpy(), dtype=object if e.dtype.name == "string" else None),
                                   e.numpy(), rtol=1e-6) if e.dtype.name != "string" else \
            np.testing.assert_array_equal(g.numpy(), e.numpy())


ROUNDING_CASES = {
    "range_float32": lambda tf: tf.range(0.0, 100.0, 0.1),
    "range_float64": lambda tf: tf.range(0.5, 3.7, 0.3, dtype=tf.float64),
    "linspace_float32": lambda tf: tf.linspace(0.1, 0.7, 7),
    "linspace_nd": lambda tf: tf.linspace([0.1, -3.3], [[0.7], [2.9]], 11, axis=-1),
}


@pytest.mark.parametrize("name", sorted(ROUNDING_CASES))
def test_float_sequences_round_like_tensorflow(name):
    tf_ref = pytest.importorskip("tensorflow")
    expected = ROUNDING_CASES[name](tf_ref).numpy()
    np.testing.assert_array_equal(ROUNDING_CASES[name](ndflow).numpy(), expected)


X = np.random.RandomState(1).randn(3, 4)
X3 = np.random.RandomState(2).randn(2, 3, 4)

GRAD_CASES = {
    "gather": (X, lambda tf, x: tf.gather(x, [2, 0, 2], axis=0)),
    "gather_axis1": (X, lambda tf, x: tf.gather(x, [[3, 3], [0, 1]], axis=1)),
    "gather_batch_dims": (X3, lambda tf, x: tf.gather(x, [[0, 0, 3], [2, 1, 0]], axis=2, batch_dims=1)),
    "gather_nd": (X3, lambda tf, x: tf.gather_nd(x, [[1, 2], [1, 2], [0, 0]])),
    "gather_nd_batch": (X3, lambda tf, x: tf.gather_nd(x, [[[1, 2]], [[2, 0]]], batch_dims=1)),
    "boolean_mask": (X, lambda tf, x: tf.boolean_mask(x, [True, False, True])),
    "pad_reflect": (X, lambda tf, x: tf.pad(x, [[2, 1], [1, 3]], "REFLECT")),
    "pad_symmetric": (X, lambda tf, x: tf.pad(x, [[3, 1], [0, 4]], "SYMMETRIC")),
    "pad_constant": (X, lambda tf, x: tf.pad(x, [[1, 1], [0, 2]], constant_values=2.0)),
    "strided_slice": (X3, lambda tf, x: x[1, ::-2, None, 1:]),
    "slice": (X, lambda tf, x: tf.slice(x, [1, 0], [-1, 3])),
    "tile": (X, lambda tf, x: tf.tile(x, [2, 3])),
    "broadcast_to": (X[:1], lambda tf, x: tf.broadcast_to(x, [2, 3, 4])),
    "roll": (X, lambda tf, x: tf.roll(x, [1, -3], [0, 1])),
    "reverse": (X, lambda tf, x: tf.reverse(x, [0, 1])),
    "concat_split": (X, lambda tf, x: tf.concat(tf.split(x, [1, -1], axis=1)[::-1], axis=1)),
    "transpose": (X3, lambda tf, x: tf.transpose(x, [1, 2, 0])),
    "linspace": (X[0], lambda tf, x: tf.linspace(x, x * 3.0 + 1.0, 5, axis=-1)),
    "meshgrid": (X[0], lambda tf, x: tf.meshgrid(x, x[:2])[1]),
    "scatter_nd": (X[:2], lambda tf, x: tf.scatter_nd([[1], [1]], x, [3, 4])),
    "tensor_scatter_update": (X, lambda tf, x: tf.tensor_scatter_nd_update(x, [[0, 1], [2, 2]], x[1, :2])),
    "tensor_scatter_max_ties": (np.array([1.0, 2.0, 3.0, 4.0]),
                                lambda tf, x: tf.tensor_scatter_nd_max(x, [[1], [2]], x[2:4] - 1.0)),
    "tensor_scatter_min": (X, lambda tf, x: tf.tensor_scatter_nd_min(x, [[0], [2]], x[1:3] * 0.5)),
    "stop_gradient": (X, lambda tf, x: x * tf.stop_gradient(x)),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradient_matches_tensorflow(name):
    tf_ref = pytest.importorskip("tensorflow")
    value, fn = GRAD_CASES[name]
    grads = []
    for lib in (tf_ref, ndflow):
        x = lib.constant(value)
        with lib.GradientTape() as tape:
            tape.watch(x)
            y = fn(lib, x)
            loss = lib.reduce_sum(y * y)
        grads.append(np.asarray(lib.convert_to_tensor(tape.gradient(loss, x)).numpy()))
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-10, atol=1e-12)
