from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.motion_preset_type import MotionPresetType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.ken_burns_point import KenBurnsPoint





T = TypeVar("T", bound="MotionPreset")



@_attrs_define
class MotionPreset:
    """ Movement of the picture inside its box: Ken Burns, or a zoom or pan shorthand.

        Attributes:
            type_ (MotionPresetType):
            amount (float | Unset):  Default: 0.2.
            easing (str | Unset): linear | ease-in | ease-out | ease-in-out | step | cubic-bezier(a,b,c,d) Default:
                "{'kind': 'linear', 'points': [0.0, 0.0, 1.0, 1.0], 'text': 'linear'}".
            from_ (KenBurnsPoint | None | Unset):
            to (KenBurnsPoint | None | Unset):
     """

    type_: MotionPresetType
    amount: float | Unset = 0.2
    easing: str | Unset = "{'kind': 'linear', 'points': [0.0, 0.0, 1.0, 1.0], 'text': 'linear'}"
    from_: KenBurnsPoint | None | Unset = UNSET
    to: KenBurnsPoint | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.ken_burns_point import KenBurnsPoint # noqa: PLC0415
        type_ = self.type_.value

        amount = self.amount

        easing = self.easing

        from_: dict[str, Any] | None | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, KenBurnsPoint):
            from_ = self.from_.to_dict()
        else:
            from_ = self.from_

        to: dict[str, Any] | None | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, KenBurnsPoint):
            to = self.to.to_dict()
        else:
            to = self.to


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
        })
        if amount is not UNSET:
            field_dict["amount"] = amount
        if easing is not UNSET:
            field_dict["easing"] = easing
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ken_burns_point import KenBurnsPoint # noqa: PLC0415
        d = dict(src_dict)
        type_ = MotionPresetType(d.pop("type"))




        amount = d.pop("amount", UNSET)

        easing = d.pop("easing", UNSET)

        def _parse_from_(data: object) -> KenBurnsPoint | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                from_type_0 = KenBurnsPoint.from_dict(data)



                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KenBurnsPoint | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))


        def _parse_to(data: object) -> KenBurnsPoint | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                to_type_0 = KenBurnsPoint.from_dict(data)



                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KenBurnsPoint | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))


        motion_preset = cls(
            type_=type_,
            amount=amount,
            easing=easing,
            from_=from_,
            to=to,
        )

        return motion_preset

