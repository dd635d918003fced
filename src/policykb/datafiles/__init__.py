"""The data files: YAML read with locations, schemas, the model built, checked and validated."""
