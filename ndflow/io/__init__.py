"""``ndflow.io`` (``tf.io``): TFRecord files, ``tf.train.Example`` parsing, CSV decoding, file and tensor I/O.

Protocol buffers (``protobuf``) and CRC32C (``crc32c``) load only when a function needs them.
"""
from . import gfile
from .csv_ops import decode_csv
from .file_ops import matching_files, read_file, write_file
from .parsing import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
    parse_sequence_example,
    parse_single_example,
    parse_single_sequence_example,
)
from .tensor_ops import decode_raw, parse_tensor, serialize_tensor
from .tfrecord import TFRecordCompressionType, TFRecordOptions, TFRecordWriter, tf_record_iterator

__all__ = ["FixedLenFeature", "FixedLenSequenceFeature", "TFRecordOptions", "TFRecordWriter", "VarLenFeature",
           "decode_csv", "decode_raw", "gfile", "matching_files", "parse_example", "parse_sequence_example",
           "parse_single_example", "parse_single_sequence_example", "parse_tensor", "read_file",
           "serialize_tensor", "write_file", "tf_record_iterator", "TFRecordCompressionType"]
