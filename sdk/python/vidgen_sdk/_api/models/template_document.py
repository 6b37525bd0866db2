from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_document_composition import TemplateDocumentComposition
  from ..models.template_document_merge_fields import TemplateDocumentMergeFields





T = TypeVar("T", bound="TemplateDocument")



@_attrs_define
class TemplateDocument:
    """ What `POST /v1/templates` (and each new version) takes, and a template file.

        Attributes:
            composition (TemplateDocumentComposition): a job's composition (output, elements, ...) whose strings may hold
                {{name}} merge fields
            merge_fields (TemplateDocumentMergeFields | Unset): declared merge fields; a field used but not declared is
                required
            name (None | str | Unset):
     """

    composition: TemplateDocumentComposition
    merge_fields: TemplateDocumentMergeFields | Unset = UNSET
    name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_document_composition import TemplateDocumentComposition # noqa: PLC0415
        from ..models.template_document_merge_fields import TemplateDocumentMergeFields # noqa: PLC0415
        composition = self.composition.to_dict()

        merge_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.merge_fields, Unset):
            merge_fields = self.merge_fields.to_dict()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "composition": composition,
        })
        if merge_fields is not UNSET:
            field_dict["merge_fields"] = merge_fields
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_document_composition import TemplateDocumentComposition # noqa: PLC0415
        from ..models.template_document_merge_fields import TemplateDocumentMergeFields # noqa: PLC0415
        d = dict(src_dict)
        composition = TemplateDocumentComposition.from_dict(d.pop("composition"))




        _merge_fields = d.pop("merge_fields", UNSET)
        merge_fields: TemplateDocumentMergeFields | Unset
        if isinstance(_merge_fields,  Unset):
            merge_fields = UNSET
        else:
            merge_fields = TemplateDocumentMergeFields.from_dict(_merge_fields)




        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        template_document = cls(
            composition=composition,
            merge_fields=merge_fields,
            name=name,
        )

        return template_document

