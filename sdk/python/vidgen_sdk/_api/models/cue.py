from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.caption_word import CaptionWord





T = TypeVar("T", bound="Cue")



@_attrs_define
class Cue:
    """ 
        Attributes:
            end (float):
            start (float):
            text (str):
            words (list[CaptionWord] | None | Unset):
     """

    end: float
    start: float
    text: str
    words: list[CaptionWord] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.caption_word import CaptionWord # noqa: PLC0415
        end = self.end

        start = self.start

        text = self.text

        words: list[dict[str, Any]] | None | Unset
        if isinstance(self.words, Unset):
            words = UNSET
        elif isinstance(self.words, list):
            words = []
            for words_type_0_item_data in self.words:
                words_type_0_item = words_type_0_item_data.to_dict()
                words.append(words_type_0_item)


        else:
            words = self.words


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "end": end,
            "start": start,
            "text": text,
        })
        if words is not UNSET:
            field_dict["words"] = words

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caption_word import CaptionWord # noqa: PLC0415
        d = dict(src_dict)
        end = d.pop("end")

        start = d.pop("start")

        text = d.pop("text")

        def _parse_words(data: object) -> list[CaptionWord] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                words_type_0 = []
                _words_type_0 = data
                for words_type_0_item_data in (_words_type_0):
                    words_type_0_item = CaptionWord.from_dict(words_type_0_item_data)



                    words_type_0.append(words_type_0_item)

                return words_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CaptionWord] | None | Unset, data)

        words = _parse_words(d.pop("words", UNSET))


        cue = cls(
            end=end,
            start=start,
            text=text,
            words=words,
        )

        return cue

