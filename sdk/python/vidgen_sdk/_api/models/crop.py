from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Crop")



@_attrs_define
class Crop:
    """ A rectangle of the source, in source pixels or percentages of the source's size.

        Attributes:
            height (float | str): Source pixels (120, '120px') or a share ('25%').
            width (float | str): Source pixels (120, '120px') or a share ('25%').
            x (float | str | Unset): Source pixels (120, '120px') or a share ('25%'). Default: "{'unit': 'px', 'value':
                0.0}".
            y (float | str | Unset): Source pixels (120, '120px') or a share ('25%'). Default: "{'unit': 'px', 'value':
                0.0}".
     """

    height: float | str
    width: float | str
    x: float | str | Unset = "{'unit': 'px', 'value': 0.0}"
    y: float | str | Unset = "{'unit': 'px', 'value': 0.0}"





    def to_dict(self) -> dict[str, Any]:
        height: float | str
        height = self.height

        width: float | str
        width = self.width

        x: float | str | Unset
        if isinstance(self.x, Unset):
            x = UNSET
        else:
            x = self.x

        y: float | str | Unset
        if isinstance(self.y, Unset):
            y = UNSET
        else:
            y = self.y


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "height": height,
            "width": width,
        })
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_height(data: object) -> float | str:
            return cast(float | str, data)

        height = _parse_height(d.pop("height"))


        def _parse_width(data: object) -> float | str:
            return cast(float | str, data)

        width = _parse_width(d.pop("width"))


        def _parse_x(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        x = _parse_x(d.pop("x", UNSET))


        def _parse_y(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        y = _parse_y(d.pop("y", UNSET))


        crop = cls(
            height=height,
            width=width,
            x=x,
            y=y,
        )

        return crop

