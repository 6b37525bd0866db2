from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ken_burns_point_focus_item_type_0_type_2 import KenBurnsPointFocusItemType0Type2
from ..models.ken_burns_point_focus_item_type_1_type_2 import KenBurnsPointFocusItemType1Type2
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="KenBurnsPoint")



@_attrs_define
class KenBurnsPoint:
    """ One end of a Ken Burns move: the zoom (1 = the whole box) and the point of the
    source kept in the middle (`focus`, x and y: a share of the source or pixels).

        Attributes:
            focus (list[float | KenBurnsPointFocusItemType0Type2 | KenBurnsPointFocusItemType1Type2 | str] | Unset):
            zoom (float | Unset):  Default: 1.0.
     """

    focus: list[float | KenBurnsPointFocusItemType0Type2 | KenBurnsPointFocusItemType1Type2 | str] | Unset = UNSET
    zoom: float | Unset = 1.0





    def to_dict(self) -> dict[str, Any]:
        focus: list[float | str] | Unset = UNSET
        if not isinstance(self.focus, Unset):
            focus = []
            for focus_item_data in self.focus:
                focus_item: float | str
                if isinstance(focus_item_data, KenBurnsPointFocusItemType0Type2):
                    focus_item = focus_item_data.value
                elif isinstance(focus_item_data, KenBurnsPointFocusItemType1Type2):
                    focus_item = focus_item_data.value
                else:
                    focus_item = focus_item_data
                focus.append(focus_item)



        zoom = self.zoom


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if focus is not UNSET:
            field_dict["focus"] = focus
        if zoom is not UNSET:
            field_dict["zoom"] = zoom

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _focus = d.pop("focus", UNSET)
        focus: list[float | KenBurnsPointFocusItemType0Type2 | KenBurnsPointFocusItemType1Type2 | str] | Unset = UNSET
        if _focus is not UNSET:
            focus = []
            for focus_item_data in _focus:
                def _parse_focus_item(data: object) -> float | KenBurnsPointFocusItemType0Type2 | KenBurnsPointFocusItemType1Type2 | str:
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        focus_item_type_0_type_2 = KenBurnsPointFocusItemType0Type2(data)



                        return focus_item_type_0_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        focus_item_type_1_type_2 = KenBurnsPointFocusItemType1Type2(data)



                        return focus_item_type_1_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(float | KenBurnsPointFocusItemType0Type2 | KenBurnsPointFocusItemType1Type2 | str, data)

                focus_item = _parse_focus_item(focus_item_data)

                focus.append(focus_item)


        zoom = d.pop("zoom", UNSET)

        ken_burns_point = cls(
            focus=focus,
            zoom=zoom,
        )

        return ken_burns_point

