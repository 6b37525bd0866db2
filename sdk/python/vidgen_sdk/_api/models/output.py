from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.output_format import OutputFormat
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.loudness import Loudness
  from ..models.poster import Poster
  from ..models.quality import Quality





T = TypeVar("T", bound="Output")



@_attrs_define
class Output:
    """ 
        Attributes:
            background (str | Unset): '#rgb', '#rrggbb', '#rrggbbaa', a colour name, optionally '@opacity'.
            duration (float | None | Unset):
            format_ (OutputFormat | Unset):  Default: OutputFormat.MP4.
            fps (float | Unset):  Default: 30.0.
            height (int | Unset):  Default: 720.
            loudness (Loudness | None | Unset):
            poster (None | Poster | Unset):
            quality (Quality | Unset): Encoder quality. `crf` uses each codec's own scale; unset means a sensible default.
            subtitles (Literal['soft'] | None | Unset):
            width (int | Unset):  Default: 1280.
     """

    background: str | Unset = UNSET
    duration: float | None | Unset = UNSET
    format_: OutputFormat | Unset = OutputFormat.MP4
    fps: float | Unset = 30.0
    height: int | Unset = 720
    loudness: Loudness | None | Unset = UNSET
    poster: None | Poster | Unset = UNSET
    quality: Quality | Unset = UNSET
    subtitles: Literal['soft'] | None | Unset = UNSET
    width: int | Unset = 1280





    def to_dict(self) -> dict[str, Any]:
        from ..models.loudness import Loudness # noqa: PLC0415
        from ..models.poster import Poster # noqa: PLC0415
        from ..models.quality import Quality # noqa: PLC0415
        background = self.background

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        fps = self.fps

        height = self.height

        loudness: dict[str, Any] | None | Unset
        if isinstance(self.loudness, Unset):
            loudness = UNSET
        elif isinstance(self.loudness, Loudness):
            loudness = self.loudness.to_dict()
        else:
            loudness = self.loudness

        poster: dict[str, Any] | None | Unset
        if isinstance(self.poster, Unset):
            poster = UNSET
        elif isinstance(self.poster, Poster):
            poster = self.poster.to_dict()
        else:
            poster = self.poster

        quality: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality.to_dict()

        subtitles: Literal['soft'] | None | Unset
        if isinstance(self.subtitles, Unset):
            subtitles = UNSET
        else:
            subtitles = self.subtitles

        width = self.width


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if background is not UNSET:
            field_dict["background"] = background
        if duration is not UNSET:
            field_dict["duration"] = duration
        if format_ is not UNSET:
            field_dict["format"] = format_
        if fps is not UNSET:
            field_dict["fps"] = fps
        if height is not UNSET:
            field_dict["height"] = height
        if loudness is not UNSET:
            field_dict["loudness"] = loudness
        if poster is not UNSET:
            field_dict["poster"] = poster
        if quality is not UNSET:
            field_dict["quality"] = quality
        if subtitles is not UNSET:
            field_dict["subtitles"] = subtitles
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loudness import Loudness # noqa: PLC0415
        from ..models.poster import Poster # noqa: PLC0415
        from ..models.quality import Quality # noqa: PLC0415
        d = dict(src_dict)
        background = d.pop("background", UNSET)

        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        _format_ = d.pop("format", UNSET)
        format_: OutputFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = OutputFormat(_format_)




        fps = d.pop("fps", UNSET)

        height = d.pop("height", UNSET)

        def _parse_loudness(data: object) -> Loudness | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loudness_type_0 = Loudness.from_dict(data)



                return loudness_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Loudness | None | Unset, data)

        loudness = _parse_loudness(d.pop("loudness", UNSET))


        def _parse_poster(data: object) -> None | Poster | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                poster_type_0 = Poster.from_dict(data)



                return poster_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Poster | Unset, data)

        poster = _parse_poster(d.pop("poster", UNSET))


        _quality = d.pop("quality", UNSET)
        quality: Quality | Unset
        if isinstance(_quality,  Unset):
            quality = UNSET
        else:
            quality = Quality.from_dict(_quality)




        def _parse_subtitles(data: object) -> Literal['soft'] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            subtitles_type_0 = cast(Literal['soft'] , data)
            if subtitles_type_0 != 'soft':
                raise ValueError(f"subtitles_type_0 must match const 'soft', got '{subtitles_type_0}'")
            return subtitles_type_0
            return cast(Literal['soft'] | None | Unset, data)

        subtitles = _parse_subtitles(d.pop("subtitles", UNSET))


        width = d.pop("width", UNSET)

        output = cls(
            background=background,
            duration=duration,
            format_=format_,
            fps=fps,
            height=height,
            loudness=loudness,
            poster=poster,
            quality=quality,
            subtitles=subtitles,
            width=width,
        )

        return output

