"""Writes graphql-core's introspection queries, with its options at their defaults and all on,
to tests/fixtures/introspection/. The API tests send them.

    python3 tests/audit/introspection_queries.py
"""
import pathlib

from graphql import get_introspection_query

out = pathlib.Path(__file__).parent.parent / "fixtures" / "introspection"
(out / "graphql-core-default.graphql").write_text(get_introspection_query())
(out / "graphql-core-every-option.graphql").write_text(
    get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        input_object_one_of=True,
    )
)
