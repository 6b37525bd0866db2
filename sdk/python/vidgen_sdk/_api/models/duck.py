from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Duck")



@_attrs_define
class Duck:
    """ Lower this element by `amount_db` while the elements named in `under` sound.

        Attributes:
            under (list[str]):
            amount_db (float | Unset):  Default: -12.0.
            attack (float | Unset):  Default: 0.2.
            release (float | Unset):  Default: 0.5.
     """

    under: list[str]
    amount_db: float | Unset = -12.0
    attack: float | Unset = 0.2
    release: float | Unset = 0.5





    def to_dict(self) -> dict[str, Any]:
        under = self.under



        amount_db = self.amount_db

        attack = self.attack

        release = self.release


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "under": under,
        })
        if amount_db is not UNSET:
            field_dict["amount_db"] = amount_db
        if attack is not UNSET:
            field_dict["attack"] = attack
        if release is not UNSET:
            field_dict["release"] = release

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        under = cast(list[str], d.pop("under"))


        amount_db = d.pop("amount_db", UNSET)

        attack = d.pop("attack", UNSET)

        release = d.pop("release", UNSET)

        duck = cls(
            under=under,
            amount_db=amount_db,
            attack=attack,
            release=release,
        )

        return duck

