"""The gesture interpreter (kiosk.devices.touch): contacts and plain timestamps in,
taps, holds and the corners' chord out; swipes, palms and leaning arms give nothing."""

from __future__ import annotations

import pytest

from kiosk.devices.touch import Chord, Hold, Tap, Touches, to_canvas

SIZE = (800, 480)


def test_a_still_finger_lifted_is_a_tap_where_it_went_down():
    t = Touches(SIZE)
    assert t.down(1, 100, 200, 0.0) == []
    assert t.move(1, 104, 203, 0.05) == []
    assert t.up(1, 105, 204, 0.1) == [Tap(100, 200)]
    assert t.touching == 0


def test_a_swipe_gives_nothing_even_if_it_ends_where_it_began():
    t = Touches(SIZE)
    t.down(1, 100, 300, 0.0)
    t.move(1, 300, 300, 0.1)
    assert t.up(1, 100, 300, 0.2) == []


def test_a_finger_lifted_far_from_where_it_went_down_is_a_swipe():
    t = Touches(SIZE)
    t.down(1, 100, 300, 0.0)
    assert t.up(1, 400, 300, 0.1) == []


def test_a_palm_gives_nothing_from_any_of_its_fingers():
    t = Touches(SIZE)
    t.down(1, 300, 300, 0.0)
    t.down(2, 340, 310, 0.01)
    t.down(3, 380, 320, 0.02)
    assert t.up(2, 340, 310, 0.1) == []
    assert t.up(1, 300, 300, 0.1) == []
    assert t.up(3, 380, 320, 0.1) == []
    assert t.down(4, 300, 300, 1.0) == [] and t.up(4, 300, 300, 1.1) == [Tap(300, 300)]  # the next tap counts


def test_a_finger_left_down_too_long_chooses_nothing():
    t = Touches(SIZE, longest_tap=10.0)
    t.down(1, 100, 100, 0.0)
    assert t.up(1, 100, 100, 10.0) == []


def test_a_hold_on_a_hold_target_comes_once_in_time_and_its_release_gives_nothing():
    t = Touches(SIZE, hold_seconds=2.0)
    t.down(1, 100, 400, 5.0, holdable=True)
    assert t.next_due(5.0) == pytest.approx(2.0)
    assert t.hold_progress(6.0) == (100, 400, pytest.approx(0.5))
    assert t.due(6.99) == []
    assert t.due(7.0) == [Hold(100, 400)]
    assert t.due(9.0) == [] and t.next_due(9.0) is None and t.hold_progress(9.0) is None
    assert t.up(1, 100, 400, 9.5) == []


def test_a_hold_let_go_early_is_a_tap_and_a_moved_one_is_nothing():
    t = Touches(SIZE, hold_seconds=2.0)
    t.down(1, 100, 400, 0.0, holdable=True)
    assert t.up(1, 100, 400, 1.0) == [Tap(100, 400)]
    t.down(2, 100, 400, 3.0, holdable=True)
    t.move(2, 200, 400, 3.5)
    assert t.due(10.0) == [] and t.up(2, 200, 400, 10.0) == []


def test_a_hold_needs_its_finger_alone():
    t = Touches(SIZE, hold_seconds=2.0)
    t.down(1, 100, 400, 0.0, holdable=True)
    t.down(2, 400, 200, 0.5)
    assert t.due(5.0) == []


def test_away_from_a_hold_target_time_brings_nothing():
    t = Touches(SIZE)
    t.down(1, 100, 100, 0.0)
    assert t.next_due(0.0) is None and t.due(100.0) == []


def test_both_corners_held_three_seconds_are_the_chord_and_neither_finger_taps():
    t = Touches(SIZE, chord_seconds=3.0)
    t.down("a", 10, 10, 0.0)
    t.down("b", 790, 470, 0.2)
    assert t.next_due(0.2) == pytest.approx(3.0)
    assert t.due(3.1) == []
    assert t.due(3.2) == [Chord()]
    assert t.due(10.0) == []
    assert t.up("a", 10, 10, 10.0) == [] and t.up("b", 790, 470, 10.0) == []


@pytest.mark.parametrize("second", [(790, 10), (400, 240), (10, 470)])
def test_other_pairs_of_fingers_are_no_chord(second):
    t = Touches(SIZE)
    t.down("a", 10, 10, 0.0)
    t.down("b", *second, 0.0)
    assert t.next_due(0.0) is None and t.due(10.0) == []


def test_a_corner_lifted_or_slid_away_before_time_is_no_chord():
    t = Touches(SIZE)
    t.down("a", 10, 10, 0.0)
    t.down("b", 790, 470, 0.0)
    t.up("b", 790, 470, 2.0)
    assert t.due(5.0) == []
    t.down("b", 790, 470, 6.0)
    t.move("a", 300, 200, 7.0)
    assert t.due(10.0) == []


def test_a_third_finger_ends_a_chord_in_the_making():
    t = Touches(SIZE)
    t.down("a", 10, 10, 0.0)
    t.down("b", 790, 470, 0.0)
    t.down("c", 400, 240, 1.0)
    assert t.due(5.0) == []


@pytest.mark.parametrize(
    "rotate, screen_point, canvas_point",
    [(0, (0.25, 0.75), (200, 360)), (180, (0.25, 0.75), (600, 120)),
     (90, (0.25, 0.75), (600, 360)), (270, (0.25, 0.75), (200, 120))],
)
def test_a_point_on_the_screen_is_turned_back_onto_the_canvas(rotate, screen_point, canvas_point):
    canvas = (800, 480)
    x, y = to_canvas(*screen_point, rotate, canvas)
    assert (round(x), round(y)) == canvas_point


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_turn_back_matches_how_the_app_turns_the_canvas(rotate):
    """A dot drawn on the canvas, turned as kiosk.app turns it onto the screen, is found
    again by to_canvas from where it lands on the screen."""
    import pygame

    canvas = pygame.Surface((80, 48))
    canvas.fill((0, 0, 0))
    canvas.set_at((60, 10), (255, 255, 255))
    screen = pygame.transform.rotate(canvas, -rotate)
    w, h = screen.get_size()
    [(sx, sy)] = [(x, y) for x in range(w) for y in range(h) if screen.get_at((x, y))[0] > 128]
    x, y = to_canvas((sx + 0.5) / w, (sy + 0.5) / h, rotate, (80, 48))
    assert (int(x), int(y)) == (60, 10)
