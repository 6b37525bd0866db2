from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rendition_quality_preset import RenditionQualityPreset
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RenditionQuality")



@_attrs_define
class RenditionQuality:
    """ As `output.quality`.

        Attributes:
            crf (int | None | Unset):
            preset (RenditionQualityPreset | Unset):  Default: RenditionQualityPreset.VERYFAST.
     """

    crf: int | None | Unset = UNSET
    preset: RenditionQualityPreset | Unset = RenditionQualityPreset.VERYFAST





    def to_dict(self) -> dict[str, Any]:
        crf: int | None | Unset
        if isinstance(self.crf, Unset):
            crf = UNSET
        else:
            crf = self.crf

        preset: str | Unset = UNSET
        if not isinstance(self.preset, Unset):
            preset = self.preset.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if crf is not UNSET:
            field_dict["crf"] = crf
        if preset is not UNSET:
            field_dict["preset"] = preset

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_crf(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        crf = _parse_crf(d.pop("crf", UNSET))


        _preset = d.pop("preset", UNSET)
        preset: RenditionQualityPreset | Unset
        if isinstance(_preset,  Unset):
            preset = UNSET
        else:
            preset = RenditionQualityPreset(_preset)




        rendition_quality = cls(
            crf=crf,
            preset=preset,
        )

        return rendition_quality

