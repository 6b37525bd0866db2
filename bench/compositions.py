"""Compositions A-C of the render benchmark, each as a vidgen spec, one FFmpeg command
written by hand and a MoviePy 2.x clip (D, the motion slideshow, is in slideshow.py)."""

from __future__ import annotations

from typing import Any

from bench.common import Composition, Media, drawtext, output, text_clip

# (A) 1280x720: the clip, a logo, a title, music mixed with the clip's sound.
A_TITLE = "One FFmpeg pass"
A_LOGO = (1120, 32, 128)  # x, y, size


def build_a(duration: float = 10.0) -> Composition:
    x, y, size = A_LOGO

    def spec(m: Media) -> dict[str, Any]:
        return {"elements": [
            {"id": "video", "type": "video", "source": m.clip, "fit": "cover"},
            {"id": "logo", "type": "image", "source": m.logo, "x": x, "y": y, "width": size,
             "track": 2},
            {"id": "title", "type": "text", "text": A_TITLE, "font": m.font, "font_size": 48,
             "color": "white", "stroke_color": "black", "stroke_width": 2, "x": "center",
             "y": 600, "track": 3},
            {"id": "music", "type": "audio", "source": m.music, "volume": 0.8},
        ]}

    def hand(m: Media) -> list[str]:
        graph = (
            f"[1:v]scale={size}:{size}[logo];"
            f"[0:v][logo]overlay={x}:{y},{drawtext(m.font, A_TITLE, 48, 'white', 2, 600)}[v];"
            "[2:a]volume=0.8[m];[0:a][m]amix=inputs=2:duration=first:normalize=0[a]"
        )
        return ["-i", m.clip, "-i", m.logo, "-i", m.music, "-filter_complex", graph,
                "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        from moviepy import (
            AudioFileClip,
            CompositeAudioClip,
            CompositeVideoClip,
            ImageClip,
            VideoFileClip,
        )

        video = VideoFileClip(m.clip).subclipped(0, duration)
        logo = ImageClip(m.logo).resized((size, size)).with_position((x, y))
        title = text_clip(m, A_TITLE, 48, "white", 2).with_position(("center", 600))
        music = AudioFileClip(m.music).subclipped(0, duration).with_volume_scaled(0.8)
        layers = [video, logo.with_duration(duration), title.with_duration(duration)]
        clip = CompositeVideoClip(layers, size=(1280, 720)).with_duration(duration)
        return clip.with_audio(CompositeAudioClip([video.audio, music]))

    return Composition("A", "720p clip + logo + text + music", 1280, 720, 30, duration,
                       lambda m: {"output": output(1280, 720, duration), **spec(m)},
                       hand, moviepy)


# (B) 1920x1080: background clip, two picture-in-picture clips (one starts at 2 s), a
# still, a logo and a title. The sound is the background clip's.
B_TITLE = "Six layers at 1080p"
B_PIP = (576, 324)
B_PIP1 = (64, 64)
B_PIP2 = (1280, 64)
B_STILL = (64, 746, 480, 270)
B_LOGO = (1720, 880, 160)
B_PIP2_START = 2.0


def build_b(duration: float = 10.0) -> Composition:
    pw, ph = B_PIP
    sx, sy, sw, sh = B_STILL
    lx, ly, ls = B_LOGO
    start = B_PIP2_START

    def spec(m: Media) -> dict[str, Any]:
        return {"elements": [
            {"id": "background", "type": "video", "source": m.clip, "fit": "cover"},
            {"id": "pip1", "type": "video", "source": m.clip, "x": B_PIP1[0], "y": B_PIP1[1],
             "width": pw, "muted": True, "track": 1},
            {"id": "pip2", "type": "video", "source": m.clip, "start": start,
             "x": B_PIP2[0], "y": B_PIP2[1], "width": pw, "muted": True, "track": 1},
            {"id": "still", "type": "image", "source": m.stills[0], "x": sx, "y": sy,
             "width": sw, "track": 1},
            {"id": "logo", "type": "image", "source": m.logo, "x": lx, "y": ly, "width": ls,
             "track": 2},
            {"id": "title", "type": "text", "text": B_TITLE, "font": m.font, "font_size": 64,
             "color": "#ffe040", "stroke_color": "black", "stroke_width": 3, "x": "center",
             "y": 960, "track": 3},
        ]}

    def hand(m: Media) -> list[str]:
        graph = (
            "[0:v]split=2[s0][s1];[s0]scale=1920:1080,setsar=1[bg];"
            f"[s1]scale={pw}:{ph}[p1];"
            f"[1:v]scale={pw}:{ph},setpts=PTS+{start}/TB[p2];"
            f"[2:v]scale={sw}:{sh}:out_range=tv[still];[3:v]scale={ls}:{ls}[logo];"
            f"[bg][p1]overlay={B_PIP1[0]}:{B_PIP1[1]}[o1];"
            f"[o1][p2]overlay={B_PIP2[0]}:{B_PIP2[1]}:eof_action=pass[o2];"
            f"[o2][still]overlay={sx}:{sy}[o3];"
            f"[o3][logo]overlay={lx}:{ly},"
            f"{drawtext(m.font, B_TITLE, 64, '0xffe040', 3, 960)}[v]"
        )
        return ["-i", m.clip, "-t", f"{duration - start:g}", "-i", m.clip, "-i", m.stills[0],
                "-i", m.logo, "-filter_complex", graph, "-map", "[v]", "-map", "0:a"]

    def moviepy(m: Media) -> Any:
        from moviepy import CompositeVideoClip, ImageClip, VideoFileClip

        background = VideoFileClip(m.clip).subclipped(0, duration).resized((1920, 1080))
        pip1 = VideoFileClip(m.clip, audio=False).subclipped(0, duration).resized(B_PIP)
        pip2 = VideoFileClip(m.clip, audio=False).subclipped(0, duration - start)
        pip2 = pip2.resized(B_PIP).with_start(start).with_position(B_PIP2)
        still = ImageClip(m.stills[0]).resized((sw, sh)).with_position((sx, sy))
        logo = ImageClip(m.logo).resized((ls, ls)).with_position((lx, ly))
        title = text_clip(m, B_TITLE, 64, "#ffe040", 3).with_position(("center", 960))
        layers = [background, pip1.with_position(B_PIP1), pip2, still.with_duration(duration),
                  logo.with_duration(duration), title.with_duration(duration)]
        clip = CompositeVideoClip(layers, size=(1920, 1080)).with_duration(duration)
        return clip.with_audio(background.audio)

    return Composition("B", "1080p, 6 layers (2 PiP, still, logo, text)", 1920, 1080, 30,
                       duration, lambda m: {"output": output(1920, 1080, duration), **spec(m)},
                       hand, moviepy)


# (C) 1280x720 slideshow: six 1080p stills, each with a fade in and out, and music.
def build_c(duration: float = 30.0) -> Composition:
    count = len(Media().stills)
    slide = duration / count
    fade = min(0.5, slide / 4)
    frames = round(slide * 30)

    def spec(m: Media) -> dict[str, Any]:
        slides = [
            {"id": f"slide{number}", "type": "image", "source": still, "fit": "cover",
             "start": number * slide, "duration": slide, "fade_in": fade, "fade_out": fade}
            for number, still in enumerate(m.stills)
        ]
        music = {"id": "music", "type": "audio", "source": m.music, "fade_in": 1, "fade_out": 1}
        return {"elements": [*slides, music]}

    def hand(m: Media) -> list[str]:
        chains = [
            f"[{number}:v]scale=1280:720:out_range=tv,setsar=1,loop=loop={frames - 1}:size=1,"
            f"setpts=N/30/TB,fade=t=in:st=0:d={fade:g},"
            f"fade=t=out:st={slide - fade:g}:d={fade:g}[s{number}]"
            for number in range(count)
        ]
        joined = "".join(f"[s{number}]" for number in range(count))
        graph = ";".join([
            *chains,
            f"{joined}concat=n={count}:v=1:a=0[v]",
            f"[{count}:a]afade=t=in:d=1,afade=t=out:st={duration - 1:g}:d=1[a]",
        ])
        inputs = [arg for still in m.stills for arg in ("-framerate", "30", "-i", still)]
        return [*inputs, "-i", m.music, "-filter_complex", graph, "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, afx, vfx

        slides = [
            ImageClip(still).resized((1280, 720)).with_duration(slide)
            .with_start(number * slide).with_effects([vfx.FadeIn(fade), vfx.FadeOut(fade)])
            for number, still in enumerate(m.stills)
        ]
        music = AudioFileClip(m.music).subclipped(0, duration)
        music = music.with_effects([afx.AudioFadeIn(1), afx.AudioFadeOut(1)])
        clip = CompositeVideoClip(slides, size=(1280, 720)).with_duration(duration)
        return clip.with_audio(music)

    return Composition("C", f"720p slideshow, {count} stills, fades, music", 1280, 720, 30,
                       duration, lambda m: {"output": output(1280, 720, duration), **spec(m)},
                       hand, moviepy)
