"""The claims, page furniture and foreign debris of other voices: forum posts, press releases,
headlines, social captions, newsletters, transcripts, clinic FAQs, machine translation and
careless copy; and the near misses each reading must leave alone. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from tests.checks.test_families import codes_in

# --- Page furniture of players, posts, forums, newsletters and press releases -------------


@pytest.mark.parametrize(
    "junk",
    ["▶ 3:21", "1:02:33 / 1:15:00", "Smash that like button and subscribe!",
     "Tap the bell icon to get notified", "A video shared by Dr Lee (@drlee)", "👍 34  💬 5",
     "Member since 2017 · 340 posts", "Location: Leeds · Posts: 88", "RE: side effects",
     "Having trouble viewing this email? Click here", "Send this article to a friend",
     "Manage your email preferences", "###", "Posted at 9.15am",
     "Last updated 10:05 GMT on 4 June 2021", "Displaying items 1-5 of 20",
     "Listen on Apple Podcasts", "Select language ▼"],
)  # fmt: skip
def test_players_posts_forums_newsletters_and_press_releases_leave_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    [
        "Press the call bell if you need a nurse.",
        "Ring the bell at reception when you arrive.",
        "Forward your discharge letter to your GP.",
        "Re-read the consent form before you sign it.",
        "You can read it online at the NHS website.",
        "Your appointment is at 14:30.",
        "Update your GP about any new medicines.",
        "Members of the public took part in the survey.",
        "Her video diary has been viewed 40,000 times, which worries her doctors.",
        "Apple cider vinegar does not treat arthritis.",
    ],
)
def test_prose_about_bells_letters_times_and_updates_is_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")
