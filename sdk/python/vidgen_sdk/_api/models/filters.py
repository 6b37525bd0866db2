from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Filters")



@_attrs_define
class Filters:
    """ Colour and detail adjustments; each unset one leaves the picture as it is.

    brightness -1…1 (0 = as is), contrast 0…4 (1), saturation 0…3 (1), gamma 0.1…10 (1),
    hue -180…180 degrees, blur 0…100 px (a Gaussian's sigma), sharpen 0…5, and the
    strengths 0…1 of grayscale, sepia and vignette.

        Attributes:
            blur (float | None | Unset):
            brightness (float | None | Unset):
            contrast (float | None | Unset):
            gamma (float | None | Unset):
            grayscale (float | None | Unset):
            hue (float | None | Unset):
            saturation (float | None | Unset):
            sepia (float | None | Unset):
            sharpen (float | None | Unset):
            vignette (float | None | Unset):
     """

    blur: float | None | Unset = UNSET
    brightness: float | None | Unset = UNSET
    contrast: float | None | Unset = UNSET
    gamma: float | None | Unset = UNSET
    grayscale: float | None | Unset = UNSET
    hue: float | None | Unset = UNSET
    saturation: float | None | Unset = UNSET
    sepia: float | None | Unset = UNSET
    sharpen: float | None | Unset = UNSET
    vignette: float | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        blur: float | None | Unset
        if isinstance(self.blur, Unset):
            blur = UNSET
        else:
            blur = self.blur

        brightness: float | None | Unset
        if isinstance(self.brightness, Unset):
            brightness = UNSET
        else:
            brightness = self.brightness

        contrast: float | None | Unset
        if isinstance(self.contrast, Unset):
            contrast = UNSET
        else:
            contrast = self.contrast

        gamma: float | None | Unset
        if isinstance(self.gamma, Unset):
            gamma = UNSET
        else:
            gamma = self.gamma

        grayscale: float | None | Unset
        if isinstance(self.grayscale, Unset):
            grayscale = UNSET
        else:
            grayscale = self.grayscale

        hue: float | None | Unset
        if isinstance(self.hue, Unset):
            hue = UNSET
        else:
            hue = self.hue

        saturation: float | None | Unset
        if isinstance(self.saturation, Unset):
            saturation = UNSET
        else:
            saturation = self.saturation

        sepia: float | None | Unset
        if isinstance(self.sepia, Unset):
            sepia = UNSET
        else:
            sepia = self.sepia

        sharpen: float | None | Unset
        if isinstance(self.sharpen, Unset):
            sharpen = UNSET
        else:
            sharpen = self.sharpen

        vignette: float | None | Unset
        if isinstance(self.vignette, Unset):
            vignette = UNSET
        else:
            vignette = self.vignette


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if blur is not UNSET:
            field_dict["blur"] = blur
        if brightness is not UNSET:
            field_dict["brightness"] = brightness
        if contrast is not UNSET:
            field_dict["contrast"] = contrast
        if gamma is not UNSET:
            field_dict["gamma"] = gamma
        if grayscale is not UNSET:
            field_dict["grayscale"] = grayscale
        if hue is not UNSET:
            field_dict["hue"] = hue
        if saturation is not UNSET:
            field_dict["saturation"] = saturation
        if sepia is not UNSET:
            field_dict["sepia"] = sepia
        if sharpen is not UNSET:
            field_dict["sharpen"] = sharpen
        if vignette is not UNSET:
            field_dict["vignette"] = vignette

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_blur(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        blur = _parse_blur(d.pop("blur", UNSET))


        def _parse_brightness(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        brightness = _parse_brightness(d.pop("brightness", UNSET))


        def _parse_contrast(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        contrast = _parse_contrast(d.pop("contrast", UNSET))


        def _parse_gamma(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        gamma = _parse_gamma(d.pop("gamma", UNSET))


        def _parse_grayscale(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        grayscale = _parse_grayscale(d.pop("grayscale", UNSET))


        def _parse_hue(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        hue = _parse_hue(d.pop("hue", UNSET))


        def _parse_saturation(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        saturation = _parse_saturation(d.pop("saturation", UNSET))


        def _parse_sepia(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sepia = _parse_sepia(d.pop("sepia", UNSET))


        def _parse_sharpen(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sharpen = _parse_sharpen(d.pop("sharpen", UNSET))


        def _parse_vignette(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        vignette = _parse_vignette(d.pop("vignette", UNSET))


        filters = cls(
            blur=blur,
            brightness=brightness,
            contrast=contrast,
            gamma=gamma,
            grayscale=grayscale,
            hue=hue,
            saturation=saturation,
            sepia=sepia,
            sharpen=sharpen,
            vignette=vignette,
        )

        return filters

