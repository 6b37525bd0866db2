from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_response import JobResponse
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.audio_element import AudioElement
  from ..models.captions_element import CaptionsElement
  from ..models.image_element import ImageElement
  from ..models.job_metadata import JobMetadata
  from ..models.output import Output
  from ..models.overlay_element import OverlayElement
  from ..models.rendition import Rendition
  from ..models.shape_element import ShapeElement
  from ..models.still import Still
  from ..models.text_element import TextElement
  from ..models.thumbnails import Thumbnails
  from ..models.video_element import VideoElement





T = TypeVar("T", bound="Job")



@_attrs_define
class Job:
    """ A render request: the output and the elements, plus delivery options.

        Attributes:
            elements (list[AudioElement | CaptionsElement | ImageElement | OverlayElement | ShapeElement | TextElement |
                VideoElement]):
            callback_url (None | str | Unset):
            idempotency_key (None | str | Unset):
            metadata (JobMetadata | Unset):
            output (Output | Unset):
            outputs (list[Rendition] | None | Unset):
            response (JobResponse | Unset):  Default: JobResponse.AUTO.
            stills (list[Still] | None | Unset):
            thumbnails (None | Thumbnails | Unset):
     """

    elements: list[AudioElement | CaptionsElement | ImageElement | OverlayElement | ShapeElement | TextElement | VideoElement]
    callback_url: None | str | Unset = UNSET
    idempotency_key: None | str | Unset = UNSET
    metadata: JobMetadata | Unset = UNSET
    output: Output | Unset = UNSET
    outputs: list[Rendition] | None | Unset = UNSET
    response: JobResponse | Unset = JobResponse.AUTO
    stills: list[Still] | None | Unset = UNSET
    thumbnails: None | Thumbnails | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.audio_element import AudioElement # noqa: PLC0415
        from ..models.captions_element import CaptionsElement # noqa: PLC0415
        from ..models.image_element import ImageElement # noqa: PLC0415
        from ..models.job_metadata import JobMetadata # noqa: PLC0415
        from ..models.output import Output # noqa: PLC0415
        from ..models.overlay_element import OverlayElement # noqa: PLC0415
        from ..models.rendition import Rendition # noqa: PLC0415
        from ..models.shape_element import ShapeElement # noqa: PLC0415
        from ..models.still import Still # noqa: PLC0415
        from ..models.text_element import TextElement # noqa: PLC0415
        from ..models.thumbnails import Thumbnails # noqa: PLC0415
        from ..models.video_element import VideoElement # noqa: PLC0415
        elements = []
        for elements_item_data in self.elements:
            elements_item: dict[str, Any]
            if isinstance(elements_item_data, VideoElement):
                elements_item = elements_item_data.to_dict()
            elif isinstance(elements_item_data, ImageElement):
                elements_item = elements_item_data.to_dict()
            elif isinstance(elements_item_data, AudioElement):
                elements_item = elements_item_data.to_dict()
            elif isinstance(elements_item_data, TextElement):
                elements_item = elements_item_data.to_dict()
            elif isinstance(elements_item_data, OverlayElement):
                elements_item = elements_item_data.to_dict()
            elif isinstance(elements_item_data, CaptionsElement):
                elements_item = elements_item_data.to_dict()
            else:
                elements_item = elements_item_data.to_dict()

            elements.append(elements_item)



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

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        output: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = self.output.to_dict()

        outputs: list[dict[str, Any]] | None | Unset
        if isinstance(self.outputs, Unset):
            outputs = UNSET
        elif isinstance(self.outputs, list):
            outputs = []
            for outputs_type_0_item_data in self.outputs:
                outputs_type_0_item = outputs_type_0_item_data.to_dict()
                outputs.append(outputs_type_0_item)


        else:
            outputs = self.outputs

        response: str | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.value


        stills: list[dict[str, Any]] | None | Unset
        if isinstance(self.stills, Unset):
            stills = UNSET
        elif isinstance(self.stills, list):
            stills = []
            for stills_type_0_item_data in self.stills:
                stills_type_0_item = stills_type_0_item_data.to_dict()
                stills.append(stills_type_0_item)


        else:
            stills = self.stills

        thumbnails: dict[str, Any] | None | Unset
        if isinstance(self.thumbnails, Unset):
            thumbnails = UNSET
        elif isinstance(self.thumbnails, Thumbnails):
            thumbnails = self.thumbnails.to_dict()
        else:
            thumbnails = self.thumbnails


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "elements": elements,
        })
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if output is not UNSET:
            field_dict["output"] = output
        if outputs is not UNSET:
            field_dict["outputs"] = outputs
        if response is not UNSET:
            field_dict["response"] = response
        if stills is not UNSET:
            field_dict["stills"] = stills
        if thumbnails is not UNSET:
            field_dict["thumbnails"] = thumbnails

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audio_element import AudioElement # noqa: PLC0415
        from ..models.captions_element import CaptionsElement # noqa: PLC0415
        from ..models.image_element import ImageElement # noqa: PLC0415
        from ..models.job_metadata import JobMetadata # noqa: PLC0415
        from ..models.output import Output # noqa: PLC0415
        from ..models.overlay_element import OverlayElement # noqa: PLC0415
        from ..models.rendition import Rendition # noqa: PLC0415
        from ..models.shape_element import ShapeElement # noqa: PLC0415
        from ..models.still import Still # noqa: PLC0415
        from ..models.text_element import TextElement # noqa: PLC0415
        from ..models.thumbnails import Thumbnails # noqa: PLC0415
        from ..models.video_element import VideoElement # noqa: PLC0415
        d = dict(src_dict)
        elements = []
        _elements = d.pop("elements")
        for elements_item_data in (_elements):
            def _parse_elements_item(data: object) -> AudioElement | CaptionsElement | ImageElement | OverlayElement | ShapeElement | TextElement | VideoElement:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_0 = VideoElement.from_dict(data)



                    return elements_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_1 = ImageElement.from_dict(data)



                    return elements_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_2 = AudioElement.from_dict(data)



                    return elements_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_3 = TextElement.from_dict(data)



                    return elements_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_4 = OverlayElement.from_dict(data)



                    return elements_item_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    elements_item_type_5 = CaptionsElement.from_dict(data)



                    return elements_item_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                elements_item_type_6 = ShapeElement.from_dict(data)



                return elements_item_type_6

            elements_item = _parse_elements_item(elements_item_data)

            elements.append(elements_item)


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


        _metadata = d.pop("metadata", UNSET)
        metadata: JobMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = JobMetadata.from_dict(_metadata)




        _output = d.pop("output", UNSET)
        output: Output | Unset
        if isinstance(_output,  Unset):
            output = UNSET
        else:
            output = Output.from_dict(_output)




        def _parse_outputs(data: object) -> list[Rendition] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                outputs_type_0 = []
                _outputs_type_0 = data
                for outputs_type_0_item_data in (_outputs_type_0):
                    outputs_type_0_item = Rendition.from_dict(outputs_type_0_item_data)



                    outputs_type_0.append(outputs_type_0_item)

                return outputs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Rendition] | None | Unset, data)

        outputs = _parse_outputs(d.pop("outputs", UNSET))


        _response = d.pop("response", UNSET)
        response: JobResponse | Unset
        if isinstance(_response,  Unset):
            response = UNSET
        else:
            response = JobResponse(_response)




        def _parse_stills(data: object) -> list[Still] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                stills_type_0 = []
                _stills_type_0 = data
                for stills_type_0_item_data in (_stills_type_0):
                    stills_type_0_item = Still.from_dict(stills_type_0_item_data)



                    stills_type_0.append(stills_type_0_item)

                return stills_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Still] | None | Unset, data)

        stills = _parse_stills(d.pop("stills", UNSET))


        def _parse_thumbnails(data: object) -> None | Thumbnails | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                thumbnails_type_0 = Thumbnails.from_dict(data)



                return thumbnails_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Thumbnails | Unset, data)

        thumbnails = _parse_thumbnails(d.pop("thumbnails", UNSET))


        job = cls(
            elements=elements,
            callback_url=callback_url,
            idempotency_key=idempotency_key,
            metadata=metadata,
            output=output,
            outputs=outputs,
            response=response,
            stills=stills,
            thumbnails=thumbnails,
        )

        return job

