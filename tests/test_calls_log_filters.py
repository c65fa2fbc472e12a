"""The call log's filter form is rendered once per query string and reference data version
and kept (kit.calls.choices.filters_html): what it shows is still the query's own."""

from __future__ import annotations

from kit import refcache


def test_each_query_string_shows_its_own_filters_when_another_was_kept(login, client):
    login("desk")
    for _ in range(2):
        closed = client.get("/calls/?status=Closed&q=projector").get_data(as_text=True)
        assert '<option selected value="Closed">' in closed
        assert 'value="projector"' in closed
        default = client.get("/calls/").get_data(as_text=True)
        assert '<option selected value="open">' in default
        assert '<option selected value="Closed">' not in default
        assert 'value="projector"' not in default


def test_a_filter_refused_shows_its_error_every_time_it_is_asked(login, client):
    login("desk")
    client.get("/calls/?date_from=2026-01-01")
    for _ in range(2):
        response = client.get("/calls/?date_from=notadate")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'value="notadate"' in page and "Not a valid date value." in page


def test_a_name_typed_into_the_search_is_escaped_in_the_kept_form(login, client):
    login("desk")
    for _ in range(2):
        page = client.get('/calls/?q="><script>alert(1)</script>').get_data(as_text=True)
        assert "<script>alert(1)" not in page
        assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_only_the_keys_used_last_are_kept(db):
    loads = []

    def load(key):
        loads.append(key)
        return key

    for key in ("a", "b", "a", "c", "a", "b"):
        refcache.cached_per_key(db, "test keys", key, lambda k=key: load(k), keep=2)
    assert loads == ["a", "b", "c", "b"]  # "b" was the oldest when "c" came


def test_a_kept_value_is_loaded_again_after_a_change_of_reference_data(db):
    loads = []
    refcache.cached_per_key(db, "test change", "k", lambda: loads.append(1))
    refcache.cached_per_key(db, "test change", "k", lambda: loads.append(2))
    db.execute("INSERT INTO support_groups (name, tier, email) VALUES ('New group', 2, '')")
    refcache.cached_per_key(db, "test change", "k", lambda: loads.append(3))
    assert loads == [1, 3]
