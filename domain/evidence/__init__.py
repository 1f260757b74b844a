"""Evidence photos: inspection, capture metadata, content-addressed storage, anomaly checks."""

from domain.evidence.anomalies import Anomaly, find_anomalies, haversine_m
from domain.evidence.exif import CaptureMeta, GeoPoint
from domain.evidence.jpeg_strip import NotStrippable, strip_jpeg_metadata
from domain.evidence.photos import DecodedPhoto, PhotoInfo, PhotoLimits, decode_photo, inspect_photo
from domain.evidence.rejections import PhotoRejected
from domain.evidence.store import PhotoStore, StoredFile, StoredPhoto, StoreIntegrityError, Variant
from domain.evidence.variants import display_copy, shareable_copy

__all__ = [
    "Anomaly",
    "CaptureMeta",
    "DecodedPhoto",
    "GeoPoint",
    "NotStrippable",
    "PhotoInfo",
    "PhotoLimits",
    "PhotoRejected",
    "PhotoStore",
    "StoreIntegrityError",
    "StoredFile",
    "StoredPhoto",
    "Variant",
    "decode_photo",
    "display_copy",
    "find_anomalies",
    "haversine_m",
    "inspect_photo",
    "shareable_copy",
    "strip_jpeg_metadata",
]
