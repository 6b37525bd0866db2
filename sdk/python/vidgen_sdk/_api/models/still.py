from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.still_format import StillFormat
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Still")



@_attrs_define
class Still:
    """ One picture of the composition at `time` (s), `width` px wide (the canvas's if unset).

        Attributes:
            time (float):
            format_ (StillFormat | Unset):  Default: StillFormat.JPG.
            width (int | None | Unset):
     """

    time: float
    format_: StillFormat | Unset = StillFormat.JPG
    width: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        time = self.time

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "time": time,
        })
        if format_ is not UNSET:
            field_dict["format"] = format_
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = d.pop("time")

        _format_ = d.pop("format", UNSET)
        format_: StillFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = StillFormat(_format_)




        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        still = cls(
            time=time,
            format_=format_,
            width=width,
        )

        return still

