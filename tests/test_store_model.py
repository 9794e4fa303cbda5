"""The one list of an annotation's fields (reader.model) is what the store's schema, its row
mapping and checks, and the export and import read; and the store is what the protocol says."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from reader import model
from reader.exchange.entries import ENTRY_FIELDS
from reader.model import FIELDS, Annotation
from reader.store import AnnotationStore, ChangeToken, DamagedRow, Store
from reader.store import rows as store_rows

BODY = "The quick brown fox jumps over the lazy dog. " * 4


def test_the_schema_has_the_fields_of_the_model_in_order(store: Store):
    columns = [c.name for c in store.db.table("annotations").columns]
    assert columns == list(FIELDS) == [f.name for f in dataclasses.fields(Annotation)]
    not_null = {row[1] for row in store.conn.execute("pragma table_info(annotations)") if row[3]}
    assert not_null == {f.name for f in model.ANNOTATION_FIELDS if not f.nullable} - {"id"}
    tag_columns = [c.name for c in store.db.table("tags").columns]
    assert tag_columns == [f.name for f in dataclasses.fields(model.Tag)]


def test_the_field_list_says_what_each_layer_uses():
    assert ENTRY_FIELDS == model.ENTRY_FIELDS
    assert model.ENTRY_FIELDS == (
        "id", "tag", "start", "end", "quote", "note", "created", "updated", "orphaned", "review"
    )  # fmt: skip
    assert model.PLACE_FIELDS == (
        "start", "end", "quote", "prefix", "suffix", "article_sha256", "orphaned", "review"
    )  # fmt: skip
    assert "id" not in model.CHANGEABLE_FIELDS and "updated" not in model.CHANGEABLE_FIELDS
    assert model.FLAG_FIELDS == ("orphaned", "review")


def test_a_row_maps_both_ways(store: Store):
    a = store.add("a1", "demand", 4, 9, BODY, "sha", note=None)
    a = store.update(a.id, orphaned=True)
    row = store_rows.to_tuple(a)
    assert row[FIELDS.index("orphaned")] == 1 and row[FIELDS.index("review")] == 0
    assert store_rows.from_tuple(row) == a
    assert store_rows.checked(row, "x") == row
    with pytest.raises(DamagedRow, match="never writes"):
        store_rows.checked((*row[:-1], 7), "x")


def test_update_refuses_a_field_that_cannot_change(store: Store):
    a = store.add("a1", "demand", 4, 9, BODY, "sha")
    with pytest.raises(TypeError, match="article_id"):
        store.update(a.id, article_id="elsewhere")
    assert store.get(a.id) == a


def test_a_value_of_the_wrong_kind_in_any_column_is_found(db_path: Path):
    with Store(db_path) as s:
        s.add("a1", "demand", 4, 9, BODY, "sha")
    conn = sqlite3.connect(db_path)
    conn.execute("update annotations set article_sha256 = x'01'")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedRow, match="article_sha256"):
        Store(db_path)


def test_the_store_is_what_the_protocol_says_and_its_tokens_are_opaque(store: Store):
    def use(s: AnnotationStore) -> ChangeToken:  # typed: mypy checks that Store fits
        return s.change_token()

    before, outside = use(store), store.external_token()
    store.add("a1", "demand", 4, 9, BODY, "sha")
    assert store.change_token() != before
    assert store.external_token() == outside  # its own write
    with Store(store.path) as other:
        other.add("a1", "demand", 10, 15, BODY, "sha")
    assert store.external_token() != outside
    assert isinstance(before, ChangeToken)
