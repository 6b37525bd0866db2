from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RenditionPoster")



@_attrs_define
class RenditionPoster:
    """ 
        Attributes:
            time (float | Unset):  Default: 0.0.
     """

    time: float | Unset = 0.0





    def to_dict(self) -> dict[str, Any]:
        time = self.time


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = d.pop("time", UNSET)

        rendition_poster = cls(
            time=time,
        )

        return rendition_poster

