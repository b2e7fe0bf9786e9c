"""The talking books of real renderings: EPUB 3 (epubcheck, Ace by DAISY, overlay timings
heard in the decoded MP3) and DAISY 2.02 (read back with the independent daisy-dtb reader).

The transcripts are a sample of the bundled real cases (tests/transcript/cases, cuts of the
shared transcripts): one without headings whose chapters are questions, and two with
section headings (questions nested under a section), rendered with eSpeak NG — a few
seconds each, so the validators see real books while the suite stays quick.

The validators: Debian's epubcheck (`java -jar /usr/share/java/epubcheck.jar`) and Ace
(`ace-puppeteer`, found on PATH, or as $PRESSAUDIO_ACE; .ci/run installs both). With
PRESSAUDIO_REQUIRE_E2E=1 a missing validator is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import typing
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lxml import etree

from pressaudio.books import daisy_path, epub_path
from pressaudio.books.daisy import write_daisy
from pressaudio.books.epub import AUDIO, CONTENT, SMIL, write_epub
from pressaudio.books.package import BookMeta
from pressaudio.render import RenderOptions, RenderResult, render

CASES = Path(__file__).parents[1] / "transcript" / "cases"
SAMPLE = (
    "77_hk-ce-lee-media-session-beijing-2023-03-17",
    "15_mofa-press-secretary-osuga-2018-12-05",
    "81_un-noon-briefing-montas-2007-10-25",
)
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
REQUIRE_E2E = os.environ.get("PRESSAUDIO_REQUIRE_E2E") == "1"
META = BookMeta(identifier="urn:uuid:5f0b6c1e-8f2e-5d0a-9d0e-3c1f4b2a7e10")
NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "s": "http://www.w3.org/ns/SMIL",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
}
ONSET_TOLERANCE_MS = 100


def missing(reason: str) -> None:
    if REQUIRE_E2E:
        pytest.fail(f"PRESSAUDIO_REQUIRE_E2E=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module", params=SAMPLE)
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    out = tmp_path_factory.mktemp("book") / f"{request.param}.mp3"
    cache = tmp_path_factory.getbasetemp() / "speech-cache"
    result = render(str(CASES / f"{request.param}.txt"), out, RenderOptions(cache_dir=cache))
    write_epub(result.episode, result.transcript, epub_path(out), META)
    write_daisy(result.episode, result.transcript, daisy_path(out), META)
    return result


def read(z: zipfile.ZipFile, name: str) -> Any:
    return etree.fromstring(z.read(name))


def clock_ms(value: str) -> int:
    h, m, s = value.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def decode(mp3: Path, rate: int = 16000) -> np.ndarray[Any, Any]:
    """The MP3 decoded (Debian's ffmpeg if present, else the one imageio-ffmpeg ships)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        import imageio_ffmpeg

        ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def onset_ms(samples: np.ndarray[Any, Any], around_ms: int, rate: int = 16000) -> float | None:
    """Where sound starts near `around_ms`: the first 5 ms window louder than -40 dBFS RMS
    in [around - 300 ms, around + 300 ms], after the quiet that precedes it."""
    w = 5 * rate // 1000
    lo = max(0, (around_ms - 300) * rate // 1000)
    hi = min(len(samples), (around_ms + 300) * rate // 1000)
    seg = samples[lo:hi]
    frames = len(seg) // w
    rms = np.sqrt((seg[: frames * w].reshape(frames, w) ** 2).mean(axis=1))
    loud = rms > 10 ** (-40 / 20)
    # the quiet stretch before the sentence (the pause after the previous one)
    start = int(300 * rate // 1000 // w) - int(ONSET_TOLERANCE_MS * rate // 1000 // w)
    quiet = np.flatnonzero(~loud[: max(start, 1)])
    first_quiet = int(quiet[-1]) + 1 if len(quiet) else 0
    after = np.flatnonzero(loud[first_quiet:])
    if not len(after):
        return None
    return (lo + (first_quiet + int(after[0])) * w) * 1000 / rate


# --- EPUB ----------------------------------------------------------------------------------


def test_epubcheck_reports_nothing(book: RenderResult) -> None:
    java = shutil.which("java")
    if java is None or not EPUBCHECK.exists():
        missing("epubcheck is not installed (apt-get install epubcheck; .ci/run installs it)")
    epub = epub_path(book.episode.mp3)
    run = subprocess.run(
        [java, "-jar", str(EPUBCHECK), str(epub)], capture_output=True, text=True, timeout=300
    )
    out = run.stdout + run.stderr
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in out, out
    assert run.returncode == 0, out


def ace_command() -> list[str]:
    ace = os.environ.get("PRESSAUDIO_ACE") or shutil.which("ace-puppeteer")
    chromium = Path(os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"))
    if not ace or not Path(ace).exists() or not chromium.exists():
        missing("Ace by DAISY (npm @daisy/ace, ace-puppeteer) or chromium is not installed "
                "(.ci/run installs them and sets PRESSAUDIO_ACE)")  # fmt: skip
    return [str(ace)]


def test_ace_reports_no_violation(book: RenderResult, tmp_path: Path) -> None:
    cmd = ace_command()
    # Ace gives Chromium 5 s to start; the first start on a fresh machine took longer
    # ("Timed out after 5000 ms while waiting for the WS endpoint URL")
    env = {**os.environ, "ACE_TIMEOUT_INITIAL": "60000",
           "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH",
                                                       "/usr/bin/chromium")}  # fmt: skip
    report_dir = tmp_path / "ace"
    run = subprocess.run(
        [*cmd, "--force", "--verbose", "--outdir", str(report_dir),
         str(epub_path(book.episode.mp3))],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    # Ace says why it stopped only in its debug log: the last lines of it
    assert run.returncode == 0, "\n".join((run.stdout + run.stderr).splitlines()[-40:])
    report = json.loads((report_dir / "report.json").read_text())
    violations = [
        (a["earl:test"]["dct:title"], a["earl:test"].get("earl:impact"))
        for group in report["assertions"]
        for a in group["assertions"]
        if a["earl:result"]["earl:outcome"] == "fail"
    ]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_epub_outline_is_the_chapter_list(book: RenderResult) -> None:
    with zipfile.ZipFile(epub_path(book.episode.mp3)) as z:
        assert z.namelist()[0] == "mimetype"
        assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert z.read(f"EPUB/{AUDIO}") == book.episode.mp3.read_bytes()  # the one MP3
        nav = read(z, "EPUB/nav.xhtml")
        content = read(z, f"EPUB/{CONTENT}")
        opf = read(z, "EPUB/package.opf")
    toc = nav.xpath("//h:nav[@epub:type='toc']", namespaces=NS)
    assert len(toc) == 1 and toc[0].get("role") == "doc-toc"
    titles = [a.text for a in toc[0].xpath(".//h:a", namespaces=NS)]
    assert titles == [c.title for c in book.episode.chapters]
    headings = content.xpath("//h:h2|//h:h3", namespaces=NS)
    assert [h.text for h in headings] == titles
    assert len(content.xpath("//h:h1", namespaces=NS)) == 1
    if book.transcript.sections:  # questions inside a section are one level down
        nested = toc[0].xpath("./h:ol/h:li/h:ol/h:li/h:a", namespaces=NS)
        assert [a.text for a in nested] == [h.text for h in content.xpath("//h:h3", namespaces=NS)]
    # every turn names its speaker; the role is in the markup
    names = {s.name for s in book.transcript.speakers} | {"Narrator"}
    for p in content.xpath("//h:p[@data-role]", namespaces=NS):
        speaker = p.xpath("./h:span[@class='speaker']", namespaces=NS)[0].text
        assert speaker.rstrip(":") in names
        assert p.get("data-role") in ("minister", "reporter", "moderator", "narrator")
    metas = opf.xpath("//opf:meta[not(@refines)]", namespaces=NS)
    props = {m.get("property"): m.text for m in metas}
    for needed in ("schema:accessMode", "schema:accessModeSufficient",
                   "schema:accessibilityFeature", "schema:accessibilityHazard",
                   "schema:accessibilitySummary",
                   "dcterms:conformsTo", "a11y:certifiedBy", "media:active-class",
                   "media:duration"):  # fmt: skip
        assert props.get(needed), needed
    features = {m.text for m in opf.xpath("//opf:meta[@property='schema:accessibilityFeature']",
                                          namespaces=NS)}  # fmt: skip
    assert {"synchronizedAudioText", "structuralNavigation"} <= features


def test_overlay_covers_every_sentence_in_order(book: RenderResult) -> None:
    with zipfile.ZipFile(epub_path(book.episode.mp3)) as z:
        smil = read(z, f"EPUB/{SMIL}")
        content = read(z, f"EPUB/{CONTENT}")
        opf = read(z, "EPUB/package.opf")
    ids = set(content.xpath("//@id"))
    for seq in smil.xpath("//s:seq", namespaces=NS):
        ref = seq.get(f"{{{NS['epub']}}}textref")
        assert ref.startswith(CONTENT + "#") and ref.split("#")[1] in ids
    pars = smil.xpath("//s:par", namespaces=NS)
    spoken = [c for c in book.episode.cues if c.text.strip() and c.end_ms > c.start_ms]
    assert len(pars) == len(spoken)
    last = 0
    for par, cue in zip(pars, spoken, strict=True):
        src = par.xpath("s:text/@src", namespaces=NS)[0]
        sentence = content.xpath("//*[@id=$i]", i=src.split("#")[1])[0]
        assert " ".join(sentence.text.split()) == " ".join(cue.text.split())
        audio = par.xpath("s:audio", namespaces=NS)[0]
        assert audio.get("src") == AUDIO
        begin, end = clock_ms(audio.get("clipBegin")), clock_ms(audio.get("clipEnd"))
        assert begin == cue.start_ms and last <= begin < end <= book.episode.duration_ms
        last = end
    durations = [m.text for m in opf.xpath("//opf:meta[@property='media:duration']",
                                           namespaces=NS)]  # fmt: skip
    assert durations and all(clock_ms(d) == last for d in durations)


def test_overlay_clips_start_where_the_sentence_is_heard(book: RenderResult) -> None:
    with zipfile.ZipFile(epub_path(book.episode.mp3)) as z:
        smil = read(z, f"EPUB/{SMIL}")
    pars = smil.xpath("//s:par", namespaces=NS)
    samples = decode(book.episode.mp3)
    step = max(1, len(pars) // 12)
    checked = 0
    for par in pars[1::step]:  # a sample, after the first (which starts the file)
        begin = clock_ms(par.xpath("s:audio/@clipBegin", namespaces=NS)[0])
        heard = onset_ms(samples, begin)
        assert heard is not None, par.get("id")
        assert abs(heard - begin) <= ONSET_TOLERANCE_MS, (par.get("id"), begin, heard)
        checked += 1
    assert checked >= min(5, len(pars) - 1)


# --- DAISY 2.02 ----------------------------------------------------------------------------


def daisy_reader() -> Any:
    """daisy-dtb (PyPI), an independent DAISY 2.02 reader. It uses typing.override (3.12);
    on Python 3.11 a no-op stand-in is given to it."""
    if not hasattr(typing, "override"):
        typing.override = lambda f: f  # type: ignore[attr-defined]
    import daisy_dtb
    from loguru import logger

    logger.remove()
    return daisy_dtb


def test_daisy_reads_back_with_an_independent_reader(book: RenderResult) -> None:
    dtb = daisy_reader()
    path = daisy_path(book.episode.mp3)
    reader = dtb.DaisyBook(dtb.ZipDtbSource(str(path)))
    meta = {m.name: m.content for m in reader.metadata}
    for name in ("dc:title", "dc:identifier", "dc:format", "dc:language", "dc:creator",
                 "dc:date", "dc:publisher", "ncc:totalTime", "ncc:narrator", "ncc:charset",
                 "ncc:generator", "ncc:files", "ncc:depth", "ncc:tocItems", "ncc:pageNormal",
                 "ncc:multimediaType", "ncc:setInfo"):  # fmt: skip
        assert meta.get(name), name
    assert meta["dc:format"] == "Daisy 2.02" and meta["ncc:narrator"] == "synthetic"
    assert meta["dc:identifier"] == META.identifier
    h, m, s = (int(x) for x in meta["ncc:totalTime"].split(":"))
    assert abs((h * 3600 + m * 60 + s) * 1000 - book.episode.duration_ms) <= 1000
    duration_s = book.episode.duration_ms / 1000
    entries = reader.toc_entries
    assert len(entries) == len(book.episode.chapters) == int(meta["ncc:tocItems"])
    assert reader.navigation_depth == max(e.level for e in entries)
    for entry, chapter in zip(entries, book.episode.chapters, strict=True):
        sections = entry.smil.sections
        assert sections, entry.id
        assert entry.smil_reference.fragment == sections[0].id  # the heading links a par
        first = sections[0].clips[0]
        assert chapter.start_ms <= round(first.begin * 1000) < chapter.end_ms  # in its chapter
        for par in sections:
            for clip in par.clips:
                assert 0 <= clip.begin < clip.end <= duration_s + 0.001
                assert clip.src == "episode.mp3"
            assert par.text.content.strip()  # the sentence's text, from content.html
    with zipfile.ZipFile(path) as z:
        assert z.read("episode.mp3") == book.episode.mp3.read_bytes()
        ncc = etree.fromstring(z.read("ncc.html"))
    first = ncc.xpath("//h:body/*", namespaces=NS)[0]
    assert first.tag == f"{{{NS['h']}}}h1" and first.get("class") == "title"
    for a in ncc.xpath("//h:body/*/h:a", namespaces=NS):
        assert re.fullmatch(r"c\d{4}\.smil#par-s\d+", a.get("href"))
