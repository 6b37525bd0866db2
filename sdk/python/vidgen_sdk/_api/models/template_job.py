from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_job_response import TemplateJobResponse
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_job_merge import TemplateJobMerge
  from ..models.template_job_metadata import TemplateJobMetadata
  from ..models.template_job_modifications import TemplateJobModifications
  from ..models.template_job_output_type_0 import TemplateJobOutputType0





T = TypeVar("T", bound="TemplateJob")



@_attrs_define
class TemplateJob:
    """ A job made from a stored template (the alternative body of `POST /v1/jobs`).

        Attributes:
            template (str): the template's id, or id@version
            callback_url (None | str | Unset):
            idempotency_key (None | str | Unset):
            merge (TemplateJobMerge | Unset): values of the template's merge fields
            metadata (TemplateJobMetadata | Unset):
            modifications (TemplateJobModifications | Unset): "element-id.property": value; replaces that property (null:
                removes it)
            output (None | TemplateJobOutputType0 | Unset): output fields that replace the template's (format, size, ...)
            response (TemplateJobResponse | Unset):  Default: TemplateJobResponse.AUTO.
     """

    template: str
    callback_url: None | str | Unset = UNSET
    idempotency_key: None | str | Unset = UNSET
    merge: TemplateJobMerge | Unset = UNSET
    metadata: TemplateJobMetadata | Unset = UNSET
    modifications: TemplateJobModifications | Unset = UNSET
    output: None | TemplateJobOutputType0 | Unset = UNSET
    response: TemplateJobResponse | Unset = TemplateJobResponse.AUTO





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_job_merge import TemplateJobMerge # noqa: PLC0415
        from ..models.template_job_metadata import TemplateJobMetadata # noqa: PLC0415
        from ..models.template_job_modifications import TemplateJobModifications # noqa: PLC0415
        from ..models.template_job_output_type_0 import TemplateJobOutputType0 # noqa: PLC0415
        template = self.template

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        merge: dict[str, Any] | Unset = UNSET
        if not isinstance(self.merge, Unset):
            merge = self.merge.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        modifications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.modifications, Unset):
            modifications = self.modifications.to_dict()

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, TemplateJobOutputType0):
            output = self.output.to_dict()
        else:
            output = self.output

        response: str | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "template": template,
        })
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if merge is not UNSET:
            field_dict["merge"] = merge
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if modifications is not UNSET:
            field_dict["modifications"] = modifications
        if output is not UNSET:
            field_dict["output"] = output
        if response is not UNSET:
            field_dict["response"] = response

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_job_merge import TemplateJobMerge # noqa: PLC0415
        from ..models.template_job_metadata import TemplateJobMetadata # noqa: PLC0415
        from ..models.template_job_modifications import TemplateJobModifications # noqa: PLC0415
        from ..models.template_job_output_type_0 import TemplateJobOutputType0 # noqa: PLC0415
        d = dict(src_dict)
        template = d.pop("template")

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))


        def _parse_idempotency_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key", UNSET))


        _merge = d.pop("merge", UNSET)
        merge: TemplateJobMerge | Unset
        if isinstance(_merge,  Unset):
            merge = UNSET
        else:
            merge = TemplateJobMerge.from_dict(_merge)




        _metadata = d.pop("metadata", UNSET)
        metadata: TemplateJobMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = TemplateJobMetadata.from_dict(_metadata)




        _modifications = d.pop("modifications", UNSET)
        modifications: TemplateJobModifications | Unset
        if isinstance(_modifications,  Unset):
            modifications = UNSET
        else:
            modifications = TemplateJobModifications.from_dict(_modifications)




        def _parse_output(data: object) -> None | TemplateJobOutputType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = TemplateJobOutputType0.from_dict(data)



                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateJobOutputType0 | Unset, data)

        output = _parse_output(d.pop("output", UNSET))


        _response = d.pop("response", UNSET)
        response: TemplateJobResponse | Unset
        if isinstance(_response,  Unset):
            response = UNSET
        else:
            response = TemplateJobResponse(_response)




        template_job = cls(
            template=template,
            callback_url=callback_url,
            idempotency_key=idempotency_key,
            merge=merge,
            metadata=metadata,
            modifications=modifications,
            output=output,
            response=response,
        )

        return template_job

