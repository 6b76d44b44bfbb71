from django.urls import reverse

from tests.directory.test_standards import assert_plain_text_atom_with_authors


def test_stories_feed_is_valid_atom_with_authors_and_plain_text_summaries(client, make_story):
    make_story(title="A story", summary="Tea & <cake> at the library.")

    feed = assert_plain_text_atom_with_authors(client.get(reverse("stories:feed")).content)

    assert feed.entries[0].summary == "Tea & <cake> at the library."
