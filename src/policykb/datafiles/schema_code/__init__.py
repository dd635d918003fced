"""Generated code: fastjsonschema's validator for each schema in ``policykb/schemas/``.

One module per data file kind, each with a ``validate(data)`` function that raises
``fastjsonschema.JsonSchemaException`` for an invalid document. :mod:`policykb.schema` uses them
for its fast "is it valid?" pass. Do not edit them: ``make schema-code`` writes them again from
the schemas, and tests/test_schema_code.py fails while they are stale.
"""
