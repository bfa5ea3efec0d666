"""``tf.image`` bounding boxes: drawing, random distorted crops and non-maximum suppression.

Boxes are ``[y_min, x_min, y_max, x_max]``, normalised to [0, 1] for drawing and cropping. None of these
ops is differentiable (as in TF).
"""
from __future__ import annotations

import heapq
import math
import struct
from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..tensor import Tensor
from . import random_ops
from ._helpers import as_int_list, check_dtype, execute, invalid_arg, register, to_tensor

# TF's colours for boxes drawn without ``colors`` (RGBA), cycled by box index.
_DEFAULT_COLORS = ((1, 1, 0, 1), (0, 0, 1, 1), (1, 0, 0, 1), (0, 1, 0, 1), (0.5, 0, 0.5, 1), (0.5, 0.5, 0, 1),
                   (0.5, 0, 0, 1), (0, 0, 0.5, 1), (0, 1, 1, 1), (1, 0, 1, 1))


def _draw_boxes_forward(xp, images, boxes, colors):
    depth = images.shape[3]
    if depth not in (1, 3, 4):
        raise invalid_arg("DrawBoundingBoxesV2", "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    if boxes.ndim != 3 or boxes.shape[2] != 4:
        raise invalid_arg("DrawBoundingBoxesV2", "The rank of the boxes tensor should be 3")
    if boxes.shape[0] != images.shape[0]:
        raise invalid_arg("DrawBoundingBoxesV2", "The batch sizes of images and boxes must match")
    table = [list(c) + [1.0] * (depth - len(c)) for c in (colors.tolist() if colors.size else _DEFAULT_COLORS)]
    canvas = images.copy()
    _, height, width, _ = canvas.shape
    for b, image_boxes in enumerate(boxes.tolist()):
        for k, box in enumerate(image_boxes):
            color = xp.asarray(table[k % len(table)][:depth], dtype=canvas.dtype)
            top, bottom = int(_f32(box[0] * (height - 1))), int(_f32(box[2] * (height - 1)))
            left, right = int(_f32(box[1] * (width - 1))), int(_f32(box[3] * (width - 1)))
            if top > bottom or left > right or top >= height or bottom < 0 or left >= width or right < 0:
                continue
            rows = slice(max(top, 0), min(bottom, height - 1) + 1)
            cols = slice(max(left, 0), min(right, width - 1) + 1)
            if top >= 0:
                canvas[b, top, cols] = color
            if bottom < height:
                canvas[b, bottom, cols] = color
            if left >= 0:
                canvas[b, rows, left] = color
            if right < width:
                canvas[b, rows, right] = color
    return canvas


def _f32(value: float) -> float:
    """``value`` rounded to float32, as TF's kernel computes box edges."""
    return struct.unpack("f", struct.pack("f", value))[0]


_DRAW_BOXES = register("DrawBoundingBoxesV2", _draw_boxes_forward)


@export("image.draw_bounding_boxes")
def draw_bounding_boxes(images: Any, boxes: Any, colors: Any, name: str | None = None) -> Tensor:
    """Draws 1-pixel box outlines on float ``[batch, h, w, depth]`` images, cycling through ``colors``
    (``[num_colors, 4]`` RGBA; None or empty: TF's default table)."""
    images = to_tensor(images)
    check_dtype("DrawBoundingBoxesV2", images, ("float32", "float16"))
    if images.shape.rank != 4:
        raise invalid_arg("DrawBoundingBoxesV2", "The rank of the images should be 4")
    boxes = to_tensor(boxes, dtype=dtypes.float32)
    colors = to_tensor(np.zeros((0, 4), np.float32) if colors is None else colors, dtype=dtypes.float32)
    return execute(_DRAW_BOXES, (images, boxes, colors))


# ---------------------------------------------------------------------------------------------------------
# sample_distorted_bounding_box


def _random_crop_rect(rng, height: int, width: int, aspect: float, area_range: tuple) -> tuple | None:
    """One try at a crop ``(y, x, h, w)`` of aspect ``aspect`` whose area fraction is in ``area_range``."""
    min_area, max_area = area_range[0] * width * height, area_range[1] * width * height
    crop_h = int(round(math.sqrt(min_area / aspect)))
    max_h = int(round(math.sqrt(max_area / aspect)))
    if max_h * aspect > width:
        max_h = int((width + 0.5 - 1e-7) / aspect)
        if max_h * aspect > width:
            max_h -= 1
    max_h = min(max_h, height)
    crop_h = min(crop_h, max_h)
    if crop_h < max_h:
        crop_h += int(rng.integers(max_h - crop_h + 1))
    crop_w = int(round(crop_h * aspect))
    if crop_w * crop_h < min_area:
        crop_h += 1
        crop_w = int(round(crop_h * aspect))
    if crop_w * crop_h > max_area:
        crop_h -= 1
        crop_w = int(round(crop_h * aspect))
    area = crop_w * crop_h
    if (area < min_area or area > max_area or crop_w > width or crop_h > height or crop_w <= 0
            or crop_h <= 0):
        return None
    y = int(rng.integers(height - crop_h + 1))
    x = int(rng.integers(width - crop_w + 1))
    return y, x, crop_h, crop_w


def _covers(rect: tuple, boxes: list, min_covered: float) -> bool:
    """Whether the crop covers at least ``min_covered`` of some box (pixel coordinates)."""
    y, x, h, w = rect
    for y_min, x_min, y_max, x_max in boxes:
        area = (y_max - y_min) * (x_max - x_min)
        if area <= 0:
            continue
        overlap_h = min(y + h, y_max) - max(y, y_min)
        overlap_w = min(x + w, x_max) - max(x, x_min)
        if overlap_h > 0 and overlap_w > 0 and overlap_h * overlap_w / area >= min_covered:
            return True
    return False


def _sample_box_forward(xp, image_size, boxes, min_object_covered, *, stream, aspect_ratio_range, area_range,
                        max_attempts, use_image_if_no_bounding_boxes):
    op = "SampleDistortedBoundingBoxV2"
    size = [int(v) for v in image_size.reshape(-1).tolist()]
    if len(size) != 3:
        raise invalid_arg(op, f"image_size must be 1-dimensional with 3 elements, got {size}")
    height, width = size[0], size[1]
    box_list = boxes.reshape(-1, 4).tolist()
    if not box_list:
        if not use_image_if_no_bounding_boxes:
            raise invalid_arg(op, "No bounding boxes provided as input. One must enable "
                                  "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.")
        box_list = [[0.0, 0.0, 1.0, 1.0]]
    if any(not 0.0 <= v <= 1.0 for box in box_list for v in box):
        raise invalid_arg(op, "All bounding box coordinates must be in [0.0, 1.0]")
    pixel_boxes = [[box[0] * height, box[1] * width, box[2] * height, box[3] * width] for box in box_list]
    covered = float(min_object_covered)
    rng = stream.generator(xp)
    rect = None
    for _ in range(max_attempts):
        aspect = float(rng.uniform(aspect_ratio_range[0], aspect_ratio_range[1]))
        candidate = _random_crop_rect(rng, height, width, aspect, area_range)
        if candidate is not None and _covers(candidate, pixel_boxes, covered):
            rect = candidate
            break
    y, x, h, w = rect if rect is not None else (0, 0, height, width)
    begin = xp.asarray([y, x, 0], dtype=image_size.dtype)
    extent = xp.asarray([h, w, -1], dtype=image_size.dtype)
    crop = xp.asarray([[[y / height, x / width, (y + h) / height, (x + w) / width]]], dtype=xp.float32)
    return begin, extent, crop


_SAMPLE_BOX = register("SampleDistortedBoundingBoxV2", _sample_box_forward, num_outputs=3, stateful=True)


@export("image.sample_distorted_bounding_box")
def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: int = 0,
                                  min_object_covered: Any = 0.1, aspect_ratio_range: Any = None,
                                  area_range: Any = None, max_attempts: int | None = None,
                                  use_image_if_no_bounding_boxes: bool | None = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """A random crop covering at least ``min_object_covered`` of one of ``bounding_boxes``.

    Returns:
        ``(begin, size, bboxes)``: ``begin``/``size`` for ``tf.slice`` and the crop as a normalised box
        ``[1, 1, 4]``; the whole image when no try within ``max_attempts`` succeeds.
    """
    image_size = to_tensor(image_size)
    check_dtype("SampleDistortedBoundingBoxV2", image_size, ("uint8", "int8", "int16", "int32", "int64"))
    boxes = to_tensor(bounding_boxes, dtype=dtypes.float32)
    aspect = tuple(float(v) for v in (aspect_ratio_range or (0.75, 1.33)))
    areas = tuple(float(v) for v in (area_range or (0.05, 1.0)))
    attempts = 100 if max_attempts is None else int(max_attempts)
    if len(aspect) != 2 or aspect[0] <= 0 or aspect[1] <= 0:
        raise invalid_arg("SampleDistortedBoundingBoxV2", "aspect_ratio_range must be positive")
    if len(areas) != 2 or not 0 < areas[0] <= areas[1] <= 1:
        raise invalid_arg("SampleDistortedBoundingBoxV2", "area_range must be in (0, 1]")
    if attempts <= 0:
        raise invalid_arg("SampleDistortedBoundingBoxV2", f"max_attempts must be positive: {attempts}")
    attrs = {"stream": random_ops._stream("SampleDistortedBoundingBoxV2", image_size.dtype, seed),
             "aspect_ratio_range": aspect, "area_range": areas, "max_attempts": attempts,
             "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes)}
    covered = to_tensor(min_object_covered, dtype=dtypes.float32)
    return tuple(execute(_SAMPLE_BOX, (image_size, boxes, covered), attrs))


# ---------------------------------------------------------------------------------------------------------
# Non-maximum suppression


def _ious(xp, corners, areas, index: int, others: list):
    """IoU of box ``index`` with each box in ``others`` (0 where either box is empty)."""
    box, rest = corners[index], corners[others]
    height = xp.maximum(xp.minimum(box[2], rest[:, 2]) - xp.maximum(box[0], rest[:, 0]), 0.0)
    width = xp.maximum(xp.minimum(box[3], rest[:, 3]) - xp.maximum(box[1], rest[:, 1]), 0.0)
    inter = height * width
    union = areas[index] + areas[others] - inter
    valid = (areas[index] > 0) & (areas[others] > 0)
    return xp.where(valid, inter / xp.where(valid, union, 1.0), 0.0)


def _nms_forward(xp, boxes, scores, max_output_size, iou_threshold, score_threshold, soft_nms_sigma):
    op = "NonMaxSuppressionV5"
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise invalid_arg(op, f"boxes must be 2-D[num_boxes, 4]{list(boxes.shape)}")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise invalid_arg(op, "scores has incompatible shape (Dimensions must be equal, but are "
                              f"{boxes.shape[0]} and {scores.shape[0] if scores.ndim else 0})")
    limit = int(max_output_size)
    threshold, floor, sigma = float(iou_threshold), float(score_threshold), float(soft_nms_sigma)
    if not 0 <= threshold <= 1:
        raise invalid_arg(op, "iou_threshold must be in [0, 1]")
    if sigma < 0:
        raise invalid_arg(op, "soft_nms_sigma must be non-negative")
    raw = boxes.astype(xp.float32)
    corners = xp.stack([xp.minimum(raw[:, 0], raw[:, 2]), xp.minimum(raw[:, 1], raw[:, 3]),
                        xp.maximum(raw[:, 0], raw[:, 2]), xp.maximum(raw[:, 1], raw[:, 3])], axis=1)
    areas = (corners[:, 2] - corners[:, 0]) * (corners[:, 3] - corners[:, 1])
    scale = xp.float32(-0.5 / sigma) if sigma > 0 else 0.0
    # heap of (-score, index, selections already applied to the score): best score first, then lowest index
    heap = [(-score, i, 0) for i, score in enumerate(scores.astype(xp.float32).tolist()) if score > floor]
    heapq.heapify(heap)
    selected, selected_scores = [], []
    while len(selected) < limit and heap:
        negative, index, checked = heapq.heappop(heap)
        score = original = xp.float32(-negative)
        overlaps = _ious(xp, corners, areas, index, selected[checked:])[::-1]  # newest selection first
        if not scale and bool(xp.any(overlaps > threshold)):  # Soft-NMS ignores the IoU threshold
            continue
        for overlap in overlaps.tolist() if scale else ():  # float32 decay, as TF's kernel
            weight = xp.exp(scale * xp.float32(overlap) * xp.float32(overlap), dtype=xp.float32)
            score = xp.float32(score * weight)
            if score <= floor:
                break
        if score == original:
            selected.append(index)
            selected_scores.append(float(score))
        elif score > floor:
            heapq.heappush(heap, (-float(score), index, len(selected)))
    return (xp.asarray(selected, dtype=xp.int32), xp.asarray(selected_scores, dtype=scores.dtype),
            xp.asarray(len(selected), dtype=xp.int32))


_NMS = register("NonMaxSuppressionV5", _nms_forward, num_outputs=3)


def _nms(boxes, scores, max_output_size, iou_threshold, score_threshold, soft_nms_sigma):
    boxes = to_tensor(boxes, dtype_hint=dtypes.float32)
    check_dtype("NonMaxSuppressionV5", boxes, ("float16", "float32"))
    scores = to_tensor(scores, dtype=boxes.dtype)
    params = tuple(to_tensor(v, dtype=dtypes.float32) for v in (iou_threshold, score_threshold, soft_nms_sigma))
    limit = to_tensor(as_int_list(max_output_size)[0], dtype=dtypes.int32)
    return execute(_NMS, (boxes, scores, limit) + params)


@export("image.non_max_suppression")
def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                        score_threshold: float = float("-inf"), name: str | None = None) -> Tensor:
    """Greedy selection by descending score, dropping boxes whose IoU with a selected box exceeds
    ``iou_threshold``; returns at most ``max_output_size`` int32 indices."""
    return _nms(boxes, scores, max_output_size, iou_threshold, score_threshold, 0.0)[0]


@export("image.non_max_suppression_with_scores")
def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                                    score_threshold: float = float("-inf"), soft_nms_sigma: float = 0.0,
                                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """``non_max_suppression`` also returning the selected scores.

    With ``soft_nms_sigma`` > 0 (Soft-NMS) overlapping boxes are not dropped but their scores decay by
    ``exp(-iou**2 / (2 * sigma))``; as in TF's kernel the IoU threshold then plays no part.
    """
    indices, selected_scores, _ = _nms(boxes, scores, max_output_size, iou_threshold, score_threshold,
                                       soft_nms_sigma)
    return indices, selected_scores
