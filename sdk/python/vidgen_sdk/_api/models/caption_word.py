from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CaptionWord")



@_attrs_define
class CaptionWord:
    """ 
        Attributes:
            end (float):
            start (float):
            text (str):
     """

    end: float
    start: float
    text: str





    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start

        text = self.text


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "end": end,
            "start": start,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = d.pop("end")

        start = d.pop("start")

        text = d.pop("text")

        caption_word = cls(
            end=end,
            start=start,
            text=text,
        )

        return caption_word

