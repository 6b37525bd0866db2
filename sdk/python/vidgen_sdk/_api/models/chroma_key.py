from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="ChromaKey")



@_attrs_define
class ChromaKey:
    """ Pixels near `color` become transparent: `similarity` how near, `blend` how softly.

        Attributes:
            color (str): '#rgb', '#rrggbb', '#rrggbbaa', a colour name, optionally '@opacity'.
            blend (float | Unset):  Default: 0.0.
            similarity (float | Unset):  Default: 0.1.
     """

    color: str
    blend: float | Unset = 0.0
    similarity: float | Unset = 0.1





    def to_dict(self) -> dict[str, Any]:
        color = self.color

        blend = self.blend

        similarity = self.similarity


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "color": color,
        })
        if blend is not UNSET:
            field_dict["blend"] = blend
        if similarity is not UNSET:
            field_dict["similarity"] = similarity

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        color = d.pop("color")

        blend = d.pop("blend", UNSET)

        similarity = d.pop("similarity", UNSET)

        chroma_key = cls(
            color=color,
            blend=blend,
            similarity=similarity,
        )

        return chroma_key

