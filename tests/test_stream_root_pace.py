"""A stream's root fit follows its pace: a fast walk's bounce is kept, as offline keeps it."""
import numpy as np

from synsp.inference.root_track import ROOT_WINDOW, paced_root_window, running_root


def test_window_spans_the_paced_frames() -> None:
    assert paced_root_window(None) == ROOT_WINDOW == paced_root_window(1.0)
    assert [paced_root_window(s) for s in (1.5, 2.0, 3.0, 4.0)] == [7, 5, 3, 3]


def test_fast_bounce_kept_when_paced() -> None:
    # a root travelling 127 mm a frame with a 5.5 Hz, 30 mm bounce at 30 fps (a walk played 3x)
    t = np.arange(60)
    truth = np.zeros((60, 1, 1, 3))
    truth[:, 0, 0, 0] = 127.0 * t
    truth[:, 0, 0, 1] = 30.0 * np.sin(2 * np.pi * 5.5 * t / 30)
    roots = {i: truth[i] for i in range(60)}

    def err(stretch: float | None) -> float:
        return float(np.mean([np.abs(running_root(roots, i, 0, min(i + 3, 59), stretch) - truth[i]).max()
                              for i in range(10, 50)]))
    assert err(3.0) < 1e-6 < 10.0 < err(None)  # 9 frames cut the bounce; 3 frames at order 2 pass it
