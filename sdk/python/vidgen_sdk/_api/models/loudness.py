from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Loudness")



@_attrs_define
class Loudness:
    """ The mix normalised to `target_lufs` (integrated, EBU R128) under `true_peak` dBTP.

    The ranges are those of FFmpeg's loudnorm filter.

        Attributes:
            target_lufs (float | Unset):  Default: -14.0.
            true_peak (float | Unset):  Default: -1.0.
     """

    target_lufs: float | Unset = -14.0
    true_peak: float | Unset = -1.0





    def to_dict(self) -> dict[str, Any]:
        target_lufs = self.target_lufs

        true_peak = self.true_peak


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if target_lufs is not UNSET:
            field_dict["target_lufs"] = target_lufs
        if true_peak is not UNSET:
            field_dict["true_peak"] = true_peak

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        target_lufs = d.pop("target_lufs", UNSET)

        true_peak = d.pop("true_peak", UNSET)

        loudness = cls(
            target_lufs=target_lufs,
            true_peak=true_peak,
        )

        return loudness

