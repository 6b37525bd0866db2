from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.thumbnails_format import ThumbnailsFormat
from ..types import UNSET, Unset






T = TypeVar("T", bound="Thumbnails")



@_attrs_define
class Thumbnails:
    """ A tile every `every` seconds, `width` px wide, on one sprite sheet, and a WebVTT index
    whose cues point at the tiles (`sprite.jpg#xywh=x,y,w,h`).

        Attributes:
            every (float):
            format_ (ThumbnailsFormat | Unset):  Default: ThumbnailsFormat.JPG.
            width (int | Unset):  Default: 160.
     """

    every: float
    format_: ThumbnailsFormat | Unset = ThumbnailsFormat.JPG
    width: int | Unset = 160





    def to_dict(self) -> dict[str, Any]:
        every = self.every

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        width = self.width


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "every": every,
        })
        if format_ is not UNSET:
            field_dict["format"] = format_
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        every = d.pop("every")

        _format_ = d.pop("format", UNSET)
        format_: ThumbnailsFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = ThumbnailsFormat(_format_)




        width = d.pop("width", UNSET)

        thumbnails = cls(
            every=every,
            format_=format_,
            width=width,
        )

        return thumbnails

