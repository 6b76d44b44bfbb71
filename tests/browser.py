"""Steps that browser tests in several apps take on the map."""


def follow_popup_link(page, name: str) -> None:
    """Click the link called `name` in the open map popup, once the map has settled.

    Opening a popup pans the map to fit it, which redraws the markers and refreshes the
    list; a click during that lands where the link was a moment ago, not where it is.
    """
    link = page.locator(".leaflet-popup a", has_text=name)
    link.wait_for()
    page.wait_for_load_state("networkidle")
    link.click()
