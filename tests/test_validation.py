"""Validation errors as {pointer, code, message}."""

from __future__ import annotations

from cms.validation import FieldError, Message, code_for, field_errors, pointer


def test_pointer_escapes_tilde_and_slash():
    assert pointer("a/b", "c~d", 0) == "/a~1b/c~0d/0"


def test_schema_level_errors_point_at_their_object():
    messages = {"sections": {"_schema": ["whole list"], 3: {"body": ["bad"]}}}
    assert [e.pointer for e in field_errors(messages)] == ["/sections", "/sections/3/body"]


def test_errors_come_out_in_document_order():
    messages = {"b": ["x"], "a": {10: ["x"], 2: ["x"]}}
    assert [e.pointer for e in field_errors(messages)] == ["/a/2", "/a/10", "/b"]


def test_coded_messages_keep_their_code_through_formatting():
    message = Message("range", "Must be at most {max}.").format(max=3)
    assert message == "Must be at most 3."
    assert code_for(message) == "range"


def test_marshmallow_default_messages_get_codes():
    assert code_for("Missing data for required field.") == "required"
    assert code_for("Unknown field.") == "unknown_field"
    assert code_for("Not a valid integer.") == "type"
    assert code_for("Not a valid date.") == "format"
    assert code_for("Something else entirely.") == "invalid"


def test_prefix_places_errors_under_a_location():
    assert field_errors({"limit": ["Not a valid integer."]}, ("query",)) == [
        FieldError("/query/limit", "type", "Not a valid integer.")
    ]


def test_keys_that_look_numeric_but_are_not_ascii_digits_sort_without_crashing():
    messages = {"²": ["Unknown field."], "1": ["x"], "a": ["y"]}
    assert [e.pointer for e in field_errors(messages)] == ["/1", "/a", "/²"]
