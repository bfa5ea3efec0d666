"""``ndflow.queue`` (``tf.queue``): stateful queues usable eagerly, in ``Session`` graphs and across threads."""
from ._core.data_flow_ops import FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]
