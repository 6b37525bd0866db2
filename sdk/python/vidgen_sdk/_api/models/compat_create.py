from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.compat_create_output_format import CompatCreateOutputFormat
from ..models.compat_create_response import CompatCreateResponse
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.compat_element import CompatElement





T = TypeVar("T", bound="CompatCreate")



@_attrs_define
class CompatCreate:
    """ 
        Attributes:
            elements (list[CompatElement]):
            callback_url (None | str | Unset):
            height (int | Unset):  Default: 720.
            idempotency_key (None | str | Unset):
            output_format (CompatCreateOutputFormat | Unset):  Default: CompatCreateOutputFormat.MP4.
            response (CompatCreateResponse | Unset):  Default: CompatCreateResponse.AUTO.
            width (int | Unset):  Default: 1280.
     """

    elements: list[CompatElement]
    callback_url: None | str | Unset = UNSET
    height: int | Unset = 720
    idempotency_key: None | str | Unset = UNSET
    output_format: CompatCreateOutputFormat | Unset = CompatCreateOutputFormat.MP4
    response: CompatCreateResponse | Unset = CompatCreateResponse.AUTO
    width: int | Unset = 1280
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.compat_element import CompatElement # noqa: PLC0415
        elements = []
        for elements_item_data in self.elements:
            elements_item = elements_item_data.to_dict()
            elements.append(elements_item)



        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        height = self.height

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value


        response: str | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.value


        width = self.width


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "elements": elements,
        })
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if height is not UNSET:
            field_dict["height"] = height
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if response is not UNSET:
            field_dict["response"] = response
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compat_element import CompatElement # noqa: PLC0415
        d = dict(src_dict)
        elements = []
        _elements = d.pop("elements")
        for elements_item_data in (_elements):
            elements_item = CompatElement.from_dict(elements_item_data)



            elements.append(elements_item)


        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))


        height = d.pop("height", UNSET)

        def _parse_idempotency_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key", UNSET))


        _output_format = d.pop("output_format", UNSET)
        output_format: CompatCreateOutputFormat | Unset
        if isinstance(_output_format,  Unset):
            output_format = UNSET
        else:
            output_format = CompatCreateOutputFormat(_output_format)




        _response = d.pop("response", UNSET)
        response: CompatCreateResponse | Unset
        if isinstance(_response,  Unset):
            response = UNSET
        else:
            response = CompatCreateResponse(_response)




        width = d.pop("width", UNSET)

        compat_create = cls(
            elements=elements,
            callback_url=callback_url,
            height=height,
            idempotency_key=idempotency_key,
            output_format=output_format,
            response=response,
            width=width,
        )


        compat_create.additional_properties = d
        return compat_create

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
