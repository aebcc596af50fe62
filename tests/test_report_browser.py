"""The HTML report in a real browser: headless Chromium draws the skeletons, plays, seeks, and logs no error.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), so the test needs nothing beyond
the standard library and Pillow. Skipped when no Chromium is installed (``apt-get install chromium``).
"""
from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

import numpy as np
import pytest

pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")

from synsp.skeleton import get_layout  # noqa: E402
from synsp.viz import write_report  # noqa: E402

BROWSER = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium not installed (Debian: apt-get install chromium)")


class DevTools:
    """A headless Chromium and one page, spoken to with the DevTools protocol over a pipe."""

    def __init__(self, browser: str, profile: str) -> None:
        # Chromium reads commands on fd 3 and writes replies on fd 4; lift our ends above the
        # low numbers first, so the dup2 in the child never lands a descriptor on itself.
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        hi_cmd_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_res_w = fcntl.fcntl(res_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(res_w)

        def child_fds() -> None:
            os.dup2(hi_cmd_r, 3)
            os.dup2(hi_res_w, 4)

        args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--mute-audio", "--remote-debugging-pipe",
                f"--user-data-dir={profile}", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=child_fds, close_fds=False, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(hi_cmd_r)
        os.close(hi_res_w)
        self.out, self.inp = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.inp], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.inp, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, timeout: float = 15.0, **params) -> dict:
        """Send one command (to the attached page when there is one); return its result."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self.out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 15.0) -> dict:
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events[i]
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str, width: int = 1000, height: int = 900) -> None:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain)
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def rect(self, element_id: str) -> dict:
        return json.loads(self.js(f"JSON.stringify(document.getElementById('{element_id}').getBoundingClientRect())"))

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, rect: dict) -> np.ndarray:
        clip = {"x": rect["x"], "y": rect["y"], "width": rect["width"], "height": rect["height"], "scale": 1}
        png = base64.b64decode(self.send("Page.captureScreenshot", format="png", clip=clip)["data"])
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

    def errors(self) -> list[str]:
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(json.dumps(params.get("exceptionDetails", {}))[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(json.dumps(params.get("args", []))[:300])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                out.append(params["entry"].get("text", "")[:300])
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5.0)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.out)
        os.close(self.inp)


@pytest.fixture
def browser():
    with tempfile.TemporaryDirectory(prefix="synsp-chromium-") as profile:
        tools = DevTools(BROWSER, profile)
        try:
            yield tools
        finally:
            tools.close()


def _walk(T: int, layout, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """A swaying pose per frame (smooth) and a jittered copy, in mm (3D) or px (2D)."""
    rng = np.random.default_rng(0)
    J = len(layout.joints)
    base = rng.normal(0, 300, (J, dims))
    t = np.arange(T)[:, None, None]
    smooth = base + 150 * np.sin(2 * np.pi * t / 40 + np.arange(J)[None, :, None])
    if dims == 2:
        smooth = smooth + 600
    return smooth + rng.normal(0, 20, smooth.shape), smooth


def _coloured(shot: np.ndarray, channel: int) -> int:
    """Pixels where ``channel`` clearly dominates: red (0) for before, green (1) for after."""
    others = [c for c in range(3) if c != channel]
    return int(((shot[..., channel] - shot[..., others].max(axis=-1)) > 60).sum())


@pytest.mark.parametrize("dims", [2, 3])
def test_report_draws_plays_and_seeks_without_errors(tmp_path, browser, dims):
    layout = get_layout("h36m17")
    before, after = _walk(120, layout, dims)
    truth = after + 5.0
    page = write_report(tmp_path / "report.html", before=before, after=after, layout=layout, ground_truth=truth)
    browser.open(page.resolve().as_uri())

    canvas = browser.rect("view")
    first = browser.screenshot(canvas)
    half = first.shape[1] // 2
    # Skeletons are drawn: before (red) in the left panel, after (green) in the right one.
    assert _coloured(first[:, :half], 0) > 200
    assert _coloured(first[:, half:], 1) > 200
    assert int(browser.js("Number(document.getElementById('frame').value)")) == 0

    button = browser.rect("play")
    browser.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
    deadline = time.monotonic() + 5
    while browser.js("Number(document.getElementById('frame').value)") < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    browser.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)  # pause
    played = int(browser.js("Number(document.getElementById('frame').value)"))
    assert played >= 5, "pressing Play did not advance the frame slider"
    assert browser.js("document.getElementById('play').textContent") == "Play"
    second = browser.screenshot(canvas)
    assert np.abs(second - first).sum(axis=-1).astype(bool).sum() > 100, "the canvas did not change while playing"

    slider = browser.rect("frame")
    browser.click(slider["x"] + 0.8 * slider["width"], slider["y"] + slider["height"] / 2)
    seek = int(browser.js("Number(document.getElementById('frame').value)"))
    assert 70 <= seek <= 119, f"clicking 80% along the slider went to frame {seek}"
    third = browser.screenshot(canvas)
    assert np.abs(third - second).sum(axis=-1).astype(bool).sum() > 100, "the canvas did not follow the slider"

    if dims == 3:  # dragging turns the 3D view
        x, y = canvas["x"] + canvas["width"] / 4, canvas["y"] + canvas["height"] / 2
        browser.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", buttons=1, clickCount=1)
        browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=x + 120, y=y, button="left", buttons=1)
        browser.send("Input.dispatchMouseEvent", type="mouseReleased", x=x + 120, y=y, button="left", clickCount=1)
        turned = browser.screenshot(canvas)
        assert np.abs(turned - third).sum(axis=-1).astype(bool).sum() > 100, "dragging did not turn the 3D view"

    assert "MPJPE" in browser.js("document.body.innerText")
    assert browser.js("document.querySelector('img').naturalWidth") > 100  # the embedded plot decodes
    assert browser.errors() == []
