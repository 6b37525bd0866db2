from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.compat_element_type import CompatElementType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CompatElement")



@_attrs_define
class CompatElement:
    """ 
        Attributes:
            source (str):
            type_ (CompatElementType):
            fit_mode (None | str | Unset):
            height (float | int | None | str | Unset):
            id (None | str | Unset):
            track (int | Unset):  Default: 0.
            width (float | int | None | str | Unset):
            x (float | int | None | str | Unset):
            y (float | int | None | str | Unset):
     """

    source: str
    type_: CompatElementType
    fit_mode: None | str | Unset = UNSET
    height: float | int | None | str | Unset = UNSET
    id: None | str | Unset = UNSET
    track: int | Unset = 0
    width: float | int | None | str | Unset = UNSET
    x: float | int | None | str | Unset = UNSET
    y: float | int | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        source = self.source

        type_ = self.type_.value

        fit_mode: None | str | Unset
        if isinstance(self.fit_mode, Unset):
            fit_mode = UNSET
        else:
            fit_mode = self.fit_mode

        height: float | int | None | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        track = self.track

        width: float | int | None | str | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        x: float | int | None | str | Unset
        if isinstance(self.x, Unset):
            x = UNSET
        else:
            x = self.x

        y: float | int | None | str | Unset
        if isinstance(self.y, Unset):
            y = UNSET
        else:
            y = self.y


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "source": source,
            "type": type_,
        })
        if fit_mode is not UNSET:
            field_dict["fit_mode"] = fit_mode
        if height is not UNSET:
            field_dict["height"] = height
        if id is not UNSET:
            field_dict["id"] = id
        if track is not UNSET:
            field_dict["track"] = track
        if width is not UNSET:
            field_dict["width"] = width
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        type_ = CompatElementType(d.pop("type"))




        def _parse_fit_mode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fit_mode = _parse_fit_mode(d.pop("fit_mode", UNSET))


        def _parse_height(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))


        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        track = d.pop("track", UNSET)

        def _parse_width(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        def _parse_x(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        x = _parse_x(d.pop("x", UNSET))


        def _parse_y(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        y = _parse_y(d.pop("y", UNSET))


        compat_element = cls(
            source=source,
            type_=type_,
            fit_mode=fit_mode,
            height=height,
            id=id,
            track=track,
            width=width,
            x=x,
            y=y,
        )


        compat_element.additional_properties = d
        return compat_element

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
