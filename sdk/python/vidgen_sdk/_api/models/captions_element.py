from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.captions_element_align import CaptionsElementAlign
from ..models.captions_element_blend_mode_type_0 import CaptionsElementBlendModeType0
from ..models.captions_element_fit import CaptionsElementFit
from ..models.captions_element_flip_type_0 import CaptionsElementFlipType0
from ..models.captions_element_font_weight import CaptionsElementFontWeight
from ..models.captions_element_vertical_align import CaptionsElementVerticalAlign
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.border import Border
  from ..models.captions_element_height_type_0_type_1_item import CaptionsElementHeightType0Type1Item
  from ..models.captions_element_opacity_type_1_item import CaptionsElementOpacityType1Item
  from ..models.captions_element_rotation_type_0_type_1_item import CaptionsElementRotationType0Type1Item
  from ..models.captions_element_scale_type_0_type_1_item import CaptionsElementScaleType0Type1Item
  from ..models.captions_element_width_type_0_type_1_item import CaptionsElementWidthType0Type1Item
  from ..models.captions_element_x_type_1_item import CaptionsElementXType1Item
  from ..models.captions_element_y_type_1_item import CaptionsElementYType1Item
  from ..models.cue import Cue
  from ..models.entrance import Entrance
  from ..models.filters import Filters
  from ..models.motion_preset import MotionPreset
  from ..models.shadow import Shadow
  from ..models.transition import Transition





T = TypeVar("T", bound="CaptionsElement")



@_attrs_define
class CaptionsElement:
    """ Timed captions from a SubRip/WebVTT `source` or inline `cues`, burnt in (and, with
    `output.subtitles: "soft"`, also a subtitle stream). Each cue is re-wrapped to the box
    and shown on at most `max_lines` lines; the spoken word is drawn in `highlight_color`
    when the cue has word timings. By default the box is 90% of the canvas wide, as tall as
    `max_lines` lines, near the bottom, and a cue sits on its bottom lines.

        Attributes:
            type_ (Literal['captions']):
            align (CaptionsElementAlign | Unset):  Default: CaptionsElementAlign.CENTER.
            background (None | str | Unset):
            blend_mode (CaptionsElementBlendModeType0 | None | Unset):
            border (Border | None | Unset):
            border_radius (float | None | str | Unset):
            burn (bool | Unset):  Default: True.
            color (str | Unset): '#rgb', '#rrggbb', '#rrggbbaa', a colour name, optionally '@opacity'.
            cues (list[Cue] | None | Unset):
            duration (float | None | Unset):
            end (float | None | Unset):
            enter (Entrance | None | Unset):
            exit_ (Entrance | None | Unset):
            fade_in (float | Unset):  Default: 0.0.
            fade_out (float | Unset):  Default: 0.0.
            filters (Filters | None | Unset):
            fit (CaptionsElementFit | Unset):  Default: CaptionsElementFit.AUTO.
            flip (CaptionsElementFlipType0 | None | Unset):
            font (str | Unset):  Default: 'DejaVu Sans'.
            font_size (float | str | Unset): '25%' of the canvas dimension, or pixels (120 or '120px'). Default: "{'unit':
                '%', 'value': 6.0}".
            font_weight (CaptionsElementFontWeight | Unset):  Default: CaptionsElementFontWeight.NORMAL.
            height (float | list[CaptionsElementHeightType0Type1Item] | None | str | Unset):
            highlight_color (None | str | Unset):
            id (None | str | Unset):
            line_spacing (float | Unset):  Default: 1.2.
            lut (None | str | Unset):
            max_lines (int | Unset):  Default: 2.
            motion (MotionPreset | None | Unset):
            opacity (float | list[CaptionsElementOpacityType1Item] | Unset): 0..1, or keyframes. Default: 1.0.
            padding (float | Unset):  Default: 0.0.
            rotation (float | list[CaptionsElementRotationType0Type1Item] | None | Unset):
            scale (float | list[CaptionsElementScaleType0Type1Item] | None | Unset):
            shadow (None | Shadow | Unset):
            source (None | str | Unset):
            start (float | Unset):  Default: 0.0.
            stroke_color (None | str | Unset):
            stroke_width (float | Unset):  Default: 0.0.
            track (int | Unset):  Default: 0.
            transition (None | Transition | Unset):
            vertical_align (CaptionsElementVerticalAlign | Unset):  Default: CaptionsElementVerticalAlign.BOTTOM.
            width (float | list[CaptionsElementWidthType0Type1Item] | None | str | Unset):
            wrap (bool | Unset):  Default: True.
            x (float | list[CaptionsElementXType1Item] | str | Unset): 'NN%' of the free space, pixels, a keyword, or
                keyframes of those. Default: "{'unit': '%', 'value': 50.0}".
            y (float | list[CaptionsElementYType1Item] | str | Unset): 'NN%' of the free space, pixels, a keyword, or
                keyframes of those. Default: "{'unit': '%', 'value': 92.0}".
     """

    type_: Literal['captions']
    align: CaptionsElementAlign | Unset = CaptionsElementAlign.CENTER
    background: None | str | Unset = UNSET
    blend_mode: CaptionsElementBlendModeType0 | None | Unset = UNSET
    border: Border | None | Unset = UNSET
    border_radius: float | None | str | Unset = UNSET
    burn: bool | Unset = True
    color: str | Unset = UNSET
    cues: list[Cue] | None | Unset = UNSET
    duration: float | None | Unset = UNSET
    end: float | None | Unset = UNSET
    enter: Entrance | None | Unset = UNSET
    exit_: Entrance | None | Unset = UNSET
    fade_in: float | Unset = 0.0
    fade_out: float | Unset = 0.0
    filters: Filters | None | Unset = UNSET
    fit: CaptionsElementFit | Unset = CaptionsElementFit.AUTO
    flip: CaptionsElementFlipType0 | None | Unset = UNSET
    font: str | Unset = 'DejaVu Sans'
    font_size: float | str | Unset = "{'unit': '%', 'value': 6.0}"
    font_weight: CaptionsElementFontWeight | Unset = CaptionsElementFontWeight.NORMAL
    height: float | list[CaptionsElementHeightType0Type1Item] | None | str | Unset = UNSET
    highlight_color: None | str | Unset = UNSET
    id: None | str | Unset = UNSET
    line_spacing: float | Unset = 1.2
    lut: None | str | Unset = UNSET
    max_lines: int | Unset = 2
    motion: MotionPreset | None | Unset = UNSET
    opacity: float | list[CaptionsElementOpacityType1Item] | Unset = 1.0
    padding: float | Unset = 0.0
    rotation: float | list[CaptionsElementRotationType0Type1Item] | None | Unset = UNSET
    scale: float | list[CaptionsElementScaleType0Type1Item] | None | Unset = UNSET
    shadow: None | Shadow | Unset = UNSET
    source: None | str | Unset = UNSET
    start: float | Unset = 0.0
    stroke_color: None | str | Unset = UNSET
    stroke_width: float | Unset = 0.0
    track: int | Unset = 0
    transition: None | Transition | Unset = UNSET
    vertical_align: CaptionsElementVerticalAlign | Unset = CaptionsElementVerticalAlign.BOTTOM
    width: float | list[CaptionsElementWidthType0Type1Item] | None | str | Unset = UNSET
    wrap: bool | Unset = True
    x: float | list[CaptionsElementXType1Item] | str | Unset = "{'unit': '%', 'value': 50.0}"
    y: float | list[CaptionsElementYType1Item] | str | Unset = "{'unit': '%', 'value': 92.0}"





    def to_dict(self) -> dict[str, Any]:
        from ..models.border import Border # noqa: PLC0415
        from ..models.captions_element_height_type_0_type_1_item import CaptionsElementHeightType0Type1Item # noqa: PLC0415
        from ..models.captions_element_opacity_type_1_item import CaptionsElementOpacityType1Item # noqa: PLC0415
        from ..models.captions_element_rotation_type_0_type_1_item import CaptionsElementRotationType0Type1Item # noqa: PLC0415
        from ..models.captions_element_scale_type_0_type_1_item import CaptionsElementScaleType0Type1Item # noqa: PLC0415
        from ..models.captions_element_width_type_0_type_1_item import CaptionsElementWidthType0Type1Item # noqa: PLC0415
        from ..models.captions_element_x_type_1_item import CaptionsElementXType1Item # noqa: PLC0415
        from ..models.captions_element_y_type_1_item import CaptionsElementYType1Item # noqa: PLC0415
        from ..models.cue import Cue # noqa: PLC0415
        from ..models.entrance import Entrance # noqa: PLC0415
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.motion_preset import MotionPreset # noqa: PLC0415
        from ..models.shadow import Shadow # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        type_ = self.type_

        align: str | Unset = UNSET
        if not isinstance(self.align, Unset):
            align = self.align.value


        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        else:
            background = self.background

        blend_mode: None | str | Unset
        if isinstance(self.blend_mode, Unset):
            blend_mode = UNSET
        elif isinstance(self.blend_mode, CaptionsElementBlendModeType0):
            blend_mode = self.blend_mode.value
        else:
            blend_mode = self.blend_mode

        border: dict[str, Any] | None | Unset
        if isinstance(self.border, Unset):
            border = UNSET
        elif isinstance(self.border, Border):
            border = self.border.to_dict()
        else:
            border = self.border

        border_radius: float | None | str | Unset
        if isinstance(self.border_radius, Unset):
            border_radius = UNSET
        else:
            border_radius = self.border_radius

        burn = self.burn

        color = self.color

        cues: list[dict[str, Any]] | None | Unset
        if isinstance(self.cues, Unset):
            cues = UNSET
        elif isinstance(self.cues, list):
            cues = []
            for cues_type_0_item_data in self.cues:
                cues_type_0_item = cues_type_0_item_data.to_dict()
                cues.append(cues_type_0_item)


        else:
            cues = self.cues

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

        enter: dict[str, Any] | None | Unset
        if isinstance(self.enter, Unset):
            enter = UNSET
        elif isinstance(self.enter, Entrance):
            enter = self.enter.to_dict()
        else:
            enter = self.enter

        exit_: dict[str, Any] | None | Unset
        if isinstance(self.exit_, Unset):
            exit_ = UNSET
        elif isinstance(self.exit_, Entrance):
            exit_ = self.exit_.to_dict()
        else:
            exit_ = self.exit_

        fade_in = self.fade_in

        fade_out = self.fade_out

        filters: dict[str, Any] | None | Unset
        if isinstance(self.filters, Unset):
            filters = UNSET
        elif isinstance(self.filters, Filters):
            filters = self.filters.to_dict()
        else:
            filters = self.filters

        fit: str | Unset = UNSET
        if not isinstance(self.fit, Unset):
            fit = self.fit.value


        flip: None | str | Unset
        if isinstance(self.flip, Unset):
            flip = UNSET
        elif isinstance(self.flip, CaptionsElementFlipType0):
            flip = self.flip.value
        else:
            flip = self.flip

        font = self.font

        font_size: float | str | Unset
        if isinstance(self.font_size, Unset):
            font_size = UNSET
        else:
            font_size = self.font_size

        font_weight: str | Unset = UNSET
        if not isinstance(self.font_weight, Unset):
            font_weight = self.font_weight.value


        height: float | list[dict[str, Any]] | None | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        elif isinstance(self.height, list):
            height = []
            for height_type_0_type_1_item_data in self.height:
                height_type_0_type_1_item = height_type_0_type_1_item_data.to_dict()
                height.append(height_type_0_type_1_item)


        else:
            height = self.height

        highlight_color: None | str | Unset
        if isinstance(self.highlight_color, Unset):
            highlight_color = UNSET
        else:
            highlight_color = self.highlight_color

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        line_spacing = self.line_spacing

        lut: None | str | Unset
        if isinstance(self.lut, Unset):
            lut = UNSET
        else:
            lut = self.lut

        max_lines = self.max_lines

        motion: dict[str, Any] | None | Unset
        if isinstance(self.motion, Unset):
            motion = UNSET
        elif isinstance(self.motion, MotionPreset):
            motion = self.motion.to_dict()
        else:
            motion = self.motion

        opacity: float | list[dict[str, Any]] | Unset
        if isinstance(self.opacity, Unset):
            opacity = UNSET
        elif isinstance(self.opacity, list):
            opacity = []
            for opacity_type_1_item_data in self.opacity:
                opacity_type_1_item = opacity_type_1_item_data.to_dict()
                opacity.append(opacity_type_1_item)


        else:
            opacity = self.opacity

        padding = self.padding

        rotation: float | list[dict[str, Any]] | None | Unset
        if isinstance(self.rotation, Unset):
            rotation = UNSET
        elif isinstance(self.rotation, list):
            rotation = []
            for rotation_type_0_type_1_item_data in self.rotation:
                rotation_type_0_type_1_item = rotation_type_0_type_1_item_data.to_dict()
                rotation.append(rotation_type_0_type_1_item)


        else:
            rotation = self.rotation

        scale: float | list[dict[str, Any]] | None | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        elif isinstance(self.scale, list):
            scale = []
            for scale_type_0_type_1_item_data in self.scale:
                scale_type_0_type_1_item = scale_type_0_type_1_item_data.to_dict()
                scale.append(scale_type_0_type_1_item)


        else:
            scale = self.scale

        shadow: dict[str, Any] | None | Unset
        if isinstance(self.shadow, Unset):
            shadow = UNSET
        elif isinstance(self.shadow, Shadow):
            shadow = self.shadow.to_dict()
        else:
            shadow = self.shadow

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        start = self.start

        stroke_color: None | str | Unset
        if isinstance(self.stroke_color, Unset):
            stroke_color = UNSET
        else:
            stroke_color = self.stroke_color

        stroke_width = self.stroke_width

        track = self.track

        transition: dict[str, Any] | None | Unset
        if isinstance(self.transition, Unset):
            transition = UNSET
        elif isinstance(self.transition, Transition):
            transition = self.transition.to_dict()
        else:
            transition = self.transition

        vertical_align: str | Unset = UNSET
        if not isinstance(self.vertical_align, Unset):
            vertical_align = self.vertical_align.value


        width: float | list[dict[str, Any]] | None | str | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        elif isinstance(self.width, list):
            width = []
            for width_type_0_type_1_item_data in self.width:
                width_type_0_type_1_item = width_type_0_type_1_item_data.to_dict()
                width.append(width_type_0_type_1_item)


        else:
            width = self.width

        wrap = self.wrap

        x: float | list[dict[str, Any]] | str | Unset
        if isinstance(self.x, Unset):
            x = UNSET
        elif isinstance(self.x, list):
            x = []
            for x_type_1_item_data in self.x:
                x_type_1_item = x_type_1_item_data.to_dict()
                x.append(x_type_1_item)


        else:
            x = self.x

        y: float | list[dict[str, Any]] | str | Unset
        if isinstance(self.y, Unset):
            y = UNSET
        elif isinstance(self.y, list):
            y = []
            for y_type_1_item_data in self.y:
                y_type_1_item = y_type_1_item_data.to_dict()
                y.append(y_type_1_item)


        else:
            y = self.y


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
        })
        if align is not UNSET:
            field_dict["align"] = align
        if background is not UNSET:
            field_dict["background"] = background
        if blend_mode is not UNSET:
            field_dict["blend_mode"] = blend_mode
        if border is not UNSET:
            field_dict["border"] = border
        if border_radius is not UNSET:
            field_dict["border_radius"] = border_radius
        if burn is not UNSET:
            field_dict["burn"] = burn
        if color is not UNSET:
            field_dict["color"] = color
        if cues is not UNSET:
            field_dict["cues"] = cues
        if duration is not UNSET:
            field_dict["duration"] = duration
        if end is not UNSET:
            field_dict["end"] = end
        if enter is not UNSET:
            field_dict["enter"] = enter
        if exit_ is not UNSET:
            field_dict["exit"] = exit_
        if fade_in is not UNSET:
            field_dict["fade_in"] = fade_in
        if fade_out is not UNSET:
            field_dict["fade_out"] = fade_out
        if filters is not UNSET:
            field_dict["filters"] = filters
        if fit is not UNSET:
            field_dict["fit"] = fit
        if flip is not UNSET:
            field_dict["flip"] = flip
        if font is not UNSET:
            field_dict["font"] = font
        if font_size is not UNSET:
            field_dict["font_size"] = font_size
        if font_weight is not UNSET:
            field_dict["font_weight"] = font_weight
        if height is not UNSET:
            field_dict["height"] = height
        if highlight_color is not UNSET:
            field_dict["highlight_color"] = highlight_color
        if id is not UNSET:
            field_dict["id"] = id
        if line_spacing is not UNSET:
            field_dict["line_spacing"] = line_spacing
        if lut is not UNSET:
            field_dict["lut"] = lut
        if max_lines is not UNSET:
            field_dict["max_lines"] = max_lines
        if motion is not UNSET:
            field_dict["motion"] = motion
        if opacity is not UNSET:
            field_dict["opacity"] = opacity
        if padding is not UNSET:
            field_dict["padding"] = padding
        if rotation is not UNSET:
            field_dict["rotation"] = rotation
        if scale is not UNSET:
            field_dict["scale"] = scale
        if shadow is not UNSET:
            field_dict["shadow"] = shadow
        if source is not UNSET:
            field_dict["source"] = source
        if start is not UNSET:
            field_dict["start"] = start
        if stroke_color is not UNSET:
            field_dict["stroke_color"] = stroke_color
        if stroke_width is not UNSET:
            field_dict["stroke_width"] = stroke_width
        if track is not UNSET:
            field_dict["track"] = track
        if transition is not UNSET:
            field_dict["transition"] = transition
        if vertical_align is not UNSET:
            field_dict["vertical_align"] = vertical_align
        if width is not UNSET:
            field_dict["width"] = width
        if wrap is not UNSET:
            field_dict["wrap"] = wrap
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.border import Border # noqa: PLC0415
        from ..models.captions_element_height_type_0_type_1_item import CaptionsElementHeightType0Type1Item # noqa: PLC0415
        from ..models.captions_element_opacity_type_1_item import CaptionsElementOpacityType1Item # noqa: PLC0415
        from ..models.captions_element_rotation_type_0_type_1_item import CaptionsElementRotationType0Type1Item # noqa: PLC0415
        from ..models.captions_element_scale_type_0_type_1_item import CaptionsElementScaleType0Type1Item # noqa: PLC0415
        from ..models.captions_element_width_type_0_type_1_item import CaptionsElementWidthType0Type1Item # noqa: PLC0415
        from ..models.captions_element_x_type_1_item import CaptionsElementXType1Item # noqa: PLC0415
        from ..models.captions_element_y_type_1_item import CaptionsElementYType1Item # noqa: PLC0415
        from ..models.cue import Cue # noqa: PLC0415
        from ..models.entrance import Entrance # noqa: PLC0415
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.motion_preset import MotionPreset # noqa: PLC0415
        from ..models.shadow import Shadow # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        d = dict(src_dict)
        type_ = cast(Literal['captions'] , d.pop("type"))
        if type_ != 'captions':
            raise ValueError(f"type must match const 'captions', got '{type_}'")

        _align = d.pop("align", UNSET)
        align: CaptionsElementAlign | Unset
        if isinstance(_align,  Unset):
            align = UNSET
        else:
            align = CaptionsElementAlign(_align)




        def _parse_background(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        background = _parse_background(d.pop("background", UNSET))


        def _parse_blend_mode(data: object) -> CaptionsElementBlendModeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                blend_mode_type_0 = CaptionsElementBlendModeType0(data)



                return blend_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaptionsElementBlendModeType0 | None | Unset, data)

        blend_mode = _parse_blend_mode(d.pop("blend_mode", UNSET))


        def _parse_border(data: object) -> Border | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                border_type_0 = Border.from_dict(data)



                return border_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Border | None | Unset, data)

        border = _parse_border(d.pop("border", UNSET))


        def _parse_border_radius(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        border_radius = _parse_border_radius(d.pop("border_radius", UNSET))


        burn = d.pop("burn", UNSET)

        color = d.pop("color", UNSET)

        def _parse_cues(data: object) -> list[Cue] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                cues_type_0 = []
                _cues_type_0 = data
                for cues_type_0_item_data in (_cues_type_0):
                    cues_type_0_item = Cue.from_dict(cues_type_0_item_data)



                    cues_type_0.append(cues_type_0_item)

                return cues_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Cue] | None | Unset, data)

        cues = _parse_cues(d.pop("cues", UNSET))


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


        def _parse_enter(data: object) -> Entrance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                enter_type_0 = Entrance.from_dict(data)



                return enter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Entrance | None | Unset, data)

        enter = _parse_enter(d.pop("enter", UNSET))


        def _parse_exit_(data: object) -> Entrance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                exit_type_0 = Entrance.from_dict(data)



                return exit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Entrance | None | Unset, data)

        exit_ = _parse_exit_(d.pop("exit", UNSET))


        fade_in = d.pop("fade_in", UNSET)

        fade_out = d.pop("fade_out", UNSET)

        def _parse_filters(data: object) -> Filters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filters_type_0 = Filters.from_dict(data)



                return filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Filters | None | Unset, data)

        filters = _parse_filters(d.pop("filters", UNSET))


        _fit = d.pop("fit", UNSET)
        fit: CaptionsElementFit | Unset
        if isinstance(_fit,  Unset):
            fit = UNSET
        else:
            fit = CaptionsElementFit(_fit)




        def _parse_flip(data: object) -> CaptionsElementFlipType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flip_type_0 = CaptionsElementFlipType0(data)



                return flip_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaptionsElementFlipType0 | None | Unset, data)

        flip = _parse_flip(d.pop("flip", UNSET))


        font = d.pop("font", UNSET)

        def _parse_font_size(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        font_size = _parse_font_size(d.pop("font_size", UNSET))


        _font_weight = d.pop("font_weight", UNSET)
        font_weight: CaptionsElementFontWeight | Unset
        if isinstance(_font_weight,  Unset):
            font_weight = UNSET
        else:
            font_weight = CaptionsElementFontWeight(_font_weight)




        def _parse_height(data: object) -> float | list[CaptionsElementHeightType0Type1Item] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                height_type_0_type_1 = []
                _height_type_0_type_1 = data
                for height_type_0_type_1_item_data in (_height_type_0_type_1):
                    height_type_0_type_1_item = CaptionsElementHeightType0Type1Item.from_dict(height_type_0_type_1_item_data)



                    height_type_0_type_1.append(height_type_0_type_1_item)

                return height_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementHeightType0Type1Item] | None | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))


        def _parse_highlight_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        highlight_color = _parse_highlight_color(d.pop("highlight_color", UNSET))


        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        line_spacing = d.pop("line_spacing", UNSET)

        def _parse_lut(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lut = _parse_lut(d.pop("lut", UNSET))


        max_lines = d.pop("max_lines", UNSET)

        def _parse_motion(data: object) -> MotionPreset | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                motion_type_0 = MotionPreset.from_dict(data)



                return motion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MotionPreset | None | Unset, data)

        motion = _parse_motion(d.pop("motion", UNSET))


        def _parse_opacity(data: object) -> float | list[CaptionsElementOpacityType1Item] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                opacity_type_1 = []
                _opacity_type_1 = data
                for opacity_type_1_item_data in (_opacity_type_1):
                    opacity_type_1_item = CaptionsElementOpacityType1Item.from_dict(opacity_type_1_item_data)



                    opacity_type_1.append(opacity_type_1_item)

                return opacity_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementOpacityType1Item] | Unset, data)

        opacity = _parse_opacity(d.pop("opacity", UNSET))


        padding = d.pop("padding", UNSET)

        def _parse_rotation(data: object) -> float | list[CaptionsElementRotationType0Type1Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rotation_type_0_type_1 = []
                _rotation_type_0_type_1 = data
                for rotation_type_0_type_1_item_data in (_rotation_type_0_type_1):
                    rotation_type_0_type_1_item = CaptionsElementRotationType0Type1Item.from_dict(rotation_type_0_type_1_item_data)



                    rotation_type_0_type_1.append(rotation_type_0_type_1_item)

                return rotation_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementRotationType0Type1Item] | None | Unset, data)

        rotation = _parse_rotation(d.pop("rotation", UNSET))


        def _parse_scale(data: object) -> float | list[CaptionsElementScaleType0Type1Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scale_type_0_type_1 = []
                _scale_type_0_type_1 = data
                for scale_type_0_type_1_item_data in (_scale_type_0_type_1):
                    scale_type_0_type_1_item = CaptionsElementScaleType0Type1Item.from_dict(scale_type_0_type_1_item_data)



                    scale_type_0_type_1.append(scale_type_0_type_1_item)

                return scale_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementScaleType0Type1Item] | None | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))


        def _parse_shadow(data: object) -> None | Shadow | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shadow_type_0 = Shadow.from_dict(data)



                return shadow_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Shadow | Unset, data)

        shadow = _parse_shadow(d.pop("shadow", UNSET))


        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        start = d.pop("start", UNSET)

        def _parse_stroke_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stroke_color = _parse_stroke_color(d.pop("stroke_color", UNSET))


        stroke_width = d.pop("stroke_width", UNSET)

        track = d.pop("track", UNSET)

        def _parse_transition(data: object) -> None | Transition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transition_type_0 = Transition.from_dict(data)



                return transition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Transition | Unset, data)

        transition = _parse_transition(d.pop("transition", UNSET))


        _vertical_align = d.pop("vertical_align", UNSET)
        vertical_align: CaptionsElementVerticalAlign | Unset
        if isinstance(_vertical_align,  Unset):
            vertical_align = UNSET
        else:
            vertical_align = CaptionsElementVerticalAlign(_vertical_align)




        def _parse_width(data: object) -> float | list[CaptionsElementWidthType0Type1Item] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                width_type_0_type_1 = []
                _width_type_0_type_1 = data
                for width_type_0_type_1_item_data in (_width_type_0_type_1):
                    width_type_0_type_1_item = CaptionsElementWidthType0Type1Item.from_dict(width_type_0_type_1_item_data)



                    width_type_0_type_1.append(width_type_0_type_1_item)

                return width_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementWidthType0Type1Item] | None | str | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        wrap = d.pop("wrap", UNSET)

        def _parse_x(data: object) -> float | list[CaptionsElementXType1Item] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                x_type_1 = []
                _x_type_1 = data
                for x_type_1_item_data in (_x_type_1):
                    x_type_1_item = CaptionsElementXType1Item.from_dict(x_type_1_item_data)



                    x_type_1.append(x_type_1_item)

                return x_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementXType1Item] | str | Unset, data)

        x = _parse_x(d.pop("x", UNSET))


        def _parse_y(data: object) -> float | list[CaptionsElementYType1Item] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                y_type_1 = []
                _y_type_1 = data
                for y_type_1_item_data in (_y_type_1):
                    y_type_1_item = CaptionsElementYType1Item.from_dict(y_type_1_item_data)



                    y_type_1.append(y_type_1_item)

                return y_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[CaptionsElementYType1Item] | str | Unset, data)

        y = _parse_y(d.pop("y", UNSET))


        captions_element = cls(
            type_=type_,
            align=align,
            background=background,
            blend_mode=blend_mode,
            border=border,
            border_radius=border_radius,
            burn=burn,
            color=color,
            cues=cues,
            duration=duration,
            end=end,
            enter=enter,
            exit_=exit_,
            fade_in=fade_in,
            fade_out=fade_out,
            filters=filters,
            fit=fit,
            flip=flip,
            font=font,
            font_size=font_size,
            font_weight=font_weight,
            height=height,
            highlight_color=highlight_color,
            id=id,
            line_spacing=line_spacing,
            lut=lut,
            max_lines=max_lines,
            motion=motion,
            opacity=opacity,
            padding=padding,
            rotation=rotation,
            scale=scale,
            shadow=shadow,
            source=source,
            start=start,
            stroke_color=stroke_color,
            stroke_width=stroke_width,
            track=track,
            transition=transition,
            vertical_align=vertical_align,
            width=width,
            wrap=wrap,
            x=x,
            y=y,
        )

        return captions_element

