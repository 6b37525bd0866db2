from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="VideoElementYType1Item")



@_attrs_define
class VideoElementYType1Item:
    """ 
        Attributes:
            time (float | str): element-local seconds, or a percentage of its duration
            value (float | str):
            easing (str | Unset): linear | ease-in | ease-out | ease-in-out | step | cubic-bezier(a,b,c,d)
     """

    time: float | str
    value: float | str
    easing: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        time: float | str
        time = self.time

        value: float | str
        value = self.value

        easing = self.easing


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "time": time,
            "value": value,
        })
        if easing is not UNSET:
            field_dict["easing"] = easing

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_time(data: object) -> float | str:
            return cast(float | str, data)

        time = _parse_time(d.pop("time"))


        def _parse_value(data: object) -> float | str:
            return cast(float | str, data)

        value = _parse_value(d.pop("value"))


        easing = d.pop("easing", UNSET)

        video_element_y_type_1_item = cls(
            time=time,
            value=value,
            easing=easing,
        )

        return video_element_y_type_1_item

