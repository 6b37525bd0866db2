from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.audio_element_volume_type_1_item import AudioElementVolumeType1Item
  from ..models.duck import Duck





T = TypeVar("T", bound="AudioElement")



@_attrs_define
class AudioElement:
    """ 
        Attributes:
            source (str):
            type_ (Literal['audio']):
            duck (Duck | None | Unset):
            duration (float | None | Unset):
            end (float | None | Unset):
            fade_in (float | Unset):  Default: 0.0.
            fade_out (float | Unset):  Default: 0.0.
            id (None | str | Unset):
            loop (bool | Unset):  Default: False.
            start (float | Unset):  Default: 0.0.
            track (int | Unset):  Default: 0.
            trim_start (float | Unset):  Default: 0.0.
            volume (float | list[AudioElementVolumeType1Item] | Unset): A gain factor (1 = as recorded, 0 = silent), or
                keyframes: an envelope. Default: 1.0.
     """

    source: str
    type_: Literal['audio']
    duck: Duck | None | Unset = UNSET
    duration: float | None | Unset = UNSET
    end: float | None | Unset = UNSET
    fade_in: float | Unset = 0.0
    fade_out: float | Unset = 0.0
    id: None | str | Unset = UNSET
    loop: bool | Unset = False
    start: float | Unset = 0.0
    track: int | Unset = 0
    trim_start: float | Unset = 0.0
    volume: float | list[AudioElementVolumeType1Item] | Unset = 1.0





    def to_dict(self) -> dict[str, Any]:
        from ..models.audio_element_volume_type_1_item import AudioElementVolumeType1Item # noqa: PLC0415
        from ..models.duck import Duck # noqa: PLC0415
        source = self.source

        type_ = self.type_

        duck: dict[str, Any] | None | Unset
        if isinstance(self.duck, Unset):
            duck = UNSET
        elif isinstance(self.duck, Duck):
            duck = self.duck.to_dict()
        else:
            duck = self.duck

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        end: float | None | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        else:
            end = self.end

        fade_in = self.fade_in

        fade_out = self.fade_out

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        loop = self.loop

        start = self.start

        track = self.track

        trim_start = self.trim_start

        volume: float | list[dict[str, Any]] | Unset
        if isinstance(self.volume, Unset):
            volume = UNSET
        elif isinstance(self.volume, list):
            volume = []
            for volume_type_1_item_data in self.volume:
                volume_type_1_item = volume_type_1_item_data.to_dict()
                volume.append(volume_type_1_item)


        else:
            volume = self.volume


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "source": source,
            "type": type_,
        })
        if duck is not UNSET:
            field_dict["duck"] = duck
        if duration is not UNSET:
            field_dict["duration"] = duration
        if end is not UNSET:
            field_dict["end"] = end
        if fade_in is not UNSET:
            field_dict["fade_in"] = fade_in
        if fade_out is not UNSET:
            field_dict["fade_out"] = fade_out
        if id is not UNSET:
            field_dict["id"] = id
        if loop is not UNSET:
            field_dict["loop"] = loop
        if start is not UNSET:
            field_dict["start"] = start
        if track is not UNSET:
            field_dict["track"] = track
        if trim_start is not UNSET:
            field_dict["trim_start"] = trim_start
        if volume is not UNSET:
            field_dict["volume"] = volume

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audio_element_volume_type_1_item import AudioElementVolumeType1Item # noqa: PLC0415
        from ..models.duck import Duck # noqa: PLC0415
        d = dict(src_dict)
        source = d.pop("source")

        type_ = cast(Literal['audio'] , d.pop("type"))
        if type_ != 'audio':
            raise ValueError(f"type must match const 'audio', got '{type_}'")

        def _parse_duck(data: object) -> Duck | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                duck_type_0 = Duck.from_dict(data)



                return duck_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Duck | None | Unset, data)

        duck = _parse_duck(d.pop("duck", UNSET))


        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        def _parse_end(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))


        fade_in = d.pop("fade_in", UNSET)

        fade_out = d.pop("fade_out", UNSET)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        loop = d.pop("loop", UNSET)

        start = d.pop("start", UNSET)

        track = d.pop("track", UNSET)

        trim_start = d.pop("trim_start", UNSET)

        def _parse_volume(data: object) -> float | list[AudioElementVolumeType1Item] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                volume_type_1 = []
                _volume_type_1 = data
                for volume_type_1_item_data in (_volume_type_1):
                    volume_type_1_item = AudioElementVolumeType1Item.from_dict(volume_type_1_item_data)



                    volume_type_1.append(volume_type_1_item)

                return volume_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[AudioElementVolumeType1Item] | Unset, data)

        volume = _parse_volume(d.pop("volume", UNSET))


        audio_element = cls(
            source=source,
            type_=type_,
            duck=duck,
            duration=duration,
            end=end,
            fade_in=fade_in,
            fade_out=fade_out,
            id=id,
            loop=loop,
            start=start,
            track=track,
            trim_start=trim_start,
            volume=volume,
        )

        return audio_element

