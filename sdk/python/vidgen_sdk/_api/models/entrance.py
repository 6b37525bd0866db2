from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.entrance_type import EntranceType
from ..types import UNSET, Unset






T = TypeVar("T", bound="Entrance")



@_attrs_define
class Entrance:
    """ How an element appears (`enter`) or disappears (`exit`).

        Attributes:
            type_ (EntranceType):
            duration (float | Unset):  Default: 0.5.
            easing (str | Unset): linear | ease-in | ease-out | ease-in-out | step | cubic-bezier(a,b,c,d) Default:
                "{'kind': 'linear', 'points': [0.0, 0.0, 1.0, 1.0], 'text': 'linear'}".
     """

    type_: EntranceType
    duration: float | Unset = 0.5
    easing: str | Unset = "{'kind': 'linear', 'points': [0.0, 0.0, 1.0, 1.0], 'text': 'linear'}"





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        duration = self.duration

        easing = self.easing


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
        })
        if duration is not UNSET:
            field_dict["duration"] = duration
        if easing is not UNSET:
            field_dict["easing"] = easing

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = EntranceType(d.pop("type"))




        duration = d.pop("duration", UNSET)

        easing = d.pop("easing", UNSET)

        entrance = cls(
            type_=type_,
            duration=duration,
            easing=easing,
        )

        return entrance

