from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Shadow")



@_attrs_define
class Shadow:
    """ A blurred, offset copy of the element's silhouette under it; colour alpha = strength.

        Attributes:
            blur (float | Unset):  Default: 8.0.
            color (str | Unset): '#rgb', '#rrggbb', '#rrggbbaa', a colour name, optionally '@opacity'.
            x (float | Unset):  Default: 6.0.
            y (float | Unset):  Default: 6.0.
     """

    blur: float | Unset = 8.0
    color: str | Unset = UNSET
    x: float | Unset = 6.0
    y: float | Unset = 6.0





    def to_dict(self) -> dict[str, Any]:
        blur = self.blur

        color = self.color

        x = self.x

        y = self.y


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if blur is not UNSET:
            field_dict["blur"] = blur
        if color is not UNSET:
            field_dict["color"] = color
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        blur = d.pop("blur", UNSET)

        color = d.pop("color", UNSET)

        x = d.pop("x", UNSET)

        y = d.pop("y", UNSET)

        shadow = cls(
            blur=blur,
            color=color,
            x=x,
            y=y,
        )

        return shadow

